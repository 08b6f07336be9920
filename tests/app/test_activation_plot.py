"""The activation plot's title: the neuron as every other view names it, the formula set as maths."""

from nnviz.app.plots.activation_plot import ActivationPlot
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.examples import load_example


def test_the_title_names_the_neuron_as_the_canvas_does_and_raises_the_exponent(qtbot):
    session = Session(load_example("classic"))
    plot = ActivationPlot(session)
    qtbot.addWidget(plot)
    plot.show()
    session.set_selection(Selection.neuron(2, 0))
    qtbot.waitUntil(lambda: plot._title.startswith("o1: "))
    assert "<sup>−β·<i>z</i></sup>" in plot._title  # e^(−β·z) written as a power, not with a caret
    assert "^" not in plot._title
