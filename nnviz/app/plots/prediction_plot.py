"""Predicted vs true for regression: one point per row, the y = x diagonal a perfect network would sit on.

Points above the diagonal are over-estimates, below it under-estimates; a cloud that flattens towards a
horizontal line means the network has learnt little more than the mean. R² and RMSE head the plot. The
scatter item is built once and updated with `setData`; both axes share one range that follows the data
with hysteresis (`axis_range.follow_range`), so the diagonal stays put while the points move.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.app.plots.axis_range import follow_range
from nnviz.app.plots.colours import CLASS_COLOURS
from nnviz.core.metrics import regression_scores

POINT_BRUSH = tuple(CLASS_COLOURS[1].astype(int))


class PredictionPlot(QWidget):
    """Scatter of one network output against its target, with an output picker when there are several."""

    #: the user picked another output: the owner recomputes
    options_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.output = QComboBox()
        self.output_label = QLabel("output:")
        self.heading = QLabel()
        controls = QHBoxLayout()
        controls.addWidget(self.heading, 1)
        controls.addWidget(self.output_label)
        controls.addWidget(self.output)
        self.plot = pg.PlotWidget()
        self.plot.hideButtons()
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setLabel("bottom", "true")
        self.plot.setLabel("left", "predicted")
        for axis in ("bottom", "left"):
            self.plot.getAxis(axis).enableAutoSIPrefix(False)  # plain numbers, the same on both axes
        self.plot.disableAutoRange()
        self.diagonal = pg.InfiniteLine(
            pos=(0, 0), angle=45, movable=False, pen=pg.mkPen("#888", width=1, style=Qt.PenStyle.DashLine)
        )
        self.points = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(POINT_BRUSH))
        self.plot.addItem(self.diagonal, ignoreBounds=True)
        self.plot.addItem(self.points)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.message, 1)
        self.r2 = self.rmse = float("nan")
        self.axis_range: tuple[float, float] | None = None
        self.output.currentIndexChanged.connect(self.options_changed)
        self.set_output_names(["output 1"])
        self.show_message("")

    @property
    def output_index(self) -> int:
        return max(self.output.currentIndex(), 0)

    def set_output_names(self, names: list[str]) -> None:
        """The outputs to choose from; the choice is kept when the names stay the same."""
        if names != [self.output.itemText(i) for i in range(self.output.count())]:
            self.output.blockSignals(True)
            self.output.clear()
            self.output.addItems(names)
            self.output.blockSignals(False)
        self.output.setVisible(len(names) > 1)
        self.output_label.setVisible(len(names) > 1)

    def set_values(self, predicted: np.ndarray, target: np.ndarray, rows: str) -> None:
        """Plot `predicted` against `target` (one value per row); `rows` says which rows they are."""
        finite = np.isfinite(predicted) & np.isfinite(target)
        predicted, target = predicted[finite], target[finite]
        if not len(target):
            self.show_message("Predicted vs true: the network's outputs are not finite numbers.")
            return
        self.r2, self.rmse = regression_scores(predicted, target)
        r2 = "— (constant target)" if np.isnan(self.r2) else f"{self.r2:.3f}"
        self.heading.setText(f"<b>R² {r2} · RMSE {self.rmse:.4g}</b> · {rows}")
        self.points.setData(target, predicted)
        low = float(min(target.min(), predicted.min()))
        high = float(max(target.max(), predicted.max()))
        shown = follow_range(self.axis_range, low, high)
        if shown != self.axis_range:
            self.axis_range = shown
            self.plot.setRange(xRange=shown, yRange=shown, padding=0)
        self.message.hide()
        self.heading.show()
        self.plot.show()

    def show_message(self, text: str) -> None:
        """Say why there is no plot, instead of an empty one."""
        self.message.setText(text)
        self.heading.setText("")
        self.plot.hide()
        self.message.show()
