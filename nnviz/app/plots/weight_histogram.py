"""One histogram per weight layer (W1, W2, …) as small multiples, updating live while the network trains.

Watching the spread of each layer's weights shows what the loss curve hides: a layer that stops moving, one
whose weights blow up, or initial weights far too wide. Bins are fixed (40) over an x range that follows the
data with hysteresis (`axis_range.follow_range`), so the bars move but the axes hold still. The curve items
are built once per architecture and updated with `setData`; the plots are laid out in whichever grid
suits the dock's shape (a row in a wide dock, a column in a tall one).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from nnviz.app.plots.axis_range import follow_range
from nnviz.app.plots.colours import CLASS_COLOURS
from nnviz.core.network import Network

BINS = 40
WEIGHT_PEN, WEIGHT_FILL = tuple(CLASS_COLOURS[1].astype(int)), (158, 202, 225)  # opaque: cheap to fill
BIAS_PEN = tuple(CLASS_COLOURS[0].astype(int))
PLOT_ASPECT = 1.5  # the width / height a histogram reads best at


def grid_columns(n_plots: int, width: float, height: float) -> int:
    """How many columns to lay `n_plots` out in, so each plot's shape is closest to PLOT_ASPECT."""

    def misfit(columns: int) -> float:
        rows = math.ceil(n_plots / columns)
        return abs(math.log(max(width / columns, 1) / max(height / rows, 1) / PLOT_ASPECT))

    return min(range(1, max(n_plots, 1) + 1), key=misfit)


def _finite(values: np.ndarray) -> np.ndarray:
    values = values.ravel()
    return values[np.isfinite(values)]


class WeightHistograms(QWidget):
    """A histogram of every weight matrix; optionally each layer's biases over the same bins."""

    #: the user changed what is shown (the biases toggle): the owner redraws from the network
    options_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.biases_too = QCheckBox("biases too")
        self.biases_too.setToolTip("Also count each layer's biases (orange outline) over the same bins")
        controls = QHBoxLayout()
        controls.addWidget(self.biases_too)
        controls.addStretch(1)
        self.graphics = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.graphics, 1)
        self.plots: list[pg.PlotItem] = []
        self.weight_curves: list[pg.PlotDataItem] = []
        self.bias_curves: list[pg.PlotDataItem] = []
        self.x_ranges: list[tuple[float, float] | None] = []
        self._y_ranges: list[tuple[float, float] | None] = []
        self._structure: tuple[tuple[int, ...], ...] = ()
        self._columns = 0
        self.biases_too.toggled.connect(self.options_changed)

    def _build(self, network: Network) -> None:
        self.plots, self.weight_curves, self.bias_curves = [], [], []
        for k, w in enumerate(network.weights):
            plot = pg.PlotItem()
            plot.setTitle(f"W{k + 1}: {w.shape[1]} → {w.shape[0]} ({w.size:,} weights)", size="9pt")
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.setMenuEnabled(False)
            weights = plot.plot(
                stepMode="center", fillLevel=0, pen=pg.mkPen(WEIGHT_PEN), brush=pg.mkBrush(WEIGHT_FILL)
            )
            biases = plot.plot(stepMode="center", pen=pg.mkPen(BIAS_PEN, width=2))
            self.plots.append(plot)
            self.weight_curves.append(weights)
            self.bias_curves.append(biases)
        self.x_ranges = [None] * len(self.plots)
        self._y_ranges = [None] * len(self.plots)
        self._structure = tuple(w.shape for w in network.weights)
        self._columns = 0
        self._arrange()

    def _arrange(self) -> None:
        """Put the plots in the grid that suits the current size (only when the column count changes)."""
        columns = grid_columns(len(self.plots), self.graphics.width(), self.graphics.height())
        if columns == self._columns:
            return
        self._columns = columns
        self.graphics.clear()
        for k, plot in enumerate(self.plots):
            self.graphics.addItem(plot, row=k // columns, col=k % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.plots:
            self._arrange()

    def set_network(self, network: Network) -> None:
        """Recount every layer's weights (and biases when asked) into BINS bins over the shown range."""
        if tuple(w.shape for w in network.weights) != self._structure:
            self._build(network)
        with_biases = self.biases_too.isChecked()
        for k, plot in enumerate(self.plots):
            weights = _finite(network.weights[k])
            biases = _finite(network.biases[k]) if with_biases else weights[:0]
            both = np.concatenate([weights, biases])
            if not len(both):  # every value NaN or inf: nothing to count
                self.weight_curves[k].setData([], [])
                self.bias_curves[k].setData([], [])
                continue
            x_range = follow_range(self.x_ranges[k], float(both.min()), float(both.max()))
            if x_range != self.x_ranges[k]:
                self.x_ranges[k] = x_range
                plot.setXRange(*x_range, padding=0)
            # values beyond the widest range (±1e308) are counted in its end bins
            counts, edges = np.histogram(np.clip(weights, *x_range), BINS, range=x_range)
            self.weight_curves[k].setData(edges, counts)
            top = counts.max()
            if with_biases:
                bias_counts, _ = np.histogram(np.clip(biases, *x_range), BINS, range=x_range)
                self.bias_curves[k].setData(edges, bias_counts)
                top = max(top, bias_counts.max())
            self.bias_curves[k].setVisible(with_biases)
            y_range = follow_range(self._y_ranges[k], 0.0, float(top))
            if y_range != self._y_ranges[k]:
                self._y_ranges[k] = y_range
                plot.setYRange(0, y_range[1], padding=0)

    def counts(self, k: int) -> np.ndarray:
        """The weight counts layer `k`'s histogram shows now (one per bin)."""
        return np.asarray(self.weight_curves[k].yData)
