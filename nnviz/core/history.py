"""A project's per-epoch training record: every run appends to it, and it stays bounded however long it runs.

Rows are epochs: `epoch`, `loss`, `accuracy`, `test_loss`, `test_accuracy` and any extra columns (the window
adds `step`). Past `limit` rows the older part is thinned to every other row until it fits: recent epochs
keep full detail, older ones progressively less, and every kept row is a real epoch under its own number, so
the curve keeps its shape and an overnight run leaves a file of a few hundred kilobytes, not hundreds of MB.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnviz.core.numbers import is_number, is_whole

HISTORY_LIMIT = 10_000  # rows; about 0.5 MB of JSON
# Columns with one entry per row, padded with null where a run did not record them (`nnviz train` writes no
# `step`); other keys are the user's and kept as they are.
ROW_COLUMNS = ("epoch", "loss", "accuracy", "test_loss", "test_accuracy", "step")


def extend_history(
    old: dict[str, Any] | None,
    stats: list[Any],
    limit: int = HISTORY_LIMIT,
    columns: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """Per-epoch metrics (objects with loss, accuracy, test_loss, test_accuracy) appended to what earlier runs
    recorded, epochs counting on from the last one recorded; `columns` adds per-epoch values of other keys."""
    history = dict(old or {})
    rows, first = len(column(history, "loss")), last_epoch(history) + 1
    new = {
        "epoch": list(range(first, first + len(stats))),
        "loss": [s.loss for s in stats],
        "accuracy": [s.accuracy for s in stats],
        "test_loss": [s.test_loss for s in stats],
        "test_accuracy": [s.test_accuracy for s in stats],
        **(columns or {}),
    }
    for key in dict.fromkeys([*new, *(k for k in ROW_COLUMNS if isinstance(history.get(k), list))]):
        stored = history.get(key)
        previous = stored if isinstance(stored, list) else []
        values = new.get(key, [None] * len(stats))
        history[key] = (
            previous[:rows]
            + [None] * (rows - len(previous))
            + [v if isinstance(v, int) or v is None or not np.isfinite(v) else float(v) for v in values]
        )
    return _thinned(history, limit)


class HistoryRecorder:
    """Epoch stats folded into a project's history as a run goes, so a run of a million epochs holds at most
    about `limit` rows of them in memory, as the saved history does."""

    def __init__(self, old: dict[str, Any] | None, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self._history = old
        self._pending: list[Any] = []

    def add(self, stats: Any) -> None:
        self._pending.append(stats)
        if len(self._pending) >= self.limit:
            self._fold()

    @property
    def history(self) -> dict[str, Any]:
        """The history with every epoch added so far (thinned to `limit` rows), its lists the caller's own.
        Reading folds what was added since the last read, so the window, which reads after every training
        snapshot, does work in proportion to the new epochs, not to the run's length."""
        self._fold()
        return {k: list(v) if isinstance(v, list) else v for k, v in (self._history or {}).items()}

    def _fold(self) -> None:
        if self._pending or self._history is None:
            self._history, self._pending = extend_history(self._history, self._pending, self.limit), []


def last_epoch(history: dict[str, Any]) -> int:
    """The number of the last recorded epoch (a thinned history has fewer rows than epochs)."""
    epochs = column(history, "epoch")
    whole = (e for e in reversed(epochs) if is_whole(e))
    return next(whole, len(column(history, "loss")))


def column(history: dict[str, Any], key: str) -> list[Any]:
    """A per-epoch column as a list: [] when the file holds something else there. A loaded history is kept
    as written, so a hand-edited `"loss": 5` must not break the window or a run after all its epochs."""
    values = history.get(key)
    return values if isinstance(values, list) else []


def numbers(history: dict[str, Any], key: str) -> list[float]:
    """The numbers in a column (no nulls, no strings or booleans a hand-edited file may hold)."""
    return [v for v in column(history, key) if is_number(v)]


def _thinned(history: dict[str, Any], limit: int) -> dict[str, Any]:
    rows = len(history["loss"])
    while rows > limit:
        older = rows - limit // 2  # the rows before the recent half, which stays whole
        keep = [*range(0, older, 2), *range(older, rows)]  # the first epoch is always kept
        for key, values in history.items():
            if isinstance(values, list) and len(values) == rows:
                history[key] = [values[i] for i in keep]
        rows = len(keep)
    return history
