"""What a trained network gets right and wrong, as plain numbers: confusion counts and regression scores.

Pure NumPy, so the training views (confusion matrix, predicted-vs-true) draw numbers that are tested here
without a display. `predicted_classes` is also what `nnviz.core.training.accuracy_of` counts (argmax over the
outputs, or output > 0.5 for a single sigmoid output), so a view's accuracy equals the trainer's.
"""

from __future__ import annotations

import numpy as np


def evaluation_rows(n_rows: int, limit: int) -> np.ndarray:
    """At most `limit` row indices spread evenly over `n_rows` rows, always the same ones.

    Views evaluate the network on a fixed sample, so a count that changes between two frames changed
    because the network did, not because other rows were drawn."""
    if n_rows <= limit:
        return np.arange(n_rows)
    return np.linspace(0, n_rows - 1, limit).round().astype(np.int64)


def n_classes_of(n_outputs: int) -> int:
    """Classes a network with `n_outputs` outputs tells apart: two for one sigmoid output."""
    return 2 if n_outputs == 1 else n_outputs


def predicted_classes(outputs: np.ndarray) -> np.ndarray:
    """The class each row of network outputs predicts (threshold 0.5 for a single output)."""
    outputs = np.asarray(outputs)
    if outputs.shape[1] == 1:
        return (outputs[:, 0] > 0.5).astype(np.int64)
    classes: np.ndarray = outputs.argmax(axis=1)
    return classes


def confusion_counts(labels: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """(n_classes, n_classes) int counts: row = true class, column = predicted class.

    Raises ValueError when a label or prediction lies outside 0..n_classes−1."""
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    predicted = np.asarray(predicted, dtype=np.int64).reshape(-1)
    if labels.shape != predicted.shape:
        raise ValueError(f"{len(labels)} labels but {len(predicted)} predictions")
    for name, values in (("class label", labels), ("prediction", predicted)):
        if len(values) and (values.min() < 0 or values.max() >= n_classes):
            raise ValueError(f"a {name} lies outside 0..{n_classes - 1}")
    flat = np.bincount(labels * n_classes + predicted, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def accuracy_of_counts(counts: np.ndarray) -> float:
    """Fraction of samples on the diagonal (nan for an empty matrix)."""
    total = counts.sum()
    return float(np.trace(counts) / total) if total else float("nan")


def regression_scores(predicted: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """(R², RMSE) of one output against its target.

    R² = 1 − SS_res / SS_tot: 1 is perfect, 0 is no better than predicting the mean; nan when the target
    is constant (SS_tot = 0) or there are no rows."""
    predicted = np.asarray(predicted, dtype=np.float64).reshape(-1)
    target = np.asarray(target, dtype=np.float64).reshape(-1)
    if not len(target):
        return float("nan"), float("nan")
    residual = float(np.sum((target - predicted) ** 2))
    total = float(np.sum((target - target.mean()) ** 2))
    r2 = 1.0 - residual / total if total > 0 else float("nan")
    return r2, float(np.sqrt(residual / len(target)))
