"""Comparing parameter arrays of up to millions of numbers, stopping as soon as the answer is known.

A training snapshot changes every weight, an edit one: comparing whole arrays is a pass over every number
either way (about 10 ms at 1.86M weights, at each snapshot). A chunk at a time, a snapshot is told apart after
the first chunk; and an array compared with itself (a layer no edit has copied since it was shared, see
`Network.shared`) is not read at all.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: numbers compared at a time (512 KB of float64)
CHUNK = 1 << 16


def equal_arrays(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether `a` and `b` have the same shape and values (NaN equals nothing, as in `np.array_equal`)."""
    if a is b:
        return True
    if np.shape(a) != np.shape(b):
        return False
    flat_a, flat_b = np.ravel(a), np.ravel(b)
    return all(
        np.array_equal(flat_a[start : start + CHUNK], flat_b[start : start + CHUNK])
        for start in range(0, flat_a.size, CHUNK)
    )


def changed_positions(
    old: Sequence[np.ndarray], new: Sequence[np.ndarray], limit: int
) -> list[tuple[int, ...]] | None:
    """Where `new` differs from `old`: (which array, then the indices in it), in order; None when the shapes
    differ or more than `limit` numbers changed."""
    if len(old) != len(new) or any(a.shape != b.shape for a, b in zip(old, new, strict=True)):
        return None
    out: list[tuple[int, ...]] = []
    for k, (a, b) in enumerate(zip(old, new, strict=True)):
        if a is b:
            continue
        flat_a, flat_b = np.ravel(a), np.ravel(b)
        for start in range(0, flat_a.size, CHUNK):
            found = start + np.flatnonzero(flat_a[start : start + CHUNK] != flat_b[start : start + CHUNK])
            if len(out) + len(found) > limit:
                return None
            indices = np.unravel_index(found, a.shape)
            out.extend((k, *map(int, position)) for position in zip(*indices, strict=True))
    return out
