"""How the panels name a selection."""

from nnviz.app.panels.math_text import selection_name
from nnviz.app.selection import Selection
from nnviz.core.network import Network

CLASSIC = Network(
    [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    [[0.35, 0.35], [0.60, 0.60]],
    ["sigmoid"] * 2,
)


def test_selections_are_named_like_the_math_panel_names_neurons():
    assert selection_name(Selection.edge(1, 0, 1)) == "edge 1.2 → 2.1"
    assert selection_name(Selection.neuron(1, 2)) == "neuron 1.3"
    assert selection_name(Selection.whole_layer(2)) == "layer 2"
