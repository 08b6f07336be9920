"""The single-neuron lesson: output = weight × input + bias is a line (weight = slope, bias = offset), and
the activation bends it. Follows the selected edge (its weight and its target's bias) or the first incoming
edge of the neuron in focus, and moves as either is edited."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from nnviz.app.plots.activation_plot import focus_neuron
from nnviz.app.plots.axis_range import plottable
from nnviz.app.plots.live_plot import LivePlot
from nnviz.app.session import Session


class NeuronView(LivePlot):
    DRAW_DELAY_MS = 50

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setLabel("bottom", "input x")
        self.addLegend(offset=(5, 5))
        self.line = self.plot(
            pen=pg.mkPen((150, 150, 150), width=2, style=pg.QtCore.Qt.PenStyle.DashLine), name="w·x + b"
        )
        self.curve = self.plot(pen=pg.mkPen((70, 130, 220), width=2), name="f(w·x + b)")
        self.marker = pg.ScatterPlotItem(size=10, brush=(240, 140, 40), pen=None)
        self.addItem(self.marker)
        self.refresh()

    def _edge(self) -> tuple[int, int, int]:
        """(k, j, i) of the edge shown: the selected one, else the first into the neuron in focus."""
        sel = self.session.selection
        if getattr(sel, "kind", None) == "edge":
            return sel.layer, sel.index, sel.source
        layer, j = focus_neuron(self.session) or (1, 0)
        return layer - 1, j, 0

    def draw(self) -> None:
        net, trace = self.session.network, self.session.trace
        k, j, i = self._edge()
        w, b = float(net.weights[k][j, i]), float(net.biases[k][j])
        act = net.activations[k]
        # a typed weight like 1e308 overflows to inf: draw what is there rather than fail
        with np.errstate(over="ignore", invalid="ignore"):
            x = np.linspace(-3, 3, 121)
            z = w * x + b
            self.line.setData(x, plottable(z))
            if act.pieces > 1:  # maxout: the largest of every piece's own line, w_p·x + b_p
                rows = j + net.sizes[k + 1] * np.arange(act.pieces)
                pieces = np.outer(net.weights[k][rows, i], x) + net.biases[k][rows, None]
                self.curve.setData(x, plottable(pieces.max(axis=0)))
            elif act.elementwise:
                self.curve.setData(x, plottable(act(z)))
            else:  # softmax of one neuron alone is 1: show the sigmoid it reduces to for two classes instead
                self.curve.setData(x, plottable(1 / (1 + np.exp(-z))))
            x_now = float(trace.a[k][0, i])
            y_now = float(act(np.array([w * x_now + b]))[0]) if act.elementwise else 0.5
            if act.pieces > 1:
                y_now = float(np.max(net.weights[k][rows, i] * x_now + net.biases[k][rows]))
            shown = np.isfinite(x_now) and np.isfinite(y_now)  # an overflowed input has no point to mark
            self.marker.setData([x_now] if shown else [], [y_now] if shown else [])
        self.set_title(f"edge {k}.{i + 1} → {k + 1}.{j + 1}: output = {w:.3g} × x + {b:.3g}")
