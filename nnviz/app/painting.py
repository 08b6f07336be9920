"""Painting that cannot take the process down: every painter is ended, no exception leaves a paintEvent.

A QPainter left active when its device is destroyed makes Qt abort ("Cannot destroy paint device that is
being painted", then a segfault), and a Python exception escaping a virtual override such as `paintEvent`
unwinds through Qt's C++ frames. So every painter in nnviz is begun with `painting` (ended on every path) and
every widget's `paintEvent` is wrapped in `guarded_paint`, which hands an error to `sys.excepthook` (a
traceback on stderr; a test failure under pytest-qt) and lets the window live. The values drawn are made
safe where they are computed (see `canvas.palette.finite_scaled`); the guard is the last line, not the fix.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtGui import QPaintDevice, QPainter


class PaintError(RuntimeError):
    """A painter could not begin on its device (a null image, an unwritable SVG file)."""


@contextmanager
def painting(device: QPaintDevice) -> Iterator[QPainter]:
    """A painter active on `device` for the `with` block, ended however the block ends."""
    painter = QPainter()
    if not painter.begin(device):
        raise PaintError("cannot paint on this device")
    try:
        yield painter
    finally:
        painter.end()


def guarded_paint(paint_event: Callable) -> Callable:
    """Wrap a widget's `paintEvent` so that an exception is reported instead of escaping into Qt."""

    @functools.wraps(paint_event)
    def wrapper(self, event) -> None:
        try:
            paint_event(self, event)
        except Exception:
            sys.excepthook(*sys.exc_info())

    return wrapper
