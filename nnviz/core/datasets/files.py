"""Loading the user's own data: CSV, NumPy's NPZ and MNIST's IDX format.

Every loader returns a `Dataset` or raises `DatasetError` whose message names the file, the line or record,
and the problem; nothing else escapes, whatever the bytes on disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from nnviz.core.datasets.base import Dataset
from nnviz.core.datasets.csv_reader import LoadCancelled, read_csv

__all__ = ["LoadCancelled", "load_csv"]


def load_csv(
    path: str | os.PathLike,
    targets: str | Sequence[str],
    ignore: str | Sequence[str] = (),
    progress: Callable[[float], object] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Dataset:
    """A CSV file with a header line as a Dataset.

    `targets` names the target column(s) (a str is one name); `ignore` names columns to skip; every other
    column is a numeric feature. A single target of non-numeric labels makes a classification set whose
    class names are the sorted labels; numeric targets make a regression set with `y` of shape (n, k).
    The delimiter is `,` (or `;` / tab when the header has no comma). `progress(fraction)` is called after
    each block read; `cancel()` is polled between blocks and, when true, stops the load with
    `LoadCancelled` (a `DatasetError`).
    """
    return read_csv(path, targets, ignore, progress, cancel)
