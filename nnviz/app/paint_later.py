"""A widget's paint in a later event-loop turn than the work that changed it.

Qt paints a changed widget in the turn right after the change, before any timer that came due meanwhile: a
training redraw's work (5 ms) and its paint (6-8 ms) held the event loop as one block. Holding the widget's
updates until a zero-length timer fires lets the loop serve what is waiting (a click, a key) in between, so
no block is longer than the longer of the two (docs/performance.md).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


class PaintLater:
    """`hold()` before changing what `widget` shows: its next paint waits for the next turn of the loop."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget
        self._timer = QTimer(widget)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._release)

    def hold(self) -> None:
        if not self._timer.isActive():
            self.widget.setUpdatesEnabled(False)
            self._timer.start(0)

    def _release(self) -> None:
        self.widget.setUpdatesEnabled(True)  # and asks for the paint held back
