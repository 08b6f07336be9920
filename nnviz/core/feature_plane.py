"""The (x1, x2) plane behind a network with 2-D data, and what every neuron computes over it.

TensorFlow Playground feeds its networks features of a point (x1, x2) of the plane: x1, x2, x1², x2², x1·x2,
sin(x1), sin(x2). The maps (decision map, neuron maps) are drawn over that plane, not over two of the
network's inputs: each pixel is a point (x1, x2), its features are computed from it and then scaled as the
project scales its inputs. A network of two other inputs has them as its plane.

Pure NumPy: the views colour what `layer_shares` computes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.core.datasets.playground import FEATURES, transform
from nnviz.core.network import Network

PLANE_AXES = ("x1", "x2")
# Which plane axes each feature is computed from: editing x1 recomputes the features listed with 0.
SOURCES = {"x1": (0,), "x2": (1,), "x1^2": (0,), "x2^2": (1,), "x1*x2": (0, 1),
           "sin(x1)": (0,), "sin(x2)": (1,)}  # fmt: skip
PADDING = 0.1  # fraction of the data's extent added around it
MIN_SPAN = 1.0  # the plane shown is at least this wide and high (one sample must not zoom to a speck)
# Activations with a fixed range are coloured on it (centre, half-width); the others on their largest |value|.
FIXED_RANGES = {"sigmoid": (0.5, 0.5), "softmax": (0.5, 0.5), "step": (0.5, 0.5), "tanh": (0.0, 1.0),
                "softsign": (0.0, 1.0)}  # fmt: skip


@dataclass(frozen=True)
class FeaturePlane:
    """The network's inputs as features of a point (x1, x2): `features` names each input, in order."""

    features: tuple[str, ...]

    @property
    def derived(self) -> bool:
        """Whether some input is computed from the plane rather than being x1 or x2 itself."""
        return any(name not in PLANE_AXES for name in self.features)

    def inputs(self, points: np.ndarray) -> np.ndarray:
        """The raw (unscaled) inputs for (n, 2) plane points: one column per feature."""
        return transform(np.asarray(points, dtype=np.float64), self.features)

    def points(self, x: np.ndarray) -> np.ndarray | None:
        """The plane points of rows of raw inputs (their x1 and x2 columns); None when one is not an input."""
        if not all(axis in self.features for axis in PLANE_AXES):
            return None
        x = np.asarray(x)
        return np.column_stack([x[:, self.features.index(axis)] for axis in PLANE_AXES])

    def follow(self, values: Sequence[float], changed: int) -> np.ndarray:
        """One sample's raw inputs after input `changed` was edited: when it is x1 or x2, every feature
        computed from it follows (no sin(x1) = 0 left while x1 = 1.5); a derived input typed stays so."""
        raw = np.array(values, dtype=np.float64)
        axis_name = self.features[changed]
        if axis_name not in PLANE_AXES:
            return raw
        axis = PLANE_AXES.index(axis_name)
        point = np.zeros((1, 2))
        for a, name in enumerate(PLANE_AXES):
            if name in self.features:
                point[0, a] = raw[self.features.index(name)]
        for i, name in enumerate(self.features):
            if axis in SOURCES[name] and all(PLANE_AXES[a] in self.features for a in SOURCES[name]):
                raw[i] = FEATURES[name](point)[0]
        return raw


def feature_plane(feature_names: Sequence[str] | None, n_inputs: int) -> FeaturePlane | None:
    """The plane of a network with `n_inputs` inputs named `feature_names`: Playground features of
    (x1, x2), or any two inputs as the plane itself; None for anything else."""
    names = tuple(feature_names or ())
    if names and len(names) == n_inputs and all(name in FEATURES for name in names):
        return FeaturePlane(names)
    return FeaturePlane(PLANE_AXES) if n_inputs == 2 else None


PLANE_REACH = sys.float_info.max / 8  # the widest plane: its span and margin stay finite


def plane_bounds(*arrays: np.ndarray | None) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) enclosing every given (n, 2) array with a margin, widened about its centre to at
    least MIN_SPAN each way (one sample must not zoom to a speck); the square ±1 if there is none."""
    points = [a for a in arrays if a is not None and len(a) and a.ndim == 2 and a.shape[1] >= 2]
    if not points:
        return (-1.0, 1.0, -1.0, 1.0)
    # data at ±1e308 would make the span (and every grid point past it) overflow: a plane of finite size
    xy = np.clip(np.concatenate(points)[:, :2], -PLANE_REACH, PLANE_REACH)
    low, high = xy.min(axis=0), xy.max(axis=0)
    pad = (high - low) * PADDING
    low, high = low - pad, high + pad
    widen = np.maximum(MIN_SPAN - (high - low), 0.0) / 2
    return (low[0] - widen[0], high[0] + widen[0], low[1] - widen[1], high[1] + widen[1])


def plane_grid(bounds: tuple[float, float, float, float], resolution: int) -> np.ndarray:
    """(resolution², 2) points, row-major from the bottom row up (row r is y = y0 + …)."""
    x0, x1, y0, y1 = bounds
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return np.column_stack([gx.ravel(), gy.ravel()])


def layer_shares(network: Network, inputs: np.ndarray) -> list[np.ndarray]:
    """Every neuron's output over the grid rows `inputs` (network inputs), as a signed share in [−1, 1]
    per layer, (rows, neurons): 0 is the activation's "off" (0.5 for a sigmoid), ±1 its range's ends, or the
    neuron's largest |value| on the grid for an unbounded one (ReLU, identity, the inputs)."""
    with np.errstate(all="ignore"):
        trace = network.trace(inputs)
    names = ["input"] + [act.name for act in network.activations]
    shares = []
    for values, name in zip(trace.a, names, strict=True):
        a = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=1e300, neginf=-1e300)
        if name in FIXED_RANGES:
            centre, half = FIXED_RANGES[name]
            shares.append(np.clip((a - centre) / half, -1.0, 1.0))
            continue
        peak = np.abs(a).max(axis=0, initial=0.0)
        shares.append(np.divide(a, peak, out=np.zeros_like(a), where=peak > 0))
    return shares
