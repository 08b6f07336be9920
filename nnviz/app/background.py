"""Work that would stall the window, done on a private thread where only the newest request matters.

A view that recomputes something expensive whenever the model changes (the canvas's edge image, network
health at a million parameters) hands each request to a `LatestOnly`: one job runs at a time, a request made
meanwhile replaces the one waiting (older ones are never run), and each result comes back on the GUI thread
by a queued signal. A job must carry copies of what it reads (the GUI may change the model meanwhile) and
must not touch widgets.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QThreadPool, Signal


class LatestOnly(QObject):
    """Runs jobs one at a time on a private thread; at most one more waits its turn, the newest."""

    finished = Signal(int, object)  # the request's number and its job's result (None if it raised)
    _done = Signal(int, object)  # emitted by the worker thread; queued to `_on_done`

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._number = 0
        self._busy = False
        self._waiting: tuple[int, Callable[[], object]] | None = None
        self._done.connect(self._on_done)

    @property
    def busy(self) -> bool:
        """True while a job runs or waits."""
        return self._busy or self._waiting is not None

    def request(self, job: Callable[[], object]) -> int:
        """Run `job` once the running one ends (replacing any waiting one); returns its request number,
        which grows with every request."""
        self._number += 1
        if self._busy:
            self._waiting = (self._number, job)
        else:
            self._start(self._number, job)
        return self._number

    def _start(self, number: int, job: Callable[[], object]) -> None:
        self._busy = True
        self._pool.start(lambda: self._run(number, job))

    def _run(self, number: int, job: Callable[[], object]) -> None:
        result = None  # a job that failed delivers None, so the next one still runs; its error is reported
        try:
            result = job()
        finally:
            with contextlib.suppress(RuntimeError):  # the owner was deleted meanwhile: nobody is waiting
                self._done.emit(number, result)

    def _on_done(self, number: int, result: object) -> None:
        self._busy = False
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self._start(*waiting)
        self.finished.emit(number, result)

    def shutdown(self) -> None:
        """Drop the waiting job and wait for the running one, so no thread outlives the owner."""
        self._waiting = None
        self._pool.waitForDone()
        self._busy = False
