"""The window as a whole: files, menus, undo text, canvas drags, start-up with a good or a bad file."""

import json

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from nnviz.app import main as app_main
from nnviz.core.document import load_project


def test_the_window_shows_the_network_in_title_and_status(window):
    assert window.windowTitle() == "untitled[*] — nnviz"
    assert "2-2-2 (sigmoid, sigmoid) · 12 parameters" in window.status.text()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Step", "&Training", "&Lessons", "&Help"]


def test_the_edit_menu_says_what_will_be_undone(window):
    assert not window.undo_action.isEnabled()
    window.session.edit_bias(0, 0, 1.25)
    assert window.undo_action.text() == "&Undo set bias b_h1 to 1.25"
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert window.redo_action.text() == "&Redo set bias b_h1 to 1.25"
    assert not window.isWindowModified()


def test_an_alt_drag_on_an_edge_edits_the_weight_as_one_undo_step(qtbot, window):
    canvas, session = window.canvas, window.session
    x1, y1, x2, y2 = canvas.layout_geometry.edge_points(0, np.array([0]), np.array([0]))[0]
    p = canvas.screen_point(x1 + 0.25 * (x2 - x1), y1 + 0.25 * (y2 - y1))
    start = QPoint(round(p.x()), round(p.y()))
    alt = Qt.KeyboardModifier.AltModifier
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, alt, start)
    for dy in (10, 20, 40):
        qtbot.mouseMove(canvas, start - QPoint(0, dy))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, alt, start - QPoint(0, 40))
    assert session.network.weights[0][0, 0] > 0.15
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert session.network.weights[0][0, 0] == 0.15


def test_save_writes_the_edited_network_and_marks_it_clean(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "edited"
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a, **k: (str(target), ""))
    window.session.edit_weight(1, 1, 0, -3.0)
    assert window.save_action.trigger() is None
    saved = load_project(str(target) + ".nnviz")
    assert saved.network.weights[1][1, 0] == -3.0
    assert saved.dataset == window.session.project.dataset
    assert window.session.path == str(target) + ".nnviz"
    assert not window.isWindowModified()
    assert window.windowTitle().startswith(str(target))


def test_opening_a_bad_file_shows_a_dialog_and_keeps_the_document(window, tmp_path, monkeypatch):
    bad = tmp_path / "bad.nnviz"
    bad.write_text(json.dumps({"format": "nnviz", "version": 1, "network": {"layers": []}}))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[1:]))
    assert window.load(str(bad)) is False
    assert len(shown) == 1
    assert "network" in shown[0][1]
    assert window.session.network.sizes == [2, 2, 2]


def test_opening_a_good_file_replaces_the_document(window, tmp_path):
    path = tmp_path / "net.nnviz"
    net = {
        "layers": [{"size": 3}, {"size": 1, "activation": "tanh"}],
        "weights": [[[1, 2, 3]]],
        "biases": [[0]],
    }
    path.write_text(json.dumps({"format": "nnviz", "version": 1, "network": net}))
    assert window.load(str(path))
    assert window.session.network.sizes == [3, 1]
    assert len(window.input_panel.spins) == 3
    assert window.canvas.layout_geometry is not None
    assert "3-1 (tanh)" in window.status.text()


def test_open_with_unsaved_edits_asks_first_and_cancel_keeps_them(window, monkeypatch):
    window.session.edit_bias(0, 0, 2.0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    opened = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a: opened.append(1) or ("", "")
    )
    window.open_action.trigger()
    assert opened == []
    assert window.session.network.biases[0][0] == 2.0


def test_a_file_that_cannot_be_read_opens_the_default_with_the_reason(tmp_path):
    project, path, error = app_main.open_project(str(tmp_path / "missing.nnviz"))
    assert path is None
    assert "missing.nnviz" in error
    assert project.network.n_parameters > 0


def test_no_file_opens_a_default_example(qtbot):
    project, path, error = app_main.open_project(None)
    assert path is None
    assert error is None
    assert project.network.sizes[0] >= 2


def test_step_actions_have_their_keyboard_shortcuts(window):
    keys = [a.shortcut().toString() for a in [*window.step_actions, window.play_action]]
    assert keys == ["N", "L", "E", "Backspace", "R", "P"]


def test_start_with_a_bad_file_explains_it_over_a_window_with_the_default(qtbot, tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: seen.append((parent, text)))
    window = app_main.start(str(tmp_path / "nope.nnviz"))
    qtbot.waitUntil(lambda: bool(seen))
    parent, text = seen[0]
    assert parent is window
    assert "nope.nnviz" in text
    assert "default example" in text
    assert window.session.network.sizes == app_main.default_project().network.sizes
    assert window.session.path is None
    window.close()
    window.deleteLater()


def test_unsaved_edits_are_autosaved_and_saving_removes_the_recovery_file(window, tmp_path, monkeypatch):
    window.autosaver.save_now()
    recovery = window.autosaver.path
    assert not recovery.exists()  # nothing unsaved yet
    window.session.edit_weight(0, 0, 0, 1.5)
    window.autosaver.save_now()
    assert load_project(recovery).network.weights[0][0, 0] == 1.5
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", lambda *a: (str(tmp_path / "s"), ""))
    window.save_action.trigger()
    assert not recovery.exists()


def test_recovery_opens_the_unsaved_work_as_an_unsaved_document(window, monkeypatch):
    from nnviz.app.files.autosave import recovery_folder
    from nnviz.core.document import save_project
    from nnviz.core.examples import load_example

    project = load_example("classic")
    project.network.biases[1][0] = -4.0
    left_behind = recovery_folder() / "window-1-dead.nnviz"  # no lock held: its window is gone
    save_project(project, left_behind)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a[1]) or QMessageBox.StandardButton.Open
    )
    app_main.offer_recovery(window)
    assert asked == ["Recover unsaved work"]
    assert window.session.network.biases[1][0] == -4.0
    assert window.isWindowModified()
    # still unsaved, so still recoverable: now in this window's own recovery file, the old one gone
    assert load_project(window.autosaver.path).network.biases[1][0] == -4.0
    assert not left_behind.exists()


def test_help_about_opens_the_about_dialog(window, monkeypatch):
    from nnviz.app.window import about

    shown = []
    monkeypatch.setattr(about.AboutDialog, "exec", lambda self: shown.append(self.windowTitle()))
    window.about_action.trigger()
    assert shown == ["About nnviz"]


def test_every_dock_can_be_toggled_from_the_view_menu(window):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    names = [a.text() for a in view.actions()]
    for title in ("Input", "Output", "Inspector", "Activation", "Single neuron", "Step through", "Math"):
        assert title in names


@pytest.mark.parametrize("screen", ["roomy", "compact"])
def test_the_default_layout_shows_the_decision_map_and_the_loss_with_the_rest_in_tabs(
    qtbot, session, monkeypatch, screen
):
    """On a big screen the activation views have a row of their own; on a small one
    (nnviz.app.window.screen_fit) they are tabbed with the maps."""
    from PySide6.QtWidgets import QDockWidget

    from nnviz.app import main_window
    from nnviz.app.window import screen_fit

    sizes = {"roomy": screen_fit.ROOMY, "compact": screen_fit.COMPACT}[screen]
    monkeypatch.setattr(main_window, "dock_sizes_for", lambda available: sizes)
    window = main_window.MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    if screen == "roomy":
        window.resize(1600, 1000)
    docks = {d.objectName(): d for d in window.findChildren(QDockWidget)}

    def in_view(name: str) -> bool:
        return not docks[name].visibleRegion().isEmpty()

    front = ["input", "output", "inspector", "decision_map", "step_through", "math", "loss"]
    behind = ["training", "data", "architecture", "neuron_maps", "confusion", "weights", "single_neuron"]
    (front if screen == "roomy" else behind).append("activation")
    qtbot.waitUntil(lambda: all(in_view(name) for name in front))
    assert not any(in_view(name) for name in behind)


def test_a_session_destroyed_before_its_window_with_unsaved_edits_raises_nothing(qtbot, session):
    """The undo stack says "clean" once more while it is destroyed (Python exit, or a test's teardown),
    when the window's title slot can no longer ask it."""
    import shiboken6

    from nnviz.app.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    session.edit_bias(0, 0, 1.25)
    assert window.isWindowModified()
    shiboken6.delete(session.undo_stack)
    assert not window.isWindowModified()  # what the stack's last word said
    window.confirm_discard = lambda: True  # nothing left to ask about


def test_the_windows_objects_are_kept_out_of_full_collections_while_it_is_open(qtbot, session):
    import gc

    from nnviz.app.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert gc.get_freeze_count() > 10_000  # the widgets, plot items and modules: a 40 ms walk otherwise
    window.close()
    assert gc.get_freeze_count() == 0  # collectable again once the window is gone
