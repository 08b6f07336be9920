"""A snapshot's parameters cross from the training process to the GUI in shared memory, not in the pipe.

Pickling every parameter into each snapshot cost ~10 ms at 109k parameters, 82 ms at 1.9M and 847 ms at
12.6M, and unpickling held the GUI process's GIL as long. Now the training process keeps one block of shared
memory per network layout (a run), writes the parameters into it and sends only the snapshot's small fields
with the block's name and a version; the GUI's relay thread copies them out (NumPy releases the GIL for a
large copy) before the GUI sees the snapshot. The engine writes the block again only after the GUI
acknowledged the previous snapshot, so a read is never torn; the version in the block's first 8 bytes,
checked on reading, makes sure of it.

Both sides unlink a block when they are done with it (the process when it replaces or ends a run, the GUI when
the process dies without doing so), so a block outlives them only if both are killed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from multiprocessing import shared_memory

import numpy as np

HEADER_BYTES = 8  # the version, uint64


@dataclasses.dataclass(frozen=True)
class BlockRef:
    """Where a snapshot's parameters are: block `name` at `version`, arrays of `shapes` and `dtype` in order
    (the first `n_weights` are the weights)."""

    name: str
    version: int
    shapes: tuple[tuple[int, ...], ...]
    dtype: str
    n_weights: int


def _untracked(block: shared_memory.SharedMemory) -> shared_memory.SharedMemory:
    """The resource tracker would unlink a block when the process that opened it ends, even while the other
    still uses it, and complain when two processes both unregister it; each side here unlinks what it must
    itself (see `_remove`), so the tracker is told to leave every block alone."""
    if os.name == "posix":
        from multiprocessing import resource_tracker

        name = block._name  # type: ignore[attr-defined]  # CPython's private name, the one it registered
        resource_tracker.unregister(name, "shared_memory")
    return block


def _remove(block: shared_memory.SharedMemory) -> None:
    """Close and unlink, without telling the tracker again (`SharedMemory.unlink` would). Where shared memory
    is not a named file (Windows), closing the last handle frees it."""
    block.close()
    if os.name == "posix":
        from multiprocessing.shared_memory import _posixshmem  # type: ignore[attr-defined]  # CPython's own

        with contextlib.suppress(FileNotFoundError):
            _posixshmem.shm_unlink(block._name)  # type: ignore[attr-defined]  # unlinked without the tracker


def unlink(name: str) -> None:
    """Remove a block by name (nothing happens if it is gone already)."""
    try:
        block = _untracked(shared_memory.SharedMemory(name=name))
    except FileNotFoundError:
        return
    _remove(block)


class ParameterWriter:
    """The training process's side: moves a snapshot's arrays into the run's block."""

    def __init__(self) -> None:
        self._block: shared_memory.SharedMemory | None = None
        self._layout: tuple[tuple[tuple[int, ...], ...], str] | None = None
        self._version = 0

    def stow(self, snapshot):
        """The snapshot with its weights and biases in the block (`parameters` says where), not inline."""
        arrays = [*snapshot.weights, *snapshot.biases]
        layout = (tuple(a.shape for a in arrays), arrays[0].dtype.str)
        if layout != self._layout:
            self.close()
            size = HEADER_BYTES + sum(a.nbytes for a in arrays)
            self._block = _untracked(shared_memory.SharedMemory(create=True, size=size))
            self._layout = layout
        buffer = self._block.buf
        offset = HEADER_BYTES
        for array in arrays:
            view = np.ndarray(array.shape, array.dtype, buffer, offset)
            view[...] = array
            offset += array.nbytes
        self._version += 1
        np.ndarray((), np.uint64, buffer, 0)[...] = self._version
        ref = BlockRef(self._block.name, self._version, layout[0], layout[1], len(snapshot.weights))
        return dataclasses.replace(snapshot, weights=[], biases=[], parameters=ref)

    def close(self) -> None:
        if self._block is not None:
            _remove(self._block)
            self._block = None


class ParameterReader:
    """The GUI's relay thread's side: fills a snapshot's weights and biases from the block it names."""

    def __init__(self) -> None:
        self._block: shared_memory.SharedMemory | None = None

    def fill(self, snapshot):
        """The snapshot with its own copies of the parameters, or None if its block is gone: the process
        removes it when it ends the run (at "shutdown", say) while a last snapshot may still be in the pipe,
        and nobody is waiting for that one."""
        ref: BlockRef = snapshot.parameters
        if self._block is None or self._block.name != ref.name:
            self.close()
            try:
                self._block = _untracked(shared_memory.SharedMemory(name=ref.name))
            except FileNotFoundError:
                return None
        buffer = self._block.buf
        version = int(np.ndarray((), np.uint64, buffer, 0))
        if version != ref.version:
            raise RuntimeError(f"parameter block at version {version}, the snapshot says {ref.version}")
        arrays, offset, dtype = [], HEADER_BYTES, np.dtype(ref.dtype)
        for shape in ref.shapes:
            view = np.ndarray(shape, dtype, buffer, offset)
            arrays.append(view.copy())  # private: the block is rewritten for the next snapshot
            offset += view.nbytes
        del view
        weights, biases = arrays[: ref.n_weights], arrays[ref.n_weights :]
        return dataclasses.replace(snapshot, weights=weights, biases=biases, parameters=None)

    @property
    def name(self) -> str | None:
        return None if self._block is None else self._block.name

    def close(self) -> None:
        if self._block is not None:
            self._block.close()
            self._block = None
