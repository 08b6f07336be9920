"""How the panels name a selection and a parameter (nnviz.core.names, one scheme everywhere)."""

from nnviz.app.panels.math_text import parameter_name, selection_name
from nnviz.app.selection import Selection
from nnviz.core.names import GENERAL, Names
from nnviz.core.network import Network

CLASSIC = Network(
    [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    [[0.35, 0.35], [0.60, 0.60]],
    ["sigmoid"] * 2,
)


def test_selections_are_named_with_the_teaching_names():
    names = Names(CLASSIC.sizes)
    assert selection_name(Selection.edge(1, 0, 1), names) == "weight w6 (h2 → o1)"
    assert selection_name(Selection.neuron(1, 1), names) == "h2 (hidden layer 1, neuron 2)"
    assert selection_name(Selection.whole_layer(2), names) == "output layer"


def test_selections_are_named_in_the_general_form():
    names = Names(CLASSIC.sizes, GENERAL)
    assert selection_name(Selection.edge(1, 0, 1), names) == "weight W⁽²⁾₁₂ (n⁽¹⁾₂ → n⁽²⁾₁)"
    assert selection_name(Selection.neuron(1, 1), names) == "n⁽¹⁾₂ (hidden layer 1, neuron 2)"


def test_a_maxout_row_names_its_piece():
    net = Network.create([2, 3, 1], {"name": "maxout", "pieces": 2}, "sigmoid", seed=0)
    names = Names(net.sizes)
    assert parameter_name(net, names, 0, 4, 1) == "w4,2"  # row 4 = piece 2 of h2; from i2
    assert parameter_name(net, names, 0, 1) == "b_h2,1"
