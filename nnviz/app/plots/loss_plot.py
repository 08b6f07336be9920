"""Live loss and accuracy curves: training (per minibatch and per epoch) and test, against step or epoch.

Fed with the training worker's snapshots. Every series is a DecimatedHistory, so a run of millions of steps
keeps memory and drawing bounded; the curve items are created once and updated with `setData`.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from nnviz.app.paint_later import PaintLater
from nnviz.app.plots.curve_history import DecimatedHistory
from nnviz.app.plots.legible_axis import LegibleAxis
from nnviz.core.training import EpochStats

X_AXES = ("step", "epoch")
FIGURES_SCALE = 1.15  # the latest-loss figures' font, relative to the panel's
BATCH_COLOUR, TRAIN_COLOUR, TEST_COLOUR = "#9ecae1", "#1f77b4", "#d62728"
# Downsample to one (minimum, maximum) pair per pixel column, not pyqtgraph's default of about five.
CURVE_OPTIONS = {"autoDownsampleFactor": 1.0}
# (series name, EpochStats field, plot, pen colour, label)
EPOCH_SERIES = (
    ("train", "loss", "loss", TRAIN_COLOUR, "training loss"),
    ("test", "test_loss", "loss", TEST_COLOUR, "test loss"),
    ("train_acc", "accuracy", "accuracy", TRAIN_COLOUR, "training accuracy"),
    ("test_acc", "test_accuracy", "accuracy", TEST_COLOUR, "test accuracy"),
)


def key_html(entries) -> str:
    """A line of coloured dashes and names, e.g. the loss plot's key."""
    return "&nbsp;&nbsp;".join(f'<span style="color:{c}">━━</span>&nbsp;{name}' for c, name in entries)


#: the most height the accuracy curves take, x axis and its title included (pixels)
ACCURACY_HEIGHT = 64


def _corner_title(plot: pg.PlotItem, name: str, top: bool) -> None:
    """`name` in grey in the plot's top- or bottom-right corner, kept there as the plot is resized."""
    box = plot.getViewBox()
    title = pg.TextItem(name, color="#888", anchor=(1, 0 if top else 1))
    title.setParentItem(box)

    def place() -> None:
        rect = box.rect()
        title.setPos(rect.right() - 4, rect.top() if top else rect.bottom())

    box.sigResized.connect(place)
    place()


class LossPlot(QWidget):
    """Loss curves (and accuracy curves for classification) with an x-axis choice, log scale and crosshair."""

    default_key = key_html([(BATCH_COLOUR, "minibatch"), (TRAIN_COLOUR, "training"), (TEST_COLOUR, "test")])

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.x_axis = QComboBox()
        self.x_axis.addItems(X_AXES)
        self.log_scale = QCheckBox("log scale")
        self.readout = QLabel(" ")
        controls = QHBoxLayout()
        controls.addWidget(QLabel("x:"))
        controls.addWidget(self.x_axis)
        controls.addWidget(self.log_scale)
        controls.addStretch(1)
        # The key sits beside the controls, not inside the plot, where it covered the curves of a short dock.
        self.key = QLabel(self.default_key)  # runs compared name themselves here instead
        controls.addWidget(self.key)
        # The latest figures, large, beside the curves (as Playground shows them): readable from the back row.
        self.figures = QLabel()
        font = self.figures.font()
        font.setPointSizeF(font.pointSizeF() * FIGURES_SCALE)
        font.setBold(True)
        self.figures.setFont(font)
        self._make_plots()
        self.batch_curve = self.loss_plot.plot(
            pen=pg.mkPen(BATCH_COLOUR, width=1), name="minibatch loss", **CURVE_OPTIONS
        )
        plots = {"loss": self.loss_plot, "accuracy": self.accuracy_plot}
        self.curves = {
            name: plots[plot].plot(pen=pg.mkPen(colour, width=2), name=label, **CURVE_OPTIONS)
            for name, _, plot, colour, label in EPOCH_SERIES
        }
        self.crosshair = pg.InfiniteLine(
            angle=90, movable=False, pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine)
        )
        self.loss_plot.addItem(self.crosshair, ignoreBounds=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.graphics, 1)
        # the figures share the crosshair readout's line: no extra height in a short dock
        bottom = QHBoxLayout()
        bottom.addWidget(self.figures)
        bottom.addStretch(1)
        bottom.addWidget(self.readout)
        layout.addLayout(bottom)
        # (epochs, steps) recorded before the trainer's own counts began (a reopened project's history):
        # added to what snapshots report, so the live curves continue the saved ones.
        self.origin = (0, 0)
        self.batch = DecimatedHistory()
        self.by_step = {name: DecimatedHistory() for name, *_ in EPOCH_SERIES}
        self.by_epoch = {name: DecimatedHistory() for name, *_ in EPOCH_SERIES}
        self._paint_later = PaintLater(self.graphics)
        self.set_task("regression")
        self.figures.setText(self.latest_figures())
        self.x_axis.currentTextChanged.connect(self._redraw)
        self.log_scale.toggled.connect(self._on_log_scale_toggled)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def _make_plots(self) -> None:
        self.graphics = pg.GraphicsLayoutWidget()
        self.loss_plot = self.graphics.addPlot(row=0, col=0, axisItems={"left": LegibleAxis("left")})
        self.accuracy_plot = self.graphics.addPlot(row=1, col=0)
        self.accuracy_plot.setXLink(self.loss_plot)
        # The loss is what the dock is for: accuracy (0 to 1, three ticks) takes at most a fixed strip below,
        # and the x axis has no title (the "x:" choice above the plot names it).
        self.accuracy_plot.setMaximumHeight(ACCURACY_HEIGHT)
        # Each plot's name is written inside it, in the right-hand corner a learning curve leaves empty (the
        # loss falls, the accuracy rises), not up its axis: in a short dock a rotated "accuracy" is taller
        # than its plot and ran into "loss" above it.
        _corner_title(self.loss_plot, "loss", top=True)
        _corner_title(self.accuracy_plot, "accuracy", top=False)
        self.accuracy_plot.setYRange(0, 1)
        # Accuracy is always 0 to 1: three fixed ticks stay legible in a short dock, where automatic ones
        # (0, 0.2, …, 1 in 60 px) ran into each other.
        self.accuracy_plot.getAxis("left").setTicks([[(0, "0"), (0.5, "0.5"), (1, "1")], []])
        for plot in (self.loss_plot, self.accuracy_plot):
            for side in ("left", "bottom"):  # "loss (x0.001)" reads worse than the numbers themselves
                plot.getAxis(side).enableAutoSIPrefix(False)
            # A long run keeps thousands of points a curve, several per pixel: drawn as each pixel
            # column's minimum and maximum ("peak"; CURVE_OPTIONS), they look the same and paint in a
            # fraction of the time.
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)

    def set_task(self, task: str) -> None:
        """Accuracy curves only make sense for classification. Below the loss they share its x axis, drawn
        once under both: the height it took is the loss curve's in a short dock."""
        self.task = task
        classification = task == "classification"
        self.accuracy_plot.setVisible(classification)
        self.loss_plot.showAxis("bottom", not classification)

    def clear(self) -> None:
        """No curves, and axes back to 0-1 (an empty plot keeps its last range: a diverged run's 1e+304)."""
        for history in (self.batch, *self.by_step.values(), *self.by_epoch.values()):
            history.clear()
        self._redraw()
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            plot.enableAutoRange(x=True, y=plot is self.loss_plot)

    def add_snapshot(self, snap, redraw: bool = True) -> None:
        """Append what a training snapshot reports; `redraw=False` leaves drawing to a later `redraw()`."""
        if snap.batch_loss is not None:
            self.batch.append(self.origin[1] + snap.step, snap.batch_loss)
        for stats in snap.new_epochs:
            self.add_epoch(stats)
        if redraw:
            self._redraw()

    def redraw(self) -> None:
        """Draw the curves as they are now (the training UI calls it at its own, lower rate), painted in
        the next turn of the event loop."""
        self._paint_later.hold()
        self._redraw()

    def add_epoch(self, stats: EpochStats) -> None:
        for name, field, *_ in EPOCH_SERIES:
            value = getattr(stats, field)
            if value is not None:
                self.by_step[name].append(self.origin[1] + stats.steps, value)
                self.by_epoch[name].append(self.origin[0] + stats.epoch, value)

    def _series(self) -> dict[str, DecimatedHistory]:
        return self.by_epoch if self.x_axis.currentText() == "epoch" else self.by_step

    def latest_figures(self) -> str:
        """`training loss 0.312 · test loss 0.340` from the last epoch (the last minibatches' mean before
        the first epoch ends); a dash before any training."""
        train, test = self.by_epoch["train"], self.by_epoch["test"]
        if len(train):
            text = f"training loss {train.y[-1]:.4g}"
        elif len(self.batch):
            text = f"training loss {self.batch.y[-1]:.4g} (minibatch)"
        else:
            return "training loss — · test loss —"
        return text + (f" · test loss {test.y[-1]:.4g}" if len(test) else "")

    def _redraw(self) -> None:
        self.figures.setText(self.latest_figures())
        by_step = self.x_axis.currentText() == "step"
        self.batch_curve.setVisible(by_step)
        self.batch_curve.setData(self.batch.x.copy(), self.batch.y.copy())
        for name, history in self._series().items():
            self.curves[name].setData(history.x.copy(), history.y.copy())
        # The automatic ranges are settled here, not in the paint: a range changed there re-clips the curves
        # and asks for a second paint of the whole plot, every redraw. Twice, because the re-clipped curves'
        # new bounds move the range once more.
        for _ in range(2):
            self.graphics.scene().prepareForPaint()

    def _on_log_scale_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(y=on)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        if not self.loss_plot.sceneBoundingRect().contains(pos):
            return
        x = self.loss_plot.vb.mapSceneToView(pos).x()
        self.crosshair.setPos(x)
        self.readout.setText(self.readout_at(x))

    def readout_at(self, x: float) -> str:
        """The values nearest to `x` on the current axis, e.g. `step 120: minibatch loss 0.31 · …`."""
        axis = self.x_axis.currentText()
        parts = []
        series = [("minibatch loss", self.batch)] if axis == "step" else []
        series += [(label, self._series()[name]) for name, _, _, _, label in EPOCH_SERIES]
        for label, history in series:
            if len(history):
                i = int(np.clip(np.searchsorted(history.x, x), 0, len(history) - 1))
                if i and abs(history.x[i - 1] - x) < abs(history.x[i] - x):
                    i -= 1
                parts.append(f"{label} {history.y[i]:.4g}")
        return f"{axis} {x:.0f}: " + " · ".join(parts) if parts else " "
