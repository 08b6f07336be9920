"""Files dropped on the real main window, delivered as Qt delivers them."""

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent


def mime_for(*paths) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drop(window, *paths) -> bool:
    """Drop `paths` on `window`; whether the drop was taken."""
    mime = mime_for(*paths)  # held here: the event does not own it, and a freed one crashes the drop
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # Qt delivers a Drop only to the widget the drag manager saw accept the drag, never to sendEvent: hand
    # it to the window's drop filter as Qt would
    event.ignore()
    window.project_ui.drops.eventFilter(window, event)
    return event.isAccepted()
