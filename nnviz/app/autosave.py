"""Autosave for recovery (DESIGN.md rule 6): unsaved work is written to a recovery file in the application's
data folder as soon as the document becomes modified, then every half minute while it stays modified. The
file is removed only when there is nothing left to recover: the work was saved (or undone back to the saved
state), the user chose to discard it (a new document replaced it after the unsaved-changes question), or the
window closed cleanly. A recovery file that exists at start-up therefore means the last session ended
without saving its work, and it always holds that work as of at most one interval before the end.

The periodic save turns the document into JSON and writes it on a thread of its own (with a long training
history that is 75 ms, which on the GUI thread stalled the window every half minute while training). What
it writes is taken on the GUI thread first (`project_to_json`: fresh lists of the parameters; the history's
lists are replaced, never changed in place). The save when the document becomes modified, and removing the
file, happen at once and after any write still under way, so they can never be overtaken by it.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, QTimer

from nnviz.app.session import Session
from nnviz.core.document import DocumentError, atomic_write_text, dumps, project_to_json

INTERVAL_MS = 30_000
#: another folder for the recovery file: tests set it, as test runs side by side must not share one file
folder_override: Path | None = None


def recovery_path() -> Path:
    """~/.local/share/nnviz/recovery.nnviz or the platform's equivalent, whatever the app is called."""
    if folder_override is not None:
        return folder_override / "recovery.nnviz"
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(folder) / "nnviz" / "recovery.nnviz"


class Autosaver(QObject):
    def __init__(
        self, session: Session, parent: QObject | None = None, interval_ms: int = INTERVAL_MS
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._save_in_background)
        self.timer.start()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nnviz-autosave")
        self._pending: Future | None = None
        session.undo_stack.cleanChanged.connect(self._on_clean_changed)
        session.network_changed.connect(self._on_network_changed)

    def save_now(self) -> None:
        """Write the recovery file now if there are unsaved edits; a failed write is not worth an error."""
        snapshot = self._snapshot()
        if snapshot is not None:
            self.wait()
            _write(*snapshot)

    def _save_in_background(self) -> None:
        """The periodic save, written off the GUI thread (a write still under way: the next tick will do)."""
        if self._pending is not None and not self._pending.done():
            return
        snapshot = self._snapshot()
        if snapshot is not None:
            self._pending = self._writer.submit(_write, *snapshot)

    def wait(self) -> None:
        """Until a background write under way is on disk."""
        if self._pending is not None:
            self._pending.result()

    def _snapshot(self) -> tuple[Path, dict[str, Any]] | None:
        """(recovery path, the document as JSON values) when there are unsaved edits, else None."""
        if self.session.undo_stack.isClean():
            return None
        path = recovery_path()
        try:
            # small file data goes into the recovery file: the recovered (untitled) project reads no files
            project, _ = self.session.project_for(path.parent, copy=False)
            return path, project_to_json(project)
        except (DocumentError, OSError):
            return None

    def discard(self) -> None:
        """No unsaved work left (saved, discarded or a new document): the recovery file goes."""
        self.wait()
        recovery_path().unlink(missing_ok=True)

    def _on_clean_changed(self, clean: bool) -> None:
        """Saved (or undone to the saved state): nothing to recover. Newly modified: recoverable at once."""
        if clean:
            self.discard()
        else:
            self.save_now()

    def _on_network_changed(self) -> None:
        """A reshaped network with unsaved work keeps its recovery file (the timer refreshes it); a clean
        new document means the old work was saved or deliberately discarded."""
        if self.session.undo_stack.isClean():
            self.discard()

    def stop(self) -> None:
        self.timer.stop()
        self.discard()
        self._writer.shutdown(wait=True)


def _write(path: Path, document: dict[str, Any]) -> None:
    """The recovery file, written atomically; a failure (disk full, a number JSON cannot hold) is dropped:
    the previous recovery file stays."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, dumps(document))
    except (DocumentError, OSError):
        return
