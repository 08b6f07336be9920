"""How the app starts its helper processes (the trainer, the recovery writer): chosen once, when the first
is needed (never at import: a platform without the method must still start the app).

A fork server, started once, imports the engine and forks each process from itself: a new process is ready
in milliseconds, and the GUI process (which runs Qt threads) is never forked. Where there is none (Windows),
`spawn` starts a fresh interpreter: slower to start, same behaviour, since everything a process gets is
pickled either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: set to a start method (`spawn`) to use it instead of the platform's best: CI runs the training-process
#: tests a second time with `spawn`, the only method Windows has.
START_METHOD_VARIABLE = "NNVIZ_START_METHOD"
_context: multiprocessing.context.BaseContext | None = None
_main_lock = threading.Lock()  # the recovery writer starts its process from a thread of its own


def process_context() -> multiprocessing.context.BaseContext:
    """The start method's context: the fork server where the platform has one, else `spawn`."""
    global _context  # noqa: PLW0603 - one choice per process, like multiprocessing's own default
    if _context is None:
        wanted = os.environ.get(START_METHOD_VARIABLE) or "forkserver"
        try:
            context = multiprocessing.get_context(wanted)
        except ValueError:  # not on this platform
            context = multiprocessing.get_context("spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["nnviz.app.training.engine"])
        _context = context
    return _context


@contextmanager
def main_module_hidden() -> Iterator[None]:
    """Start a process without it importing our `__main__` (multiprocessing does, to find a target defined
    there; ours are in nnviz). A main script without an `if __name__ == "__main__"` guard, such as a user's
    or a screenshot script, would otherwise run again in the child."""
    with _main_lock:
        main = sys.modules["__main__"]
        names = [k for k in ("__file__", "__spec__") if k in main.__dict__]
        saved: dict[str, Any] = {k: main.__dict__.pop(k) for k in names}
        main.__spec__ = None
        try:
            yield
        finally:
            del main.__spec__
            main.__dict__.update(saved)
