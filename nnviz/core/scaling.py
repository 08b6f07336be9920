"""Feature scaling, fitted on the training rows and stored in the project.

A network trained on scaled features only makes sense when every later input is scaled the same way, so the
scaler travels with the network in the `.nnviz` file and `nnviz forward` and the GUI apply it to raw inputs.
The transform is `(x - offset) / scale`:
- `standard`: offset = mean, scale = standard deviation (zero mean, unit variance per feature);
- `minmax`: offset = minimum, scale = maximum − minimum (features in [0, 1] on the training rows);
- `none`: the identity (offset 0, scale 1).
A constant feature gets scale 1 rather than a division by zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz.core.number_input import finite_float, short_repr

METHODS = ("none", "standard", "minmax")


class ScalingError(ValueError):
    """A scaling method that does not exist, or a stored scaler that does not fit its data."""


@dataclass(frozen=True)
class Scaler:
    """`(x - offset) / scale`, one offset and scale per feature."""

    method: str
    offset: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, method: str) -> Scaler:
        """Fit on the training rows `x` (samples × features)."""
        if method not in METHODS:
            raise ScalingError(f"unknown scaling {method!r}; known: {', '.join(METHODS)}")
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or len(x) == 0:
            raise ScalingError(f"scaling is fitted on a non-empty table of rows, got shape {x.shape}")
        if method == "standard":
            offset, spread = x.mean(axis=0), x.std(axis=0)
        elif method == "minmax":
            offset, spread = x.min(axis=0), np.ptp(x, axis=0)
        else:
            offset, spread = np.zeros(x.shape[1]), np.ones(x.shape[1])
        return cls(method, offset, np.where(spread > 0, spread, 1.0))

    @property
    def n_features(self) -> int:
        return len(self.offset)

    def transform(self, x: np.ndarray) -> np.ndarray:
        """Scaled copy of `x` (one sample or a batch of rows), in `x`'s float dtype."""
        x = np.asarray(x)
        if x.shape[-1] != self.n_features:
            raise ScalingError(f"the scaler was fitted on {self.n_features} features, got {x.shape[-1]}")
        dtype = x.dtype if x.dtype in (np.float32, np.float64) else np.float64
        scaled: np.ndarray = ((x - self.offset) / self.scale).astype(dtype, copy=False)
        return scaled

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "offset": self.offset.tolist(), "scale": self.scale.tolist()}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Scaler:
        """Parse the project-file form; errors name the key at fault (`scale[2]: ...`)."""
        if not isinstance(obj, Mapping):
            raise ScalingError(f"expected an object, got {type(obj).__name__}")
        method = obj.get("method")
        if method not in METHODS:
            raise ScalingError(f"method: expected one of {', '.join(METHODS)}, got {method!r}")
        arrays = [_finite_vector(obj.get(key), key) for key in ("offset", "scale")]
        if len(arrays[0]) != len(arrays[1]):
            raise ScalingError(f"offset has {len(arrays[0])} numbers but scale has {len(arrays[1])}")
        bad = np.flatnonzero(arrays[1] <= 0)
        if bad.size:
            raise ScalingError(f"scale[{bad[0]}]: must be positive, got {arrays[1][bad[0]]!r}")
        return cls(method, *arrays)


def _finite_vector(value: Any, key: str) -> np.ndarray:
    if not isinstance(value, list) or not value:
        raise ScalingError(f"{key}: expected a non-empty list of numbers")
    for i, v in enumerate(value):
        if finite_float(v) is None:
            raise ScalingError(f"{key}[{i}]: expected a finite number, got {short_repr(v)}")
    return np.array(value, dtype=np.float64)
