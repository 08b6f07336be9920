"""The window fits the screens classes use (1366×768 laptops, 1280×720 projectors): its minimum size, every
dock reachable at that size, and the first arrangement chosen by the screen."""

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QDockWidget, QScrollArea

from nnviz.app.window.screen_fit import (
    COMPACT,
    MINIMUM_WINDOW,
    ROOMY,
    SCROLLING_DOCKS,
    dock_panel,
    dock_sizes_for,
)


def minimum_size(window) -> QSize:
    """What the layout lets the window shrink to (a window manager honours both)."""
    return window.minimumSizeHint().expandedTo(window.minimumSize())


def test_the_window_can_shrink_to_1024_by_640(window):
    smallest = minimum_size(window)
    assert smallest.width() <= MINIMUM_WINDOW.width()
    assert smallest.height() <= MINIMUM_WINDOW.height()


def test_a_window_with_a_digits_network_and_data_still_fits(qtbot, window):
    """The biggest panels: a 28×28 drawing pad and a data preview (they scroll in their docks)."""
    from nnviz.core.document import Project
    from nnviz.core.network import Network

    net = Network.create([784, 16, 16, 10], "relu", "softmax", seed=0)
    window.session.set_project(Project(net, dataset={"kind": "builtin", "name": "digits", "seed": 0}))
    qtbot.waitUntil(lambda: window.input_panel.pad is not None)  # the digits are drawn, not typed
    smallest = minimum_size(window)
    assert smallest.width() <= MINIMUM_WINDOW.width()
    assert smallest.height() <= MINIMUM_WINDOW.height()


def docks(window) -> list[QDockWidget]:
    return window.findChildren(QDockWidget)


@pytest.mark.parametrize("size", [QSize(1024, 640), QSize(1280, 720), QSize(1366, 768)])
def test_every_dock_is_reachable_at_small_window_sizes(qtbot, window, size):
    """Raised from its tab (or View menu), each dock lies inside the window and shows its panel."""
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    inside = window.rect()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    in_menu = set(view_menu.actions())
    for dock in docks(window):
        assert dock.toggleViewAction() in in_menu, dock.objectName()
        if dock.isHidden():  # a dock hidden until asked for (the lesson panel): shown as View shows it
            dock.toggleViewAction().trigger()
        dock.raise_()
        qtbot.waitUntil(lambda d=dock: d.isVisible() and not d.visibleRegion().isEmpty())
        where = QRect(dock.mapTo(window, QPoint(0, 0)), dock.size())
        assert inside.contains(where), (dock.objectName(), where, inside)
        assert dock.height() >= dock.minimumSizeHint().height(), dock.objectName()
    status = window.statusBar()
    assert status.isVisible()
    assert inside.contains(QRect(status.mapTo(window, QPoint(0, 0)), status.size()))


def test_form_panels_scroll_inside_their_docks(window):
    by_name = {d.objectName(): d for d in docks(window)}
    for name in SCROLLING_DOCKS:
        assert isinstance(by_name[name].widget(), QScrollArea), name
    assert dock_panel(by_name["input"]) is window.input_panel
    assert dock_panel(by_name["loss"]) is by_name["loss"].widget()  # a plot shrinks instead


def test_the_first_layout_follows_the_screen():
    assert dock_sizes_for(QSize(1366, 728)) is COMPACT  # a laptop less its task bar
    assert dock_sizes_for(QSize(1280, 720)) is COMPACT  # a projector
    assert dock_sizes_for(QSize(1920, 1050)) is ROOMY
    assert COMPACT.maximized
    assert COMPACT.activation_with_output
    assert not ROOMY.maximized


def test_on_a_small_screen_the_activation_views_share_the_output_tabs(window):
    """The offscreen test screen is small (800×600): the compact arrangement is the one used."""
    by_name = {d.objectName(): d for d in docks(window)}
    assert by_name["activation"] in window.tabifiedDockWidgets(by_name["output"])
    assert window.isMaximized()


@pytest.mark.parametrize("size", [QSize(1280, 720), QSize(1366, 728)])
def test_every_dock_tab_title_is_read_in_full_on_a_laptop_or_projector(qtbot, window, size):
    """Seven docks tabbed in the 330-px right column were cut to "De…", "N…", "C…" on a 1366×768 laptop."""
    from PySide6.QtWidgets import QTabBar

    window.showNormal()
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    bars = [bar for bar in window.findChildren(QTabBar) if bar.isVisible() and bar.count() > 1]
    assert len(bars) >= 3  # inputs, inspector, maps, results (and activation) share docks by tabs
    for bar in bars:
        for i in range(bar.count()):
            text = bar.tabText(i).replace("&", "")
            assert bar.tabRect(i).width() > bar.fontMetrics().horizontalAdvance(text), text


def test_on_a_projector_the_output_bars_show_whole_without_scrolling(qtbot, window):
    """The output dock scrolled on a 1280×720 projector, its bars below the fold: the plot shrinks instead."""
    window.showNormal()
    window.resize(QSize(1280, 720))
    qtbot.waitUntil(lambda: window.size() == QSize(1280, 720))
    output = next(d for d in docks(window) if d.objectName() == "output")
    output.raise_()
    qtbot.waitUntil(lambda: not output.visibleRegion().isEmpty())
    panel = window.output_panel
    area = output.widget()
    assert dock_panel(output) is panel
    qtbot.waitUntil(lambda: panel.height() <= area.viewport().height())  # all of it in view, no scrolling
    assert panel.plot.height() >= panel.plot.minimumHeight() > 0
