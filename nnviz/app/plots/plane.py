"""The plane the 2-D views draw on, for the data in hand: its points, its extent and how a point of it
becomes the network's inputs (Playground features of (x1, x2), then the project's scaling)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.datasets.base import Dataset
from nnviz.core.feature_plane import FeaturePlane, feature_plane, plane_bounds, plane_grid
from nnviz.core.scaling import Scaler

# The Playground's data lie within ±6: the plane shown when the inputs do not include x1 and x2 themselves
# (only x1², sin(x1), …), so the points cannot be placed on it.
PLAYGROUND_BOUNDS = (-6.0, 6.0, -6.0, 6.0)


@dataclass(frozen=True)
class PlaneView:
    """What the decision map, the neuron maps and the canvas's maps draw over."""

    plane: FeaturePlane
    scaler: Scaler | None
    train: np.ndarray | None  # the training rows as plane points (None: not placeable)
    test: np.ndarray | None
    bounds: tuple[float, float, float, float]

    def to_inputs(self, points: np.ndarray) -> np.ndarray:
        """Network inputs for (n, 2) plane points: the features computed per point, then scaled."""
        x = self.plane.inputs(points)
        return x if self.scaler is None else self.scaler.transform(x)

    def grid_inputs(self, resolution: int) -> np.ndarray:
        """The network inputs of a resolution × resolution grid over the bounds (bottom row first)."""
        return self.to_inputs(plane_grid(self.bounds, resolution))


def plane_view(
    train: Dataset, test: Dataset | None, scaler: Scaler | None, n_inputs: int
) -> PlaneView | None:
    """The plane of data split into `train` and `test` for a network of `n_inputs`; None if it has none."""
    plane = feature_plane(train.feature_names, n_inputs)
    if plane is None:
        return None
    points = [None if d is None else plane.points(d.x) for d in (train, test)]
    placeable = points[0] is not None
    bounds = plane_bounds(*points) if placeable else PLAYGROUND_BOUNDS
    return PlaneView(plane, scaler, points[0], points[1], bounds)
