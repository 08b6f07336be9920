"""A bounded history of (x, y) points for live curves: millions of steps, a few thousand points drawn.

When the buffer fills, neighbouring points are merged pairwise (x of the later, y averaged) and every later
point summarises twice as many raw points. Memory and drawing cost stay constant however long a run is, and
the curve keeps its shape: each point is the mean of the raw values it stands for.
"""

from __future__ import annotations

import numpy as np

DEFAULT_CAPACITY = 4096


class DecimatedHistory:
    """Append-only (x, y) series of at most `capacity` points (an even number ≥ 2)."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 2 or capacity % 2:
            raise ValueError(f"capacity must be an even number ≥ 2, got {capacity}")
        self.capacity = capacity
        self._x = np.empty(capacity)
        self._y = np.empty(capacity)
        self._n = 0
        self.stride = 1  # raw points per stored point
        self._pending_x = 0.0
        self._pending_sum = 0.0
        self._pending_count = 0

    def __len__(self) -> int:
        return self._n

    def append(self, x: float, y: float) -> None:
        """Add one raw point; it is averaged with its neighbours once `stride` exceeds one."""
        self._pending_x = x
        self._pending_sum += y
        self._pending_count += 1
        if self._pending_count < self.stride:
            return
        if self._n == self.capacity:
            self._halve()
            if self._pending_count < self.stride:  # the new stride wants more raw points first
                return
        self._x[self._n] = self._pending_x
        self._y[self._n] = self._pending_sum / self._pending_count
        self._n += 1
        self._pending_sum, self._pending_count = 0.0, 0

    def _halve(self) -> None:
        half = self.capacity // 2
        self._x[:half] = self._x[1 : self.capacity : 2]
        self._y[:half] = 0.5 * (self._y[0 : self.capacity : 2] + self._y[1 : self.capacity : 2])
        self._n = half
        self.stride *= 2

    def clear(self) -> None:
        self._n, self.stride = 0, 1
        self._pending_sum, self._pending_count = 0.0, 0

    @property
    def x(self) -> np.ndarray:
        """The stored x values (a view: copy it to keep it past the next append)."""
        return self._x[: self._n]

    @property
    def y(self) -> np.ndarray:
        return self._y[: self._n]
