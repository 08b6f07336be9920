"""Autosave for recovery (DESIGN.md rule 6): unsaved edits are written every half minute to a recovery file
in the application's data folder; saving, discarding or closing cleanly removes it, so a recovery file that
exists at start-up means the last session ended without saving its work."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from nnviz.app.session import Session
from nnviz.core.document import DocumentError, save_project

INTERVAL_MS = 30_000


def recovery_path() -> Path:
    """~/.local/share/nnviz/recovery.nnviz or the platform's equivalent, whatever the app is called."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(folder) / "nnviz" / "recovery.nnviz"


class Autosaver(QObject):
    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.save_now)
        self.timer.start()
        session.undo_stack.cleanChanged.connect(self._on_clean_changed)
        session.network_changed.connect(self.discard)

    def save_now(self) -> None:
        """Write the recovery file when there are unsaved edits; a failed write is not worth an error."""
        if self.session.undo_stack.isClean():
            return
        path = recovery_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_project(self.session.project, path)
        except (DocumentError, OSError):
            return

    def discard(self) -> None:
        """No unsaved work left (saved, discarded or a new document): the recovery file goes."""
        recovery_path().unlink(missing_ok=True)

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.discard()

    def stop(self) -> None:
        self.timer.stop()
        self.discard()
