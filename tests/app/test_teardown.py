"""Tearing down a session or a window never crashes, whatever order Python's garbage collector picks.

The undo stack owns its commands (Qt deletes them), but a command is also a Python object, and the
collector may clear a command's Python object before the stack is destroyed: without a defined teardown,
Qt then deletes a command that Python has already freed (a segfault in `QUndoStack::clear`). The order is
forced here the way the window's `gc.freeze()` / `gc.unfreeze()` produces it in a real run: the commands
sit ahead of their session in the collector's list. Each case runs in a child process, since the failure
kills the interpreter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

PRELUDE = """
import gc
from importlib.resources import files
from PySide6.QtWidgets import QApplication
from nnviz.app.session import Session
from nnviz.core.document import load_project

app = QApplication([])
project = load_project(str(files("nnviz.resources") / "examples" / "classic.nnviz"))
"""

CASES = {
    # a session dropped without being closed: the collector decides the order
    "session dropped": """
        session = Session(project)
        gc.freeze()  # the session is older than its commands (as after the window's first show)
        for j in range(2):
            session.edit_weight(0, j, 0, 5.0 + j)
            session.edit_bias(0, j, 1.0 + j)
        gc.collect()  # the commands reach the oldest generation, ahead of the frozen session
        gc.unfreeze()
        del session
        gc.collect()
    """,
    # the user closes the window after editing
    "window closed": """
        from nnviz.app.main_window import MainWindow
        session = Session(project)
        window = MainWindow(session)
        window.show()
        for j in range(2):
            session.edit_weight(0, j, 0, 5.0 + j)
        gc.collect()
        session.undo_stack.setClean()  # no "save changes?" question
        window.close()
        window.deleteLater()
        app.processEvents()
        del window, session
        gc.collect()
    """,
    # the user opens another project after editing: the old history goes, the new one is edited
    "another project opened": """
        session = Session(project)
        session.edit_weight(0, 0, 0, 5.0)
        session.edit_weight(0, 1, 0, 6.0)
        session.set_project(load_project(str(files("nnviz.resources") / "examples" / "classic.nnviz")))
        session.edit_weight(0, 0, 1, 7.0)
        gc.freeze()
        session.edit_weight(0, 1, 1, 8.0)
        gc.collect()
        gc.unfreeze()
        del session
        gc.collect()
    """,
}


@pytest.mark.parametrize("case", list(CASES))
def test_teardown_in_any_collection_order_does_not_crash(case):
    code = PRELUDE + textwrap.dedent(CASES[case]) + "print('clean exit')\n"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "clean exit" in done.stdout
