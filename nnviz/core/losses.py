"""Loss functions: a score of the distance between prediction and target, and its gradient.

Definitions (they match PyTorch's defaults, so trained weights can be compared number for number):
- `mse`: mean over samples and outputs of the squared error. For one sample with two outputs this is
  ½·Σ(t − o)², the classic walk-through's "total error".
- `bce`: binary cross-entropy, mean over samples and outputs; targets in [0, 1].
- `cross_entropy`: mean over samples of −log p(true class); needs a softmax output; targets are integer
  class labels (shape `(batch,)`) or one-hot / probability rows (shape `(batch, classes)`).

`output_delta` returns dL/dz of the output layer directly. For sigmoid+bce and softmax+cross_entropy it uses
the fused form `slope·(a − t)/N`, which is what makes those pairs numerically stable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import Activation

# Probabilities are clipped this far from 0 and 1 inside logarithms, so a saturated unit gives a large but
# finite loss rather than inf.
_EPS = 1e-12


class LossError(ValueError):
    """A loss that does not fit the network's output or the targets given."""


def as_target_matrix(targets: np.ndarray, n_outputs: int, dtype: np.dtype | type = np.float64) -> np.ndarray:
    """Targets as a `(batch, n_outputs)` float matrix; integer labels become one-hot rows."""
    t = np.asarray(targets)
    if t.ndim == 1 and n_outputs > 1:
        if not np.issubdtype(t.dtype, np.integer) and not (np.isfinite(t) & (t == np.round(t))).all():
            raise LossError("class labels must be whole numbers (or give one target column per output)")
        labels = t.astype(np.int64)
        if labels.size and (labels.min() < 0 or labels.max() >= n_outputs):
            raise LossError(f"class labels must lie in 0..{n_outputs - 1}")
        onehot = np.zeros((t.shape[0], n_outputs), dtype=dtype)
        onehot[np.arange(t.shape[0]), labels] = 1.0
        return onehot
    if t.ndim == 1:
        t = t.reshape(-1, 1)
    if t.ndim != 2 or t.shape[1] != n_outputs:
        raise LossError(f"targets have shape {t.shape}, the network has {n_outputs} outputs")
    return t.astype(dtype, copy=False)


@dataclass(frozen=True)
class Loss:
    """One loss function. `value` and `output_delta` take targets already shaped by `as_target_matrix`."""

    name: str
    description: str

    def check(self, output_activation: Activation) -> None:
        """Refuse pairings that are mathematically meaningless (e.g. cross-entropy without softmax)."""
        if self.name == "cross_entropy" and output_activation.name != "softmax":
            raise LossError("cross_entropy needs a softmax output layer")
        if self.name == "bce" and output_activation.name not in ("sigmoid", "step"):
            raise LossError("bce needs outputs in (0, 1): use a sigmoid output layer")

    def value(self, a: np.ndarray, t: np.ndarray) -> float:
        """The mean loss over the batch."""
        if self.name == "mse":
            return float(np.mean((a - t) ** 2))
        p = np.clip(a, _EPS, 1.0 - _EPS)
        if self.name == "bce":
            return float(-np.mean(t * np.log(p) + (1.0 - t) * np.log1p(-p)))
        return float(-np.sum(t * np.log(p)) / a.shape[0])

    def grad(self, a: np.ndarray, t: np.ndarray) -> np.ndarray:
        """dL/da for the whole batch (already divided by the batch size)."""
        grad_a: np.ndarray
        if self.name == "mse":
            grad_a = 2.0 * (a - t) / a.size
        else:
            p = np.clip(a, _EPS, 1.0 - _EPS)
            grad_a = (p - t) / (p * (1.0 - p)) / a.size if self.name == "bce" else -t / p / a.shape[0]
        return grad_a

    def output_delta(self, z: np.ndarray, a: np.ndarray, t: np.ndarray, act: Activation) -> np.ndarray:
        """dL/dz at the output layer, fused where the pairing allows."""
        delta: np.ndarray
        if self.name == "bce" and act.name == "sigmoid":
            delta = act.params["slope"] * (a - t) / a.size
        elif self.name == "cross_entropy" and act.name == "softmax":
            # −Σ t·log softmax(z) differentiates to a·Σt − t; one-hot rows (Σt = 1) give the familiar a − t.
            delta = (a * t.sum(axis=-1, keepdims=True) - t) / a.shape[0]
        else:
            delta = act.backward(z, a, self.grad(a, t))
        return delta


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "Mean squared error: the average of (prediction − target)²."),
        Loss("bce", "Binary cross-entropy: −[t·log p + (1 − t)·log(1 − p)], for outputs in (0, 1)."),
        Loss("cross_entropy", "Cross-entropy over a softmax: −log of the probability of the true class."),
    )
}


def get_loss(name: str | Loss) -> Loss:
    """Look up a loss by name."""
    if isinstance(name, Loss):
        return name
    if name not in LOSSES:
        raise LossError(f"unknown loss {name!r}; known: {', '.join(LOSSES)}")
    return LOSSES[name]
