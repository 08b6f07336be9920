"""The walk-through reproduces the published 2-2-2 example figure by figure, its sums add up as shown, and
its gradients and updates are the network's own (checked against PyTorch in test_walkthrough_torch)."""

import itertools
from decimal import Decimal

import numpy as np
import pytest

from nnviz.core.document import load_project
from nnviz.core.examples import example_path
from nnviz.core.numbers import fmt, sum_parts
from nnviz.core.published import FIGURES
from nnviz.core.walkthrough import explain, plain_text

EXACT_NEW_LOSS = "0.29102777"


def _classic(digits=8, **kw):
    project = load_project(example_path("classic"))
    config = project.training
    return explain(
        project.network,
        [0.05, 0.10],
        [0.01, 0.99],
        config.loss,
        config.learning_rate,
        config.update_biases,
        digits,
        **kw,
    )


def _shown(equation) -> str:
    """The figure an equation ends on, as displayed."""
    return plain_text(equation.rhs[-1])


def _number(text: str) -> Decimal:
    return Decimal(text.replace("−", "-"))


def test_the_classic_example_file_turns_the_bias_update_off():
    assert load_project(example_path("classic")).training.update_biases is False


#: figures the published text derives from its own rounded intermediate values
DIFFERENT = {"E_total⁺", "∂E_o2/∂out_h1"}


def _significant(figure: float) -> int:
    return len(repr(abs(figure)).replace(".", "").lstrip("0"))


@pytest.mark.parametrize("name", sorted(set(FIGURES) - DIFFERENT))
def test_every_published_figure_is_shown_to_8_digits(name):
    """To 8 digits, or to all the published text gives when it gives fewer (0.000438568)."""
    walk = _classic()
    digits = min(8, _significant(FIGURES[name]))
    assert fmt(float(_number(_shown(walk.equation(name)))), digits) == fmt(FIGURES[name], digits)
    assert "published" not in walk.equation(name).note


def test_an_intermediate_figure_that_differs_says_so():
    e = _classic().equation("∂E_o2/∂out_h1")
    assert fmt(e.value, 8) == "−0.019049118"
    assert "published: −0.019049119" in e.note
    assert "rounded" in e.note


def test_the_new_loss_is_exact_and_says_why_it_differs_from_the_published_one():
    e = _classic().equation("E_total⁺")
    assert _shown(e) == EXACT_NEW_LOSS
    assert "published: 0.291027924" in e.note
    assert "rounded" in e.note


def test_the_chain_rule_is_shown_factor_by_factor():
    walk = _classic()
    w5 = walk.equation("∂E_total/∂w5")
    assert plain_text(w5.rhs[0]) == "∂E_total/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5"
    assert plain_text(w5.rhs[1]) == "0.74136507 · 0.1868156 · 0.59326999"  # published 0.186815602
    w1 = walk.equation("∂E_total/∂w1")
    assert plain_text(w1.rhs[0]) == "∂E_total/∂out_h1 · ∂out_h1/∂net_h1 · ∂net_h1/∂w1"
    assert plain_text(w1.rhs[1]) == "0.036350306 · 0.24130071 · 0.05"
    assert _shown(w1) == "0.00043856773"  # published (to 6 digits) 0.000438568


def test_each_gradient_has_its_own_line_and_name():
    walk = _classic()
    names = [e.name for s in walk.sections for e in s.equations if e.name.startswith("∂E_total/∂w")]
    assert names == [f"∂E_total/∂w{n}" for n in (5, 6, 7, 8, 1, 2, 3, 4)]


def test_the_update_is_w_minus_eta_times_the_gradient_with_the_biases_kept():
    walk = _classic()
    w7 = walk.equation("w7⁺")
    assert [plain_text(r) for r in w7.rhs] == [
        "w7 − η·∂E_total/∂w7",
        "0.5 − 0.5·(−0.02260254)",
        "0.5 + 0.01130127",
        "0.51130127",
    ]
    assert not [e for s in walk.sections for e in s.equations if e.name.startswith("b_")]
    assert "update biases" in walk.section(("update", 1)).prose


def test_with_the_bias_update_on_the_biases_get_their_gradients_and_updates():
    project = load_project(example_path("classic"))
    walk = explain(project.network, [0.05, 0.10], [0.01, 0.99], "mse", 0.5, True, 8)
    assert _shown(walk.equation("∂E_total/∂b_o1")) == _shown(walk.equation("∂E_total/∂net_o1"))
    assert walk.equation("b_o1⁺").value == pytest.approx(0.6 - 0.5 * walk.equation("∂E_total/∂net_o1").value)
    assert "published" not in walk.equation("E_total⁺").note  # not the published setting any more


@pytest.mark.parametrize(("optimizer", "said"), [("momentum", "momentum"), ("adam", "Adam")])
def test_with_another_optimizer_the_update_says_it_takes_the_plain_gradient_step(optimizer, said):
    """A class training with Adam sees w⁺ = w − η·∂E/∂w here: the step must say it is not Adam's."""
    project = load_project(example_path("classic"))
    args = (project.network, [0.05, 0.10], [0.01, 0.99], "mse", 0.5, True, 8)
    walk = explain(*args, optimizer=optimizer)
    prose = walk.section(("update", 1)).prose
    assert f"Training uses {said}" in prose
    assert "plain gradient-descent step" in prose
    plain = explain(*args)  # sgd: the step training takes too, nothing to say
    assert plain.section(("update", 1)).prose == ""
    assert walk.equation("w7⁺").value == plain.equation("w7⁺").value


@pytest.mark.parametrize("digits", [4, 8])
def test_every_sum_adds_up_as_shown(digits):
    """Wherever a line is `a + b − c = r`, the shown terms add up exactly to the shown result."""
    checked = 0
    for s in _classic(digits).sections:
        for e in s.equations:
            exact = e.rhs[:-1] if e.approx else e.rhs  # `≈ r` is the rounding of the exact sum before it
            for before, after in itertools.pairwise(exact):
                left, right = plain_text(before), plain_text(after)
                if any(c in left for c in "·(/²_") or any(c.isalpha() for c in left + right):
                    continue
                terms = left.replace(" − ", " + −").split(" + ")
                assert sum(_number(t) for t in terms) == _number(right), f"{e.name}: {left} = {right}"
                checked += 1
    assert checked >= 14


def test_at_4_digits_the_figures_have_4_significant_digits():
    walk = _classic(4)
    assert _shown(walk.equation("out_h1")) == "0.5933"
    assert _shown(walk.equation("E_total")) == "0.2984"
    assert _shown(walk.equation("w5⁺")) == "0.3589"


def test_the_general_names_use_layer_and_neuron():
    walk = _classic(scheme="general")
    e = walk.equation("∂E_total/∂W⁽²⁾₁₁")
    assert plain_text(e.rhs[0]) == "∂E_total/∂a⁽²⁾₁ · ∂a⁽²⁾₁/∂z⁽²⁾₁ · ∂z⁽²⁾₁/∂W⁽²⁾₁₁"
    assert _shown(e) == "0.082167041"


def test_sum_parts_rounds_each_term_within_one_unit_and_adds_up():
    rng = np.random.default_rng(5)
    for _ in range(500):
        n = rng.integers(2, 6)
        values = (rng.choice([-1, 1], n) * 10.0 ** rng.uniform(-4, 3, n)).tolist()
        total = float(np.sum(values))
        for digits, keep_terms in itertools.product((4, 8), (False, True)):
            shown, result = sum_parts(values, total, digits, keep_terms)
            assert sum(shown) == result
            unit = Decimal(1).scaleb(result.as_tuple().exponent) if result else None
            if unit:
                assert all(abs(Decimal(v) - d) < unit for v, d in zip(values, shown, strict=True))


def test_a_forward_only_walkthrough_without_a_target():
    project = load_project(example_path("classic"))
    walk = explain(project.network, [0.05, 0.10])
    assert [s.key[0] for s in walk.sections] == ["forward"] * 4


def test_softmax_with_cross_entropy_explains_its_delta():
    from nnviz.core.network import Network

    net = Network.create([2, 3, 3], "tanh", "softmax", seed=1)
    walk = explain(net, [0.5, -1.0], [0, 1, 0], "cross_entropy", 0.1)
    grads = net.backward(net.trace(np.array([[0.5, -1.0]])), np.array([[0, 1, 0]]), "cross_entropy")
    assert walk.equation("∂E_total/∂w1").value == pytest.approx(grads.weights[0][0, 0], rel=1e-12)
    assert "out − target" in walk.equation("∂E_total/∂net_o1").note


@pytest.mark.parametrize("update_biases", [False, True])
def test_one_training_step_gives_the_walkthroughs_new_parameters(update_biases):
    """The trainer honours "update biases" and lands where the walk-through's update says."""
    from dataclasses import replace

    from nnviz.core.training import Trainer

    project = load_project(example_path("classic"))
    config = replace(project.training, update_biases=update_biases)
    walk = explain(project.network, [0.05, 0.10], [0.01, 0.99], "mse", 0.5, update_biases)
    net = project.network.copy()
    Trainer(net, config).step_batch(np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]))
    names = walk.names
    for k in (1, 2):
        for j in range(2):
            for i in range(2):
                assert net.weights[k - 1][j, i] == walk.equation(f"{names.weight(k, j, i)}⁺").value
            bias = net.biases[k - 1][j]
            if update_biases:
                assert bias == pytest.approx(walk.equation(f"{names.bias(k, j)}⁺").value, rel=1e-15)
            else:
                assert bias == project.network.biases[k - 1][j]


def test_maxout_pieces_each_get_a_sum_and_only_the_winner_a_gradient():
    from nnviz.core.network import Network

    net = Network.create([2, 3, 2], {"name": "maxout", "pieces": 3}, "sigmoid", seed=4)
    x, t = np.array([[0.3, -0.7]]), np.array([[0.1, 0.9]])
    walk = explain(net, x[0], t[0], "mse", 0.5)
    grads = net.backward(net.trace(x), t, "mse")
    winners = [int(n.split("piece ")[1].split()[0]) - 1 for n in
               (walk.equation(f"out_h{j + 1}").note for j in range(3))]  # fmt: skip
    assert winners == list(net.trace(x).z[1][0].reshape(3, 3).argmax(axis=0))
    names = walk.names
    for j, p in enumerate(winners):
        for i in range(2):
            shown = walk.equation(f"∂E_total/∂{names.weight(1, j, i, p)}").value
            assert shown == pytest.approx(grads.weights[0][p * 3 + j, i], rel=1e-12)
    for r in range(9):  # every piece is updated by its own gradient, zero for the losers
        j, p = r % 3, r // 3
        updated = walk.equation(f"{names.weight(1, j, 0, p)}⁺").value
        assert updated == pytest.approx(net.weights[0][r, 0] - 0.5 * grads.weights[0][r, 0], rel=1e-12)
