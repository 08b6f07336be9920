"""The output: the prediction, the outputs (class probabilities) as a bar chart, and the loss for the
target when one is given."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.app.panels.math_text import num
from nnviz.app.plots.axis_range import keep_span_drawable, within_reach
from nnviz.app.plots.colours import class_colour
from nnviz.app.session import Session
from nnviz.core.losses import LossError, get_loss


def prediction_text(outputs: np.ndarray, class_names: list[str], activation: str) -> str:
    """What the network says, in words: the winning class, the probability of class 1, or the values."""
    if activation == "softmax" or (len(outputs) > 1 and class_names):
        best = int(np.argmax(outputs))
        name = class_names[best] if best < len(class_names) else str(best)
        return f"prediction: class {name} ({num(outputs[best])})"
    if len(outputs) == 1 and activation == "sigmoid" and class_names:
        cls = class_names[int(outputs[0] >= 0.5)] if len(class_names) == 2 else int(outputs[0] >= 0.5)
        return f"prediction: class {cls} (p = {num(outputs[0])})"
    return "output: " + ", ".join(num(v) for v in outputs)


class OutputPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.prediction = QLabel()
        self.prediction.setWordWrap(True)
        self.loss = QLabel()
        self.plot = pg.PlotWidget()
        # A 1280×720 projector leaves the whole output dock about 100 px: the plot takes what there is, down
        # to 40 px. Its size hint (pyqtgraph's 480 px) is ignored, or the word-wrapping labels make the dock's
        # scroll area size the panel by it, and the bars end up below the fold.
        self.plot.setMinimumHeight(40)
        self.plot.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        keep_span_drawable(self.plot)
        self.bars = pg.BarGraphItem(x=[0], height=[0], width=0.7, brush=class_colour(1))
        self._colours: list = []
        self.targets = pg.ScatterPlotItem(symbol="t1", size=12, brush=(240, 140, 40), pen=None)
        self.plot.addItem(self.bars)
        self.plot.addItem(self.targets)
        self._ticks: list = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)  # the dock is short on a projector: the bars get the room
        layout.setSpacing(2)
        layout.addWidget(self.prediction)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.loss)
        session.trace_changed.connect(self._on_trace_changed)
        session.network_changed.connect(self._on_trace_changed)
        session.step_changed.connect(self._on_step_changed)
        self._hidden: bool | None = None  # whether predict first hides the outputs drawn
        self._range: tuple[int, str] | None = None  # (outputs, activation) the fixed axis was set for
        self._on_trace_changed()

    def _set_bars(self, x: np.ndarray, heights: np.ndarray, classes: list[str]) -> None:
        """Bar k in class k's colour, one colour mapping with the other views (one output: class 1's chance).
        The brushes change in the same call as the bars: a brush list shorter than the bars (two outputs
        after one) made the bar item's paint fail and take the process down."""
        colours = [class_colour(k) for k in x] if len(classes) == len(x) else [class_colour(1)] * len(x)
        bars: dict[str, object] = {"x": x, "height": heights}
        if colours != self._colours:
            self._colours = colours
            bars["brushes"] = [pg.mkBrush(*c) for c in colours]
        self.bars.setOpts(**bars)

    def _outputs_hidden(self) -> bool:
        known = self.session.known()
        return known is not None and not known[-1].all()  # predict first: nothing until they are computed

    def _on_step_changed(self) -> None:
        """A step only matters here when predict first shows or hides the outputs with it (every new trace
        is followed by a step signal: drawing twice cost a training redraw a millisecond)."""
        if self._outputs_hidden() != self._hidden:
            self._on_trace_changed()

    def _on_trace_changed(self) -> None:
        s = self.session
        outputs = s.trace.output[0]
        classes = s.dataset.class_names if s.dataset is not None else []
        x = np.arange(len(outputs))
        self._hidden = self._outputs_hidden()
        if self._hidden:
            self.prediction.setText("prediction: ? — what do you expect? Step through to see")
            self._set_bars(x, np.zeros(len(outputs)), classes)
            self.targets.setData([], [])
            self.loss.setText("loss: ?")
            return
        self.prediction.setText(prediction_text(outputs, classes, s.network.output_activation.name))
        self._set_bars(x, within_reach(outputs), classes)  # inf as a bar off the top, NaN as none
        names = classes if len(classes) == len(outputs) else [str(i + 1) for i in x]
        ticks = [list(zip(x.tolist(), names, strict=True))]
        if ticks != self._ticks:  # new ticks re-lay out the axis: only when they change
            self._ticks = ticks
            self.plot.getAxis("bottom").setTicks(ticks)
        activation = s.network.output_activation.name
        if activation in ("softmax", "sigmoid"):
            # Probabilities: a fixed axis, so a training snapshot repaints the bars, not the axes.
            if self._range != (len(outputs), activation):
                self.plot.setRange(xRange=(-0.5, len(outputs) - 0.5), yRange=(0.0, 1.0))
            self._range = (len(outputs), activation)
        else:
            self.plot.enableAutoRange()
            self._range = None
        points, text = self._target_and_loss(x)
        self.targets.setData(*points)  # once: clearing them first cost another update every training redraw
        self.loss.setText(text)

    def _target_and_loss(self, x: np.ndarray) -> tuple[tuple, str]:
        """The target's points over the bars, and the loss against it (or why there is none)."""
        s, outputs = self.session, self.session.trace.output
        none: tuple = ([], [])
        if s.target is None:
            return none, "loss: give a target to compare with"
        try:
            t = s.target_matrix()
        except LossError as exc:
            return none, str(exc)
        if t.shape[1] != outputs.shape[1]:  # the output layer was resized after the target was given
            return none, f"the target has {t.shape[1]} values but the network has {outputs.shape[1]} outputs"
        with np.errstate(over="ignore", invalid="ignore"):  # outputs near the float limit: loss inf
            loss = get_loss(s.loss_name).value(outputs, t)
        return (x, within_reach(t[0])), f"loss ({s.loss_name}) = {num(loss)}"
