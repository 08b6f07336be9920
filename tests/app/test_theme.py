"""View > Theme (system, light, dark) applies at once to widgets, canvas and plots, and is remembered;
the step animation's speed is remembered too."""

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from nnviz.app.window import theme


def plot_backgrounds(window) -> set[str]:
    views = [w for w in window.findChildren(pg.GraphicsView) if w.backgroundBrush().style()]
    assert views
    return {view.backgroundBrush().color().name() for view in views}


def test_dark_then_light_then_system_from_the_view_menu(qtbot, window):
    started = QPalette(QApplication.palette())
    window.theme_actions["dark"].trigger()
    base = QApplication.palette().color(QPalette.ColorRole.Base).name()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    qtbot.waitUntil(lambda: window.canvas._palette.dark, timeout=5000)  # palette events are delivered
    assert plot_backgrounds(window) == {base}  # the plots already on screen, recoloured
    assert QSettings().value(theme.SETTINGS_KEY) == "dark"

    window.theme_actions["light"].trigger()
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 128
    qtbot.waitUntil(lambda: not window.canvas._palette.dark, timeout=5000)
    assert plot_backgrounds(window) == {QApplication.palette().color(QPalette.ColorRole.Base).name()}

    window.theme_actions["system"].trigger()
    assert QApplication.palette() == started
    assert [name for name, action in window.theme_actions.items() if action.isChecked()] == ["system"]


def test_a_saved_theme_that_is_not_one_reads_as_system(window):
    QSettings().setValue(theme.SETTINGS_KEY, "purple")
    assert theme.saved_theme() == "system"
    with pytest.raises(ValueError, match="unknown theme"):
        theme.apply_theme("purple")


def test_the_step_animation_speed_is_remembered(window, session):
    from nnviz.app.panels.stepper import StepControls

    window.step_controls.speed.setValue(9)
    again = StepControls(session, [], window.play_action)
    assert again.speed.value() == 9
    assert again.timer.interval() == round(1000 / 9)


def test_in_the_dark_theme_plot_titles_legends_and_axes_are_in_its_text_colour(qtbot, window):
    """Titles and legends drawn before the switch (the activation plot's, the single neuron's legend) are
    redrawn in the dark theme's light text colour, as the axes are."""
    window.theme_actions["dark"].trigger()
    text = QApplication.palette().color(QPalette.ColorRole.Text).name()
    titles, legends, axes = [], [], []
    for view in window.findChildren(pg.GraphicsView):
        for item in view.scene().items():
            if isinstance(item, pg.LegendItem):
                legends += [label.opts["color"] for _, label in item.items]
            elif isinstance(item, pg.LabelItem) and item.text:
                titles.append(item.item.toHtml())
            elif isinstance(item, pg.AxisItem):
                axes.append(item.textPen().color().name())
    assert titles
    assert all(text in html for html in titles)
    assert all(pg.mkColor(c).name() == text for c in legends)
    assert set(axes) == {text}
    window.theme_actions["system"].trigger()
