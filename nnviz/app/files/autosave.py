"""Autosave for recovery: unsaved work is written to a recovery file in the application's data folder as
soon as the document becomes modified, then every half minute while it stays modified. The file is removed
only when there is nothing left to recover: the work was saved (or undone back to the saved state), the user
chose to discard it (a new document replaced it after the unsaved-changes question), or the window closed
cleanly. It always holds the work as of at most one interval before the end.

Each window has a recovery file of its own, and holds a lock file beside it for as long as it lives, so two
windows (in one process or two) never overwrite or delete each other's work, and a start-up offers only the
work of windows that are gone (their lock is free: the process ended without saving). The folder is
private to the user (0700) and the files too (0600): unsaved work may be anyone's data.

The periodic save turns the document into JSON and writes it on a thread of its own (with a long training
history that is 75 ms, which on the GUI thread stalled the window every half minute while training). What
it writes is taken on the GUI thread first (`project_to_json`: fresh lists of the parameters; the history's
lists are replaced, never changed in place). The save when the document becomes modified, and removing the
file, happen at once and after any write still under way, so they can never be overtaken by it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

from nnviz.app.files.recovery_write import write_document, write_in_process
from nnviz.app.session import Session
from nnviz.core.document import DocumentError, Project, project_to_json

INTERVAL_MS = 30_000
BACKGROUND_PARAMETERS = 200_000  # a network above this is written off the GUI thread even when newly modified
PRIVATE_FOLDER = 0o700
#: another folder for the recovery files: tests set it, as test runs side by side must not share one
folder_override: Path | None = None


def _data_folder() -> Path:
    """~/.local/share/nnviz or the platform's equivalent, whatever the app is called."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(folder) / "nnviz"


def recovery_folder() -> Path:
    return folder_override if folder_override is not None else _data_folder() / "recovery"


def _lock_for(path: Path) -> QLockFile:
    """The lock beside a recovery file; stale only when its process is gone, however long it lived."""
    lock = QLockFile(str(path.with_suffix(".lock")))
    lock.setStaleLockTime(0)
    return lock


def orphaned_recoveries() -> list[tuple[Path, QLockFile]]:
    """The recovery files of windows that are gone, newest first, each with its lock now held by the
    caller (so a second start-up cannot offer the same work at the same time). Includes the single
    recovery file of nnviz versions before per-window files."""
    folder = recovery_folder()
    candidates = sorted(folder.glob("*.nnviz")) if folder.is_dir() else []
    if folder_override is None:
        candidates.append(_data_folder() / "recovery.nnviz")
    found = []
    for path in candidates:
        lock = _lock_for(path)
        if path.is_file() and lock.tryLock(0):
            found.append((path, lock))
    for path in folder.glob("*.lock") if folder.is_dir() else ():
        if not path.with_suffix(".nnviz").exists() and (lock := _lock_for(path)).tryLock(0):
            lock.unlock()  # a window that ended with nothing to recover: its stale lock goes
    return sorted(found, key=lambda item: item[0].stat().st_mtime, reverse=True)


def forget(path: Path, lock: QLockFile) -> None:
    """A recovered (or discarded) file is not offered again."""
    path.unlink(missing_ok=True)
    lock.unlock()


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
        folder = recovery_folder()
        with contextlib.suppress(OSError):  # without a folder there is no recovery, but the window works
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
            folder.chmod(PRIVATE_FOLDER)
        #: this window's recovery file, and the lock that says its window is alive
        self.path = folder / f"window-{os.getpid()}-{secrets.token_hex(4)}.nnviz"
        self.lock = _lock_for(self.path)
        self.lock.tryLock(0)
        self._pending: Future | None = None
        session.undo_stack.cleanChanged.connect(self._on_clean_changed)
        session.network_changed.connect(self._on_network_changed)

    def save_now(self) -> None:
        """Write the recovery file now if there are unsaved edits; a failed write is not worth an error."""
        snapshot = self._snapshot()
        if snapshot is not None:
            self.wait()
            write_document(*snapshot)

    def _save_in_background(self) -> None:
        """The periodic save, written off the GUI thread (a write still under way: the next tick will do);
        a large network's by a process of its own (nnviz/app/files/recovery_write.py)."""
        if self._pending is not None and not self._pending.done():
            return
        if self.session.network.n_parameters > BACKGROUND_PARAMETERS:
            project = self._project()
            if project is not None:  # parameters no edit changes while they are pickled (Network.shared)
                fixed = dataclasses.replace(
                    project, network=project.network.shared(), runs=list(project.runs)
                )
                self._pending = self._writer.submit(write_in_process, self.path, fixed)
            return
        snapshot = self._snapshot()
        if snapshot is not None:
            self._pending = self._writer.submit(write_document, *snapshot)

    def wait(self) -> None:
        """Until a background write under way is on disk."""
        if self._pending is not None:
            self._pending.result()

    def _snapshot(self) -> tuple[Path, dict[str, Any]] | None:
        """(recovery path, the document as JSON values) when there are unsaved edits, else None."""
        project = self._project()
        try:
            return None if project is None else (self.path, project_to_json(project))
        except DocumentError:
            return None

    def _project(self) -> Project | None:
        """The project as its recovery file holds it when there are unsaved edits, else None."""
        if self.session.undo_stack.isClean():
            return None
        try:
            # small file data goes into the recovery file: the recovered (untitled) project reads no files
            project, _ = self.session.project_for(self.path.parent, copy=False)
        except (DocumentError, OSError):
            return None
        return project

    def discard(self) -> None:
        """No unsaved work left (saved, discarded or a new document): the recovery file goes."""
        self.wait()
        self.path.unlink(missing_ok=True)

    def _on_clean_changed(self, clean: bool) -> None:
        """Saved (or undone to the saved state): nothing to recover. Newly modified: recoverable at once,
        written off the GUI thread for a large network (the first frame of a slider drag at 1.86M weights
        waited seconds for its JSON)."""
        if clean:
            self.discard()
        elif self.session.network.n_parameters > BACKGROUND_PARAMETERS:
            self._save_in_background()
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
        self.lock.unlock()
