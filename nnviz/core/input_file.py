"""Every file nnviz reads is opened here: projects, CSV, NPZ and IDX data, the import preview.

Only a regular file is read. A FIFO would block the reader forever (opening it waits for a writer, reading
it waits for data), and a device such as `/dev/zero` or `/dev/urandom` streams without end until memory
runs out; a folder or socket has no content to read. The file is opened without blocking (`O_NONBLOCK`, so
opening a FIFO returns at once), then `fstat` of the open descriptor decides: checking the open file rather
than the name leaves no moment in which the name could be swapped for a pipe.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

# What a non-regular file is, for the message (checked in this order).
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """A path that names something other than a regular file; `strerror` says what it is instead."""


def _refusal(mode: int) -> str:
    kind = next((what for test, what in _KINDS if test(mode)), "not a file")
    return f"it is {kind}, not a regular file; only regular files are read"


def not_regular_reason(path: str | os.PathLike[str]) -> str:
    """What `path` is, when it is not a regular file, in the words `open_regular` refuses it with."""
    return _refusal(os.stat(path).st_mode)


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """`path` opened for binary reading, or NotRegularFile (an OSError) when it is not a regular file.

    Other OSErrors (no such file, permission denied) propagate as they are, so callers keep one
    `except OSError` that reports `strerror`."""
    name = os.fspath(path)
    nonblock = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs to open by name
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | nonblock)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, _refusal(mode), name)
        if nonblock:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
