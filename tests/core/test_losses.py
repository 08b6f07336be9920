"""Loss functions: values at hand-worked points, gradients against central finite differences, the fused
output deltas against the unfused chain rule, pairing rules and target shaping."""

import math

import numpy as np
import pytest

from nnviz.core.activations import get_activation
from nnviz.core.losses import LOSSES, LossError, as_target_matrix, get_loss


def test_mse_is_the_walk_throughs_total_error():
    a = np.array([[0.75136507, 0.772928465]])
    t = np.array([[0.01, 0.99]])
    assert get_loss("mse").value(a, t) == pytest.approx(0.298371109, abs=1e-9)  # ½·Σ(t − o)² for 2 outputs


def test_mse_is_a_mean_over_samples_and_outputs():
    assert get_loss("mse").value(np.array([[1.0], [3.0]]), np.zeros((2, 1))) == 5.0
    assert get_loss("mse").value(np.array([[1.0, 3.0]]), np.zeros((1, 2))) == 5.0


def test_bce_values():
    bce = get_loss("bce")
    assert bce.value(np.array([[0.8]]), np.array([[1.0]])) == pytest.approx(-math.log(0.8))
    assert bce.value(np.array([[0.8]]), np.array([[0.0]])) == pytest.approx(-math.log(0.2))
    both = bce.value(np.array([[0.8], [0.8]]), np.array([[1.0], [0.0]]))
    assert both == pytest.approx(-(math.log(0.8) + math.log(0.2)) / 2)


def test_cross_entropy_values_with_labels_and_one_hot():
    ce = get_loss("cross_entropy")
    p = np.array([[0.7, 0.2, 0.1], [0.25, 0.25, 0.5]])
    expected = -(math.log(0.7) + math.log(0.5)) / 2
    assert ce.value(p, as_target_matrix(np.array([0, 2]), 3)) == pytest.approx(expected)
    assert ce.value(p, np.array([[1.0, 0, 0], [0, 0, 1.0]])) == pytest.approx(expected)


@pytest.mark.parametrize("name", ["bce", "cross_entropy"])
def test_saturated_predictions_give_a_large_finite_loss(name):
    a = np.array([[1.0, 0.0]])
    t = np.array([[0.0, 1.0]])
    value = get_loss(name).value(a, t)
    assert math.isfinite(value)
    assert value > 20
    assert np.isfinite(get_loss(name).grad(a, t)).all()


@pytest.mark.parametrize("name", sorted(LOSSES))
@pytest.mark.parametrize("shape", [(1, 1), (1, 3), (4, 1), (5, 3)])
def test_grad_matches_central_differences(name, shape):
    rng = np.random.default_rng(sum(shape))
    loss = get_loss(name)
    a = rng.uniform(0.05, 0.95, size=shape)
    t = (
        rng.dirichlet(np.ones(shape[1]), size=shape[0])
        if name == "cross_entropy"
        else rng.uniform(size=shape)
    )
    h = 1e-7
    numeric = np.empty_like(a)
    for idx in np.ndindex(a.shape):
        up, down = a.copy(), a.copy()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = (loss.value(up, t) - loss.value(down, t)) / (2 * h)
    np.testing.assert_allclose(loss.grad(a, t), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("slope", [0.5, 1.0, 3.0])
def test_fused_sigmoid_bce_delta_equals_the_chain_rule(slope):
    rng = np.random.default_rng(1)
    act = get_activation({"name": "sigmoid", "slope": slope})
    z = rng.normal(size=(4, 2))
    a, t = act(z), rng.uniform(size=(4, 2))
    bce = get_loss("bce")
    np.testing.assert_allclose(bce.output_delta(z, a, t, act), act.backward(z, a, bce.grad(a, t)), rtol=1e-10)


@pytest.mark.parametrize("targets", ["labels", "probabilities", "unnormalised"])
def test_fused_softmax_cross_entropy_delta_equals_the_chain_rule(targets):
    rng = np.random.default_rng(2)
    act = get_activation("softmax")
    z = rng.normal(size=(5, 3))
    a = act(z)
    if targets == "labels":
        t = as_target_matrix(rng.integers(0, 3, size=5), 3)
    elif targets == "probabilities":
        t = rng.dirichlet(np.ones(3), size=5)
    else:  # rows not summing to 1 (e.g. a hand-edited target): the fused form must stay exact
        t = rng.uniform(size=(5, 3))
    ce = get_loss("cross_entropy")
    np.testing.assert_allclose(ce.output_delta(z, a, t, act), act.backward(z, a, ce.grad(a, t)), rtol=1e-10)


def test_unfused_output_delta_is_the_chain_rule():
    act = get_activation("tanh")
    z = np.array([[0.3, -0.8]])
    a, t = act(z), np.array([[0.5, 0.1]])
    mse = get_loss("mse")
    np.testing.assert_array_equal(mse.output_delta(z, a, t, act), mse.grad(a, t) * (1 - a * a))


@pytest.mark.parametrize(
    ("loss", "output", "message"),
    [
        ("cross_entropy", "sigmoid", "cross_entropy needs a softmax output layer"),
        ("cross_entropy", "identity", "cross_entropy needs a softmax output layer"),
        ("bce", "tanh", "bce needs outputs in \\(0, 1\\): use a sigmoid output layer"),
        ("bce", "softmax", "use a sigmoid output layer"),
    ],
)
def test_meaningless_pairings_are_refused(loss, output, message):
    with pytest.raises(LossError, match=message):
        get_loss(loss).check(get_activation(output))


@pytest.mark.parametrize("output", ["identity", "sigmoid", "tanh", "relu", "softmax"])
def test_mse_pairs_with_any_output(output):
    get_loss("mse").check(get_activation(output))


def test_as_target_matrix():
    np.testing.assert_array_equal(as_target_matrix(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(as_target_matrix(np.array([2.0, 0.0]), 3), [[0, 0, 1], [1, 0, 0]])
    assert as_target_matrix(np.array([1, 0]), 2, np.float32).dtype == np.float32
    np.testing.assert_array_equal(as_target_matrix(np.array([0.2, 0.7]), 1), [[0.2], [0.7]])
    one_hot = np.array([[0.0, 1.0]])
    np.testing.assert_array_equal(as_target_matrix(one_hot, 2), one_hot)


@pytest.mark.parametrize(
    ("targets", "n_outputs", "message"),
    [
        (np.array([0, 3]), 3, r"class labels must lie in 0\.\.2"),
        (np.array([-1]), 3, r"class labels must lie in 0\.\.2"),
        (np.array([1.5, 0.0]), 3, "class labels must be whole numbers"),
        (np.array([np.nan]), 3, "class labels must be whole numbers"),
        (np.zeros((2, 3)), 2, r"targets have shape \(2, 3\), the network has 2 outputs"),
        (np.zeros((2, 2, 1)), 2, "the network has 2 outputs"),
    ],
)
def test_bad_targets_are_refused(targets, n_outputs, message):
    with pytest.raises(LossError, match=message):
        as_target_matrix(targets, n_outputs)


def test_get_loss():
    assert get_loss("bce") is LOSSES["bce"]
    assert get_loss(LOSSES["mse"]) is LOSSES["mse"]
    with pytest.raises(LossError, match="unknown loss 'hinge'; known: mse, bce, cross_entropy"):
        get_loss("hinge")
    for loss in LOSSES.values():
        assert loss.description
