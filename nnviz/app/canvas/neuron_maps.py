"""Each neuron's output over the data's plane, drawn inside its circle as TensorFlow Playground draws them.

Cheap enough for every training redraw: one forward pass of a small grid (MAP_RESOLUTION² points) gives
every neuron's map at once (`layer_shares`), coloured in NumPy on the canvas's signed scale (the class
colours) and kept as one texture brush per neuron until the weights change; a paint only fills each circle
with its brush.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QBrush, QTransform

from nnviz.app.canvas.palette import CanvasPalette, rgb_image
from nnviz.core.feature_plane import layer_shares
from nnviz.core.network import Network

MAP_RESOLUTION = 24  # grid points per axis: Playground-like detail in a circle of 20-60 px
MAX_MAP_NEURONS = 64  # a larger layer's circles are too small for a map: it keeps its plain fills
MIN_MAP_RADIUS = 6.0  # screen pixels: smaller circles keep their plain fills


class NeuronMapCache:
    """Texture brushes of every neuron's map; `brushes()` recomputes them only after `invalidate()`."""

    def __init__(self) -> None:
        self.inputs: np.ndarray | None = None  # the grid as network inputs, row-major from the bottom row
        self._brushes: list[list[QBrush] | None] | None = None
        self._palette: CanvasPalette | None = None
        self.computed = 0  # how many times the maps were computed (tests and benchmarks)

    def set_inputs(self, inputs: np.ndarray | None) -> None:
        """The plane grid (MAP_RESOLUTION² rows) as the network's inputs; None: no maps."""
        if inputs is not None and len(inputs) != MAP_RESOLUTION**2:
            raise ValueError(f"the map grid needs {MAP_RESOLUTION**2} rows, got {len(inputs)}")
        self.inputs = inputs
        self.invalidate()

    def invalidate(self) -> None:
        """The weights (or the network) changed: the next `brushes()` recomputes."""
        self._brushes = None

    def brushes(self, network: Network, palette: CanvasPalette) -> list[list[QBrush] | None] | None:
        """Per layer, one brush per neuron (None for a layer too large for maps); None without a plane."""
        if self.inputs is None or network.sizes[0] != self.inputs.shape[1]:
            return None
        if self._brushes is None or palette != self._palette:
            self._brushes, self._palette = self._compute(network, palette), palette
        return self._brushes

    def _compute(self, network: Network, palette: CanvasPalette) -> list[list[QBrush] | None]:
        self.computed += 1
        brushes: list[list[QBrush] | None] = []
        for shares in layer_shares(network, self.inputs):
            n = shares.shape[1]
            if n > MAX_MAP_NEURONS:
                brushes.append(None)
                continue
            # grid row 0 is the plane's bottom; an image's row 0 is its top
            rgb = palette.diverging(shares).reshape(MAP_RESOLUTION, MAP_RESOLUTION, n, 3)[::-1]
            brushes.append([QBrush(rgb_image(rgb[:, :, j])) for j in range(n)])
        return brushes


def placed(brush: QBrush, x: float, y: float, radius: float) -> QBrush:
    """`brush` with its texture stretched over the circle of `radius` about (x, y)."""
    scale = 2 * radius / MAP_RESOLUTION
    brush.setTransform(QTransform(scale, 0.0, 0.0, scale, x - radius, y - radius))
    return brush
