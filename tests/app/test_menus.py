"""The menu bar as a user (and the user guide) knows it: every entry's text, key and place, whichever module
made the action. The window places what the modules hand it; none of them finds a menu by its title."""

from PySide6.QtWidgets import QMainWindow, QMenuBar

from nnviz.app.files.project_actions import ProjectActions
from nnviz.app.training.health import HealthUI

SEPARATOR = "----"
MENUS = {
    "&File": [
        ("&New", "Ctrl+N"),
        ("New from &example", ""),
        ("&Open…", "Ctrl+O"),
        ("&Save", "Ctrl+S"),
        ("Save &As…", "Ctrl+Shift+S"),
        ("Re&vert", ""),
        ("Open &Recent", ""),
        ("&Import data (CSV, NPZ, IDX)…", ""),
        ("&Export", ""),
        SEPARATOR,
        ("&Quit", ""),
    ],
    "&Edit": [
        ("&Undo", "Ctrl+Z"),
        ("&Redo", "Ctrl+Shift+Z, Ctrl+Y"),
        SEPARATOR,
        ("Re-initialise weights", ""),
    ],
    "&View": [
        ("&Fit to window", "F"),
        ("Output &maps in neurons", ""),
        ("Show network &health", ""),
        ("&General names (layer ℓ, neuron j, W⁽ℓ⁾ⱼᵢ)", ""),
        ("&Predict first (hide values until a step computes them)", ""),
        ("&Theme", ""),
        ("&Presentation mode", "F5"),
        ("Presentation &size", ""),
        SEPARATOR,
        *[
            (dock, "")
            for dock in (
                "Input",
                "Output",
                "Inspector",
                "Activation",
                "Single neuron",
                "Step through",
                "Math",
                "Training",
                "Loss",
                "Decision map",
                "Neuron maps",
                "Runs",
                "Confusion",
                "Predicted vs true",
                "Weights",
                "Architecture",
                "Data",
                "Lesson",
            )
        ],
    ],
    "&Step": [
        ("Step &neuron", "N"),
        ("Step &layer", "L"),
        ("Run to &end", "E"),
        ("Step &back", "Backspace"),
        ("&Reset steps", "R"),
        ("&Play steps", "P"),
    ],
    "&Training": [
        ("&Play / pause training", "Space"),
        ("Step one &batch", ""),
        ("Step one &epoch", ""),
        SEPARATOR,
        ("Re-initialise weights", ""),
        SEPARATOR,
        ("&Replay run", ""),
        ("&Back to now", "Esc"),
        ("Train &from here", ""),
    ],
    "&Lessons": [
        ("Lesson &panel", ""),
        ("&Open lesson file…", ""),
        SEPARATOR,
        ("&Back a step", "Alt+Left"),
        ("&Next step", "Alt+Right"),
        ("&Close lesson", ""),
    ],
    "&Help": [("nnviz &user guide", "F1"), ("&Keyboard shortcuts", "Ctrl+/"), ("&About nnviz", "")],
}


def _entries(bar: QMenuBar) -> dict:
    return {
        top.text(): [
            SEPARATOR if a.isSeparator() else (a.text(), ", ".join(k.toString() for k in a.shortcuts()))
            for a in top.menu().actions()
        ]
        for top in bar.actions()
    }


def test_every_menu_entry_keeps_its_text_key_and_place(window):
    assert _entries(window.menuBar()) == MENUS


def test_the_file_and_view_features_hand_their_actions_to_the_window(window):
    menus = window.menuBar().actions()
    file_menu, view_menu = menus[0].menu(), menus[2].menu()
    files = window.project_ui
    assert isinstance(files, ProjectActions)
    assert file_menu.actions()[:2] == [files.new_action, files.examples_menu.menuAction()]
    assert view_menu.actions()[1:3] == [window.training.maps_action, window.health.toggle_action]


def test_a_feature_leaves_the_window_menus_alone(window, qtbot):
    """The health view made on another window adds nothing to that window's menus, View included."""
    other = QMainWindow()
    qtbot.addWidget(other)
    other.menuBar().addMenu("&View").addAction("&Fit to window")
    other.canvas = window.canvas
    health = HealthUI(other, window.session, window.training)
    assert [a.text() for a in other.menuBar().actions()[0].menu().actions()] == ["&Fit to window"]
    assert health.toggle_action not in other.menuBar().actions()[0].menu().actions()
