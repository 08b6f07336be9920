"""The activation function `f` of the neuron in focus, with its current `(z, a)` marked."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from nnviz.app.plots.axis_range import plottable
from nnviz.app.plots.live_plot import LivePlot
from nnviz.app.session import Session
from nnviz.core.activations import maxout_winners
from nnviz.core.stepping import DeltaStep, NeuronStep
from nnviz.lessons.text import formula_html


def typeset(formula: str) -> str:
    """An activation's formula (`1 / (1 + e^(−β·z))`, plain text for the command line) set as the math panel
    sets formulas: the exponent raised, one-letter symbols italic."""
    return formula_html(re.sub(r"\^\(([^()]*)\)", r"^{\1}", formula))


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
    DRAW_DELAY_MS = 25

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setLabel("bottom", "z")
        self.setLabel("left", "a = f(z)")
        self.curve = self.plot(pen=pg.mkPen((70, 130, 220), width=2))
        self.marker = pg.ScatterPlotItem(size=11, brush=(240, 140, 40), pen=pg.mkPen("w"))
        self.addItem(self.marker)
        self._curve_key: tuple | None = None  # what the drawn curve shows; None: redraw every time
        self.refresh()

    def draw(self) -> None:
        focus = focus_neuron(self.session) or (len(self.session.network.weights), 0)
        layer, j = focus
        act = self.session.network.activations[layer - 1]
        z_now = float(act.neuron_sums(self.session.trace.z[layer])[0, j])
        a_now = float(self.session.trace.a[layer][0, j])
        name = self.session.names.neuron(layer, j)  # as the canvas and the inspector name it
        # The z range doubles in steps so that it changes rarely: while training moves z a little every
        # snapshot, only the marker is redrawn, not the curve and both axes (a full repaint: ~30 ms).
        half = 6.0
        while half < 1.25 * abs(z_now) and half < 1e12:
            half *= 2
        # A softmax neuron's curve depends on the other neurons' z too, a maxout neuron's on its other
        # pieces: redrawn every time.
        key = None if not act.elementwise else (layer, j, act, half)
        if key is None or key != self._curve_key:
            self._curve_key = key
            self._draw_curve(layer, j, act, half)
        if np.isfinite(z_now) and np.isfinite(a_now):
            self.marker.setData([z_now], [a_now])
            self.set_title(f"{name}: {typeset(act.formula)}")
        else:  # an overflowed pass: no point to mark, the numbers say why
            self.marker.setData([], [])
            self.set_title(f"{name}: z = {z_now:g}, a = {a_now:g} (off the plot)")

    def _draw_curve(self, layer: int, j: int, act, half: float) -> None:
        z = np.linspace(-half, half, 401)
        if not act.elementwise:  # vary this neuron's z with the others held: its probability curve, or
            # for maxout its winning piece's sum with the other pieces held (flat where another wins)
            sums, n = self.session.trace.z[layer], self.session.network.sizes[layer]
            column = j + n * int(maxout_winners(sums, act.pieces)[0, j]) if act.pieces > 1 else j
            zs = np.repeat(sums, len(z), axis=0)
            zs[:, column] = z
            a = act(zs)[:, j]
        else:
            a = act(z)
        self.curve.setData(z, plottable(a))
        finite = a[np.isfinite(a)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        if act.name in ("softmax", "sigmoid"):
            low, high = min(low, 0.0), max(high, 1.0)  # probabilities: the same axis for every neuron
        self.setRange(xRange=(-half, half), yRange=(low, high if high > low else low + 1), padding=0.05)
