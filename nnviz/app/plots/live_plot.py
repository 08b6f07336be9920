"""A plot that redraws from the Session at most once per event-loop turn and only while it can be seen.

One edit emits several Session signals (parameters, trace, step); they coalesce into one draw. A plot that
cannot be seen (a hidden dock, or one behind another tab) marks itself stale and catches up when it comes
into view (nnviz.app.window.visibility), so a slider drag pays only for what is on screen."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from nnviz.app.plots.axis_range import keep_span_drawable
from nnviz.app.session import Session
from nnviz.app.window.visibility import ComingIntoView, on_screen


class LivePlot(pg.PlotWidget):
    """Subclasses implement `draw()`; `refresh` is what the Session's signals connect to."""

    #: How long after a burst of signals the plot draws. Plots use different delays so that one update (a
    #: training snapshot, ten a second) is painted over several event-loop turns after the canvas, never
    #: all at once: each plot's repaint costs 10-30 ms on its own.
    DRAW_DELAY_MS = 0

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._stale = True
        self._title = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._draw_if_visible)
        self.setMinimumHeight(90)
        self.showGrid(x=True, y=True, alpha=0.3)
        keep_span_drawable(self)
        for signal in (session.step_changed, session.selection_changed, session.parameters_changed):
            signal.connect(self.refresh)
        self.draws = 0  # how often it drew (tests count them)
        ComingIntoView(self, self._catch_up)

    def refresh(self, *_: object) -> None:
        """Schedule a draw for when the current burst of signals is over."""
        self._timer.start(self.DRAW_DELAY_MS)

    def _draw_if_visible(self) -> None:
        self._stale = not on_screen(self)
        if not self._stale:
            self.draws += 1
            self.draw()

    def _catch_up(self) -> None:
        if self._stale:
            self.refresh()

    def draw(self) -> None:
        raise NotImplementedError

    def set_title(self, text: str) -> None:
        """Titles are HTML items, costly to re-lay out: only a changed title is set."""
        if text != self._title:
            self._title = text
            self.setTitle(text)
