"""TensorFlow Playground's signature views for 2-input networks, updating live while training.

`DecisionMap`: the output over the input plane as a heat map behind the data points (training and test
points each toggleable) — classes coloured and blended by probability (or, discretized, each pixel in its
predicted class's colour), or a regression output as a diverging map. `NeuronMaps`: one small map per hidden
neuron showing what it responds to. Both evaluate the network on one grid in a single forward pass; items are
built once and updated in place. The plane is the data's (x1, x2) plane (`nnviz.core.feature_plane`): with
feature transforms, `to_inputs` turns each grid point into the network's inputs (x1², sin(x1), … scaled).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.app.plots.axis_range import within_reach
from nnviz.app.plots.colours import class_colour, class_probabilities, diverging_colours, probability_colours
from nnviz.core.feature_plane import layer_shares, plane_bounds, plane_grid
from nnviz.core.network import Network

__all__ = ["DecisionMap", "NeuronMaps", "plane_bounds", "plane_grid"]

RESOLUTION = 64  # grid points per axis for the output map
NEURON_RESOLUTION = 32
MAX_NEURONS_SHOWN = 16  # per layer; larger layers show their first neurons
# Points drawn over the map, per set (training, test): more hide the map and cost seconds to draw; a larger
# set is shown by an evenly spread sample of this many, and the note says so.
MAX_POINTS = 4000


def _rect(bounds: tuple[float, float, float, float]) -> QRectF:
    return QRectF(bounds[0], bounds[2], bounds[1] - bounds[0], bounds[3] - bounds[2])


def _swatch(rgb: tuple[int, int, int]) -> str:
    return '<span style="color:#{:02x}{:02x}{:02x}">■</span>'.format(*rgb)


def class_key_html(names: list[str]) -> str:
    """The legend of a classification map: each class's colour and name; paler means less sure."""
    entries = "&nbsp;&nbsp;".join(f"{_swatch(class_colour(k))}&nbsp;{name}" for k, name in enumerate(names))
    return f"{entries}&nbsp;&nbsp;— paler: less sure"


def scale_key_html(scale: float) -> str:
    """The legend of a signed map: the negative end's colour, white at 0, the positive end's."""
    return (
        f"{_swatch(class_colour(0))}&nbsp;≤ −{scale:.3g}&nbsp;&nbsp;□&nbsp;0&nbsp;&nbsp;"
        f"{_swatch(class_colour(1))}&nbsp;≥ {scale:.3g}"
    )


class DecisionMap(QWidget):
    """The output's decision regions over the input plane, with the data drawn on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_train = QCheckBox("training points")
        self.show_test = QCheckBox("test points")
        self.show_train.setChecked(True)
        self.show_test.setChecked(True)
        self.discretize = QCheckBox("discretize output")
        self.discretize.setToolTip("Each point in the colour of the class (or sign) predicted, not how sure")
        self.note = QLabel("")
        self.key = QLabel("")  # what the colours mean: each class's colour, or the signed scale's ends
        self.key.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(self.show_train)
        controls.addWidget(self.show_test)
        controls.addWidget(self.discretize)
        controls.addStretch(1)
        self.plot = pg.PlotWidget()
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.train_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen("w", width=1))
        self.test_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen("k", width=1))
        for item in (self.image, self.train_points, self.test_points):
            self.plot.addItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.key)
        layout.addWidget(self.note)
        self.bounds = plane_bounds()
        self.task = "classification"
        self._grid = plane_grid(self.bounds, RESOLUTION)
        self._regression_scale: float | None = None
        self.sample_note = ""
        self.show_train.toggled.connect(self.train_points.setVisible)
        self.show_test.toggled.connect(self.test_points.setVisible)
        self.discretize.toggled.connect(self._recolour)
        self._to_inputs: Callable[[np.ndarray], np.ndarray] | None = None
        self._outputs: np.ndarray | None = None  # the last grid outputs, recoloured when discretize toggles

    def set_data(
        self, x, y, task: str, x_test=None, y_test=None, class_names=None, to_inputs=None, bounds=None
    ) -> None:
        """The points to draw (on the plane, 2 columns) and what the targets are; `to_inputs` turns plane
        points into network inputs (None: the points are the inputs), `bounds` is the plane shown (None: the
        points' extent). Data of more than 2 columns has no place on the plane: it is not drawn (plotting
        two pixels of an image against each other would mean nothing, and cost seconds for a large set)."""
        self._to_inputs = to_inputs
        if x is not None and x.ndim == 2 and x.shape[1] > 2:
            x = y = x_test = y_test = None
        self.task = task
        self.bounds = plane_bounds(x, x_test) if bounds is None else bounds
        self._grid = plane_grid(self.bounds, RESOLUTION)
        self.plot.setRange(rect=_rect(self.bounds), padding=0)
        targets = [np.asarray(t) for t in (y, y_test) if t is not None]
        self._regression_scale = (
            float(max(np.abs(t).max() for t in targets if t.size))
            if task == "regression" and targets
            else None
        )
        shown = [
            self._set_points(self.train_points, x, y),
            self._set_points(self.test_points, x_test, y_test),
        ]
        self.sample_note = " ".join(
            f"Showing {drawn:,} of {total:,} {what} points, evenly spread."
            for (drawn, total), what in zip(shown, ("training", "test"), strict=True)
            if drawn < total
        )
        if task == "classification":
            n = int(max((np.asarray(t).max(initial=0) for t in targets), default=0)) + 1
            names = list(class_names or [])[:n] + [str(k) for k in range(len(class_names or []), n)]
            self.key.setText(class_key_html(names))
        else:
            self.key.setText(scale_key_html(self._regression_scale or 1.0))

    def _set_points(self, item: pg.ScatterPlotItem, x, y) -> tuple[int, int]:
        """Draw (a bounded sample of) the points; returns (drawn, total)."""
        if x is None or not len(x) or x.shape[1] < 2:
            item.setData([], [])
            return 0, 0
        total = len(x)
        rows = np.linspace(0, total - 1, min(total, MAX_POINTS)).astype(int)
        x, y = x[rows], np.asarray(y)[rows]
        if self.task == "classification":
            classes = y.reshape(len(y), -1)[:, 0].astype(int)
            palette = {c: pg.mkBrush(*class_colour(c)) for c in np.unique(classes).tolist()}
            brushes = [palette[c] for c in classes.tolist()]  # shared: pyqtgraph draws each brush once
        else:
            brushes = [
                pg.mkBrush(*c[:3])
                for c in diverging_colours(y.reshape(len(y), -1)[:, 0], self._regression_scale)
            ]
        x = within_reach(x)  # points at ±1e308 sit at the edge of the (finite) plane
        item.setData(x[:, 0], x[:, 1], brush=brushes)
        return len(rows), total

    def set_network(self, network: Network) -> None:
        """Recolour the map from the network's current parameters (one forward pass over the grid)."""
        inputs = self._grid if self._to_inputs is None else self._to_inputs(self._grid)
        if network.sizes[0] != inputs.shape[1]:
            self._outputs = None
            if self.image.image is not None:  # cleared once, not again for every training snapshot
                self.image.clear()
            self.note.setText("The decision map needs a network with 2 inputs (or features of 2).")
            return
        self.note.setText(self.sample_note)
        self._outputs = network.forward(inputs)
        self._recolour()

    def _recolour(self) -> None:
        if self._outputs is None:
            return
        self.image.setImage(self.colours(self._outputs), autoLevels=False)
        self.image.setRect(_rect(self.bounds))  # after setImage: the transform depends on the image size

    def colours(self, outputs: np.ndarray) -> np.ndarray:
        """The (RESOLUTION, RESOLUTION, 4) image for grid outputs."""
        discrete = self.discretize.isChecked()
        if self.task == "classification":
            probabilities = class_probabilities(outputs)
            if discrete:  # the predicted class, full colour: where the boundary is, not how sure
                probabilities = np.eye(probabilities.shape[1])[probabilities.argmax(axis=1)]
            rgba = probability_colours(probabilities)
        else:
            values = outputs[:, 0]
            scale = self._regression_scale
            if discrete:
                values = np.sign(values) * (scale or 1.0)
            rgba = diverging_colours(values, scale)
        return rgba.reshape(RESOLUTION, RESOLUTION, 4)


class NeuronMaps(QWidget):
    """A column of small maps per hidden layer: each neuron's activation over the input plane."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)
        self.images: list[list[pg.ImageItem]] = []
        self._structure: tuple[int, ...] = ()
        self.bounds = plane_bounds()
        self._to_inputs = None
        self._grid = plane_grid(self.bounds, NEURON_RESOLUTION)

    def set_plane(self, bounds: tuple[float, float, float, float], to_inputs=None) -> None:
        """The plane's extent, and how its points become network inputs (None: they are the inputs)."""
        self.bounds, self._to_inputs = bounds, to_inputs
        self._grid = plane_grid(bounds, NEURON_RESOLUTION)
        self._structure = ()  # rebuild the items with the new extent at the next update

    def _build(self, hidden_sizes: tuple[int, ...]) -> None:
        self.graphics.clear()
        self.images = []
        for col, size in enumerate(hidden_sizes):
            column = []
            for row in range(min(size, MAX_NEURONS_SHOWN)):
                view = self.graphics.addViewBox(row=row, col=col, lockAspect=True, enableMouse=False)
                item = pg.ImageItem(axisOrder="row-major")
                view.addItem(item)
                view.setRange(rect=_rect(self.bounds), padding=0.02)
                column.append(item)
            self.images.append(column)
        self._structure = hidden_sizes

    def set_network(self, network: Network) -> None:
        """Redraw every hidden neuron's map (one forward pass over the grid for all of them)."""
        inputs = self._grid if self._to_inputs is None else self._to_inputs(self._grid)
        hidden = tuple(network.sizes[1:-1]) if network.sizes[0] == inputs.shape[1] else ()
        if hidden != self._structure:
            self._build(hidden)
        if not hidden:
            return
        shares = layer_shares(network, inputs)
        for k, column in enumerate(self.images):
            for j, item in enumerate(column):
                image = diverging_colours(shares[k + 1][:, j], 1.0)
                item.setImage(image.reshape(NEURON_RESOLUTION, NEURON_RESOLUTION, 4), autoLevels=False)
                item.setRect(_rect(self.bounds))
