"""A wait cursor and a status message while the GUI thread does a long job it must do itself.

Reading or writing a project happens on the GUI thread (the document must not change under it); for a large
network that takes seconds (14.2M parameters: about 12 s to open, 317 MB), and without a sign the window
looks hung.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow


@contextlib.contextmanager
def busy(window: QMainWindow, message: str) -> Iterator[None]:
    """Show `message` and a wait cursor until the block ends (however it ends)."""
    bar = window.statusBar()
    bar.showMessage(message)
    bar.repaint()  # now: the loop does not turn until the job is done
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
        if bar.currentMessage() == message:
            bar.clearMessage()
