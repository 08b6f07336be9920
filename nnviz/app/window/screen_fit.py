"""Fitting the window to the screens classes use: a 1366×768 laptop leaves about 700 px of height for a
window, a projector is often 1280×720.

Two things keep every panel reachable there. Panels that are forms (the input spin boxes, the training
settings, the data panel with its preview) sit in a scroll area inside their dock, so their natural height
no longer adds up into the window's minimum height: a short dock scrolls instead. And the first arrangement
of the docks is chosen by the size of the screen the window opens on: on a small screen the docks get less
room and the canvas keeps the middle.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

#: the docks whose panel scrolls inside the dock (plots shrink instead: they have small minimums)
SCROLLING_DOCKS = ("input", "output", "inspector", "architecture", "step_through", "math", "training", "data")
#: the window must fit this, whatever the docks hold (the issue's bound; 1024×640 fits a 1280×720 projector
#: with a title bar and a task bar)
MINIMUM_WINDOW = QSize(1024, 640)


@dataclass(frozen=True)
class DockSizes:
    """The first widths and heights of the dock columns, in pixels (the user's own arrangement, once saved,
    replaces them)."""

    left: int  # the input / training / data column
    right: int  # the inspector / maps / activation column
    bottom: int  # the step-through / math / loss row
    bottom_row: tuple[int, int, int]  # step through, math, loss
    right_column: tuple[int, ...]  # inspector, decision map (and activation when it has a row of its own)
    activation_with_output: bool = False  # the activation views tabbed with the output, not below the maps
    maximized: bool = False  # the window opens maximized (a resized window's title bar may leave the screen)


ROOMY = DockSizes(left=330, right=400, bottom=260, bottom_row=(330, 480, 790), right_column=(260, 330, 260))
# A 1366×768 laptop or a 1280×720 projector: narrower columns, a shorter bottom row and two docks on the
# right instead of three, so the canvas keeps about half the width and the height.
COMPACT = DockSizes(
    left=290, right=330, bottom=240, bottom_row=(300, 380, 680), right_column=(230, 330),
    activation_with_output=True, maximized=True,
)  # fmt: skip
COMPACT_BELOW = QSize(1500, 900)  # an available screen narrower or shorter than this gets the compact sizes


def dock_sizes_for(available: QSize) -> DockSizes:
    """The dock sizes for a screen whose available geometry (without task bars) is `available`."""
    small = available.width() < COMPACT_BELOW.width() or available.height() < COMPACT_BELOW.height()
    return COMPACT if small else ROOMY


def scroll_in_dock(dock: QDockWidget) -> None:
    """Put the dock's panel in a frameless scroll area: it fills the dock when there is room and scrolls
    when there is not."""
    panel = dock.widget()
    area = QScrollArea(dock)
    area.setObjectName(f"{dock.objectName()}_scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    dock.setWidget(area)


def make_docks_scroll(window: QMainWindow) -> None:
    """Every form panel of the window's docks in a scroll area (see `SCROLLING_DOCKS`)."""
    for dock in window.findChildren(QDockWidget):
        if dock.objectName() in SCROLLING_DOCKS and not isinstance(dock.widget(), QScrollArea):
            scroll_in_dock(dock)


def dock_panel(dock: QDockWidget) -> QWidget:
    """The panel a dock shows, inside its scroll area or not."""
    widget = dock.widget()
    panel = widget.widget() if isinstance(widget, QScrollArea) else widget
    assert panel is not None, "every dock holds its panel"
    return panel
