"""Every file nnviz writes goes through here: projects, the recovery file, exports and rendered images.

A write goes to a temporary file beside the target, is flushed and fsynced, then renamed over the target:
a crash or kill -9 at any moment leaves either the old file or the new one, never half of one. What is at
the output path is respected: a symlink is written through (its target is replaced, the link stays), and
anything that is not a regular file (a device, a FIFO, a socket, a folder) is refused rather than replaced
by a regular file, since replacing `/dev/null` or a pipe another program reads would break the system or
that program.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


class WriteError(ValueError):
    """A file that cannot be written; the message names the path and the reason."""


def output_path(path: str | os.PathLike[str]) -> Path:
    """Where a write to `path` really lands: the target of a symlink, after checking it may be replaced."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as e:
        raise WriteError(f"cannot write {path}: {e.strerror or e}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteError(f"cannot write {path}: it is a folder")
    if mode is not None and not stat.S_ISREG(mode):
        raise WriteError(f"cannot write {path}: it is not a regular file (a device, pipe or socket)")
    if not target.parent.is_dir():
        raise WriteError(f"cannot write {path}: the folder {target.parent} does not exist")
    return target


def atomic_write(
    path: str | os.PathLike[str], write: Callable[[BinaryIO], object], mode: int | None = None
) -> None:
    """Write a file by `write(binary_file)` atomically. The permissions are the old file's, else `mode`,
    else what the umask gives a new file."""
    target = output_path(path)
    folder = target.parent
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    try:
        old_mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else mode
        # 0o666 lets the umask decide a new file's permissions, as for any file the user creates.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as f:
            if old_mode is not None:
                os.chmod(tmp, old_mode)  # before any byte is written: a private file is never readable
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        _fsync_folder(folder)
    except OSError as e:
        raise WriteError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, mode: int | None = None) -> None:
    atomic_write(path, lambda f: f.write(data), mode)


def atomic_write_text(path: str | os.PathLike[str], text: str, mode: int | None = None) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); folders cannot be opened this way on Windows."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
