"""Each neuron's output over the data's plane, drawn inside its circle as TensorFlow Playground draws them.

Cheap enough for every training redraw: one forward pass of a small grid (MAP_RESOLUTION² points) gives
every neuron's map at once (`layer_shares`), coloured by looking each value up in a table of the canvas's
signed scale (the class colours) and kept as one texture brush per neuron until the weights change; a paint
only fills each circle with its brush.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QBrush, QImage, QTransform

from nnviz.app.canvas.palette import CanvasPalette, argb_pixels
from nnviz.core.feature_plane import layer_shares
from nnviz.core.network import Network

MAP_RESOLUTION = 24  # grid points per axis: Playground-like detail in a circle of 20-60 px
MAX_MAP_NEURONS = 64  # a larger layer's circles are too small for a map: it keeps its plain fills
MIN_MAP_RADIUS = 6.0  # screen pixels: smaller circles keep their plain fills
LEVELS = 256  # colours of the signed scale, looked up rather than blended per pixel (finer is invisible)


class NeuronMapCache:
    """Texture brushes of every neuron's map; `brushes()` recomputes them only after `invalidate()`."""

    def __init__(self) -> None:
        self.inputs: np.ndarray | None = None  # the grid as network inputs, row-major from the bottom row
        self._brushes: list[list[QBrush] | None] | None = None
        self._palette: CanvasPalette | None = None
        self._pixels = np.zeros((0, MAP_RESOLUTION, MAP_RESOLUTION), dtype=np.uint32)
        self._lut = np.zeros(LEVELS, dtype=np.uint32)
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
            self._brushes = self._compute(network, palette)
            self._palette = palette
        return self._brushes

    def _compute(self, network: Network, palette: CanvasPalette) -> list[list[QBrush] | None]:
        """All layers' maps coloured in one pass (one colour blend, one packing into 32-bit pixels): the
        per-neuron work left is wrapping its slice of the pixels as an image."""
        self.computed += 1
        assert self.inputs is not None, "maps are computed once the grid's inputs are set"
        shares = layer_shares(network, self.inputs)
        shown = [s.shape[1] <= MAX_MAP_NEURONS for s in shares]
        if not any(shown):
            return [None] * len(shares)
        # (neurons, rows, cols) with the plane's bottom row last: an image's row 0 is its top
        stacked = np.concatenate([s for s, keep in zip(shares, shown, strict=True) if keep], axis=1)
        grids = stacked.T.reshape(-1, MAP_RESOLUTION, MAP_RESOLUTION)[:, ::-1]
        if palette != self._palette:
            self._lut = argb_pixels(palette.diverging(np.linspace(-1.0, 1.0, LEVELS)))
        levels = np.rint((grids + 1.0) * ((LEVELS - 1) / 2)).astype(np.intp)
        self._pixels = np.ascontiguousarray(self._lut[levels])  # kept: the images below read it
        brushes: list[list[QBrush] | None] = []
        first = 0
        for s, keep in zip(shares, shown, strict=True):
            if not keep:
                brushes.append(None)
                continue
            n = s.shape[1]
            brushes.append([QBrush(_image(self._pixels[first + j])) for j in range(n)])
            first += n
        return brushes


def _image(pixels: np.ndarray) -> QImage:
    """An opaque RGB32 image over one neuron's (rows, cols) uint32 pixels (not copied: keep them alive)."""
    h, w = pixels.shape
    return QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_RGB32)


def placed(brush: QBrush, x: float, y: float, radius: float) -> QBrush:
    """`brush` with its texture stretched over the circle of `radius` about (x, y)."""
    scale = 2 * radius / MAP_RESOLUTION
    brush.setTransform(QTransform(scale, 0.0, 0.0, scale, x - radius, y - radius))
    return brush
