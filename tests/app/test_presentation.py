"""Presentation mode: larger fonts and lines in panels, canvas and plots, only the lecture's docks, and
everything given back on leaving."""

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel

from nnviz.app.window.presentation import LECTURE_DOCKS, SCALE_KEY


def shown_docks(window) -> set[str]:
    return {d.objectName() for d in window.findChildren(QDockWidget) if d.isVisible()}


def dock_rects(window) -> dict[str, tuple[int, int, int, int]]:
    return {d.objectName(): d.geometry().getRect() for d in window.findChildren(QDockWidget) if d.isVisible()}


def roughly_equal(a: dict, b: dict, px: int = 4) -> bool:
    """Dock rectangles within a few pixels (tab bars settle as the font's events arrive)."""
    return a.keys() == b.keys() and all(abs(x - y) <= px for k in a for x, y in zip(a[k], b[k], strict=True))


def curve_widths(window) -> list[float]:
    return [
        item.opts["pen"].widthF()
        for view in window.findChildren(pg.GraphicsView)
        for item in view.scene().items()
        if isinstance(item, pg.PlotDataItem) and item.opts.get("pen") is not None
    ]


def axis_widths(window) -> list[float]:
    return [
        item.pen().widthF()
        for view in window.findChildren(pg.GraphicsView)
        for item in view.scene().items()
        if isinstance(item, pg.AxisItem)
    ]


@pytest.mark.parametrize("scale", [1.25, 1.5, 2.0])
def test_presentation_mode_scales_everything_and_leaving_gives_it_all_back(qtbot, window, scale):
    mode = window.presentation
    mode.set_scale(scale)
    app_font = QApplication.font().pointSizeF()
    math_font = window.math_panel.view.font().pointSizeF()
    own = QLabel("a font of its own", window)  # such a widget does not follow the application's font
    font = own.font()
    font.setPointSizeF(20.0)
    own.setFont(font)
    rects_before = dock_rects(window)
    window.presentation.action.trigger()
    assert mode.active
    assert QApplication.font().pointSizeF() == pytest.approx(app_font * scale)
    # widgets take the application's new font from a posted event
    qtbot.waitUntil(lambda: window.math_panel.view.font().pointSizeF() == pytest.approx(math_font * scale))
    assert own.font().pointSizeF() == pytest.approx(20.0 * scale)
    assert window.canvas._palette.scale == scale
    qtbot.waitUntil(lambda: shown_docks(window) <= set(LECTURE_DOCKS))
    assert {"step_through", "math"} <= shown_docks(window)
    assert "inspector" not in shown_docks(window)
    window.presentation.action.trigger()
    assert not mode.active
    assert QApplication.font().pointSizeF() == pytest.approx(app_font)
    qtbot.waitUntil(lambda: window.math_panel.view.font().pointSizeF() == pytest.approx(math_font))
    assert own.font().pointSizeF() == pytest.approx(20.0)
    assert window.canvas._palette.scale == 1.0
    if scale < 2:  # at ×2 the docks' larger minimums widen the 800-px test screen's window for good
        qtbot.waitUntil(lambda: roughly_equal(dock_rects(window), rects_before))
    assert shown_docks(window) == set(rects_before)


def test_plot_curves_get_thicker_and_thin_again(qtbot, window):
    before = curve_widths(window)
    assert before
    window.presentation.set_scale(2.0)
    window.presentation.set_active(True)
    assert all(w >= 2.0 * max(b, 1.0) - 1e-9 for w, b in zip(curve_widths(window), before, strict=True))
    window.presentation.set_active(False)
    assert curve_widths(window) == before


def test_plot_axes_get_thicker_and_thin_again(qtbot, window):
    """The axes too, not only the curves: at ×2 on a projector a 1-px axis line is lost."""
    before = axis_widths(window)
    assert len(before) >= 4
    window.presentation.set_scale(2.0)
    window.presentation.set_active(True)
    assert all(w >= 2.0 * max(b, 1.0) - 1e-9 for w, b in zip(axis_widths(window), before, strict=True))
    window.presentation.set_active(False)
    assert axis_widths(window) == before


def test_the_mode_is_in_the_view_menu_with_f5_and_its_size_is_remembered(window):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.presentation.action in view.actions()
    assert window.presentation.action.shortcut().toString() == "F5"
    size_menu = window.presentation.size_menu
    assert [a.text() for a in size_menu.actions()] == ["×1.25", "×1.5", "×2"]
    size_menu.actions()[2].trigger()
    assert QSettings().value(SCALE_KEY, type=float) == 2.0


def test_closing_in_presentation_mode_remembers_the_users_own_docks(qtbot, window):
    from nnviz.app.main_window import DOCK_STATE_VERSION

    window.presentation.set_active(True)
    lecture = window.saveState(DOCK_STATE_VERSION)
    window.close()
    assert not window.presentation.active
    saved = QSettings().value("window/state")
    assert saved is not None
    assert saved != lecture
