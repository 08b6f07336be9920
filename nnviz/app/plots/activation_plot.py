"""The activation function `f` of the neuron in focus, with its current `(z, a)` marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from nnviz.app.plots.live_plot import LivePlot
from nnviz.app.session import Session
from nnviz.core.stepping import DeltaStep, NeuronStep


def focus_neuron(session: Session) -> tuple[int, int] | None:
    """The neuron the plots follow: the one being stepped, else the selected one (or an edge's target)."""
    step = session.stepper.current
    if isinstance(step, (NeuronStep, DeltaStep)):
        return step.layer, step.index
    sel = session.selection
    kind = getattr(sel, "kind", None)
    if kind == "neuron" and sel.layer > 0:
        return sel.layer, sel.index
    if kind == "edge":
        return sel.layer + 1, sel.index
    return None


class ActivationPlot(LivePlot):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setLabel("bottom", "z")
        self.setLabel("left", "a = f(z)")
        self.curve = self.plot(pen=pg.mkPen((70, 130, 220), width=2))
        self.marker = pg.ScatterPlotItem(size=11, brush=(240, 140, 40), pen=pg.mkPen("w"))
        self.addItem(self.marker)
        self.refresh()

    def draw(self) -> None:
        focus = focus_neuron(self.session) or (len(self.session.network.weights), 0)
        layer, j = focus
        act = self.session.network.activations[layer - 1]
        z_now = float(self.session.trace.z[layer][0, j])
        a_now = float(self.session.trace.a[layer][0, j])
        half = max(6.0, 1.25 * abs(z_now))
        z = np.linspace(-half, half, 401)
        if act.name == "softmax":  # vary this neuron's z with the others held: its probability curve
            zs = np.repeat(self.session.trace.z[layer], len(z), axis=0)
            zs[:, j] = z
            a = act(zs)[:, j]
        else:
            a = act(z)
        self.curve.setData(z, a)
        self.marker.setData([z_now], [a_now])
        self.set_title(f"neuron {layer}.{j + 1}: {act.formula}")
