"""The math panel's text, checked against hand-worked numbers of the classic walk-through."""

import numpy as np

from nnviz.app.panels.math_text import layer_text, selection_name, step_text
from nnviz.app.selection import Selection
from nnviz.core.network import Network
from nnviz.core.stepping import ForwardStepper

CLASSIC = Network(
    [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    [[0.35, 0.35], [0.60, 0.60]],
    ["sigmoid"] * 2,
)


def test_a_neuron_step_writes_out_the_weighted_sum_with_its_numbers():
    text = step_text(ForwardStepper(CLASSIC, [0.05, 0.10]).step_neuron())
    # z = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775 (by hand); a = 1/(1+e^-0.3775) = 0.593269992
    assert "z = Σ wᵢ·aᵢ + b = 0.15·0.05 + 0.2·0.1 + 0.35" in text
    assert "= 0.0075 + 0.02 + 0.35" in text
    assert "= 0.3775\n" in text
    assert "a = f(z) = 0.59326999" in text


def test_negative_terms_are_subtracted_and_negative_factors_bracketed():
    net = Network([[[-0.5, 2.0]]], [[-1.0]], ["identity"])
    text = step_text(ForwardStepper(net, [1.0, -3.0]).step_neuron())
    assert "z = Σ wᵢ·aᵢ + b = -0.5·1 + 2·(-3) − 1" in text
    assert "= -0.5 − 6 − 1" in text
    assert "= -7.5" in text


def test_a_sum_over_784_inputs_shows_its_ends_and_counts_the_rest():
    net = Network.create([784, 2], seed=0)
    x = np.linspace(0.1, 1, 784)
    text = step_text(ForwardStepper(net, x).step_neuron())
    assert text.count("(778 more terms)") == 2
    assert "+ -" not in text
    assert len(text.splitlines()[1]) < 200


def test_the_layer_in_matrix_form_lists_w_a_b_and_the_result():
    stepper = ForwardStepper(CLASSIC, [0.05, 0.10])
    text = layer_text(CLASSIC, stepper.trace, 2)
    assert "a' = f(W a + b)" in text
    assert "W = [0.4, 0.45]\n    [0.5, 0.55]" in text
    assert "a' = f(W a + b) = [0.7514, 0.7729]" in text


def test_backward_steps_show_loss_delta_and_gradients():
    stepper = ForwardStepper(CLASSIC, [0.05, 0.10], [0.01, 0.99], "mse")
    texts = [step_text(s) for s in stepper.steps]
    assert "loss = 0.29837111" in texts[4]  # the walk-through's total error 0.298371109
    assert "δ = dL/da · f'(z) = 0.13849856" in texts[5]  # 0.74136507 · 0.186815602
    assert texts[-1].startswith("Gradients of the edges into neuron 1.2")
    assert step_text(None).startswith("Press N")


def test_selections_are_named_like_the_math_panel_names_neurons():
    assert selection_name(Selection.edge(1, 0, 1)) == "edge 1.2 → 2.1"
    assert selection_name(Selection.neuron(1, 2)) == "neuron 1.3"
    assert selection_name(Selection.whole_layer(2)) == "layer 2"
