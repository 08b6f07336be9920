"""When a live view works: only while it can be seen (docs/performance.md, "hidden views do no work").

One rule for every view that redraws as the network changes (the activation and single-neuron plots, the
decision and neuron maps, the loss curves, the insight docks): it draws when it is on screen, and otherwise
marks itself stale and catches up when it comes into view.

On screen means visible and inside its window. `isVisible()` alone is not enough: a dock behind another tab
keeps it true (Qt 6.11); Qt moves such a dock out of the window instead (to negative coordinates), which is
also how it decides to emit the dock's `visibilityChanged` (not every change emits it: a tab arrangement made
before the window was shown does not, so the signals alone cannot tell). Coming into view is a show event,
or the view's dock tab brought to the front — which sends the view no show event, only its dock's
`visibilityChanged`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtWidgets import QDockWidget, QWidget


def on_screen(view: QWidget) -> bool:
    """Whether `view` can be seen now: visible, and inside its window."""
    if not view.isVisible():
        return False
    window = view.window()
    return QRect(view.mapTo(window, QPoint(0, 0)), view.size()).intersects(window.rect())


class ComingIntoView(QObject):
    """Calls `shown()` whenever `view` comes into view: shown, or its dock's tab brought to the front.

    The dock is found when the view is first shown (a view is usually made before it is put in a dock)."""

    def __init__(self, view: QWidget, shown: Callable[[], object]) -> None:
        super().__init__(view)
        self.view, self.shown = view, shown
        self.dock: QDockWidget | None = None
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show:
            self._follow_dock()
            self.shown()
        return False

    def _follow_dock(self) -> None:
        dock = self.view.parentWidget()
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is not self.dock:
            if self.dock is not None:
                self.dock.visibilityChanged.disconnect(self._on_dock_visibility)
            self.dock = dock
            if dock is not None:
                dock.visibilityChanged.connect(self._on_dock_visibility)

    def _on_dock_visibility(self, visible: bool) -> None:
        if visible:
            self.shown()
