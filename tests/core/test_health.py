"""Network health: dead and saturated units on networks built so the answer is known, and per-layer gradient
sizes against a direct NumPy computation and central finite differences of the loss."""

import numpy as np
import pytest

from nnviz.core.health import (
    EXPLODING_RMS,
    SATURATED_ROW_SHARE,
    VANISHING_SHARE,
    gradient_label,
    gradient_note,
    gradient_state,
    network_health,
    unit_note,
)
from nnviz.core.network import Network, NetworkError

RNG = np.random.default_rng(7)
X = RNG.normal(size=(64, 3))


def one_hidden(activation, w1, b1, output="identity", n_out=1):
    """3 inputs -> len(b1) hidden units (weights w1, biases b1) -> n_out outputs with fixed small weights."""
    w1 = np.asarray(w1, float)
    w2 = np.linspace(-0.5, 0.5, n_out * len(b1)).reshape(n_out, len(b1))
    return Network([w1, w2], [np.asarray(b1, float), np.zeros(n_out)], [activation, output])


def test_relu_unit_with_a_large_negative_bias_is_dead_and_the_others_are_not():
    net = one_hidden("relu", [[1, 0, 0], [1, 0, 0], [0, 1, 0]], [-100.0, 0.0, 0.5])
    health = network_health(net, X)
    assert health.layers[0].dead.tolist() == [True, False, False]
    assert not health.layers[0].saturated.any()
    assert health.flagged == 1
    assert unit_note(health, 1, 0) == (
        "dead: output 0 on all 64 rows (z ≤ 0), so its weights get no gradient"
    )
    assert unit_note(health, 1, 1) is None


def test_a_unit_alive_on_a_single_row_is_not_dead():
    x = np.zeros((10, 3))
    x[4, 0] = 1.0  # only row 4 lifts z above 0
    net = one_hidden("relu", [[2, 0, 0]], [-1.0])
    assert not network_health(net, x).layers[0].dead[0]
    assert network_health(net, np.delete(x, 4, axis=0)).layers[0].dead[0]


@pytest.mark.parametrize(("alpha", "dead"), [(0.0, True), (0.01, False)])
def test_leaky_relu_counts_as_dead_only_with_slope_zero(alpha, dead):
    net = one_hidden({"name": "leaky_relu", "alpha": alpha}, [[1, 0, 0]], [-100.0])
    assert network_health(net, X).layers[0].dead[0] == dead


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", {"name": "sigmoid", "slope": 3.0}, "softsign"])
def test_units_with_huge_weights_are_saturated_and_small_ones_are_not(activation):
    x = X.copy()
    x[:, 0] = np.sign(x[:, 0]) * (0.5 + np.abs(x[:, 0]))  # no row near 0, where every unit is steep
    net = one_hidden(activation, [[500, 0, 0], [0.1, 0.1, 0], [0, 0, 1e-3]], [0.0, 0.0, 0.0])
    health = network_health(net, x)
    assert health.layers[0].saturated.tolist() == [True, False, False]
    assert not health.layers[0].dead.any()
    assert unit_note(health, 1, 0).startswith("saturated: slope below 1 % of its maximum on 100 % of 64 rows")


def test_saturation_needs_the_share_of_flat_rows():
    """z = 100·x0 is flat except on rows with |x0| small; below the row share the unit is not flagged."""
    x = np.zeros((100, 3))
    x[:, 0] = 1.0
    flat_rows = int(np.ceil(SATURATED_ROW_SHARE * 100))
    x[flat_rows:, 0] = 0.0  # these rows sit at z = 0, the steepest point
    net = one_hidden("tanh", [[100, 0, 0]], [0.0])
    health = network_health(net, x)
    assert health.layers[0].flat_share[0] == pytest.approx(flat_rows / 100)
    assert health.layers[0].saturated[0]
    x[flat_rows - 1, 0] = 0.0
    assert not network_health(net, x).layers[0].saturated[0]


def test_softmax_and_relu_layers_are_never_called_saturated_nor_sigmoid_dead():
    net = Network.create([3, 4, 3], "sigmoid", output_activation="softmax", seed=1)
    net.biases[0][:] = -1e3
    health = network_health(net, X)
    assert not health.layers[0].dead.any()
    assert health.layers[0].saturated.all()
    assert not health.layers[1].saturated.any()
    assert not health.layers[1].dead.any()


@pytest.mark.parametrize(
    ("hidden", "output", "loss", "targets"),
    [
        ("tanh", "sigmoid", "bce", (RNG.random(64) > 0.5).astype(float)),
        ("relu", "softmax", "cross_entropy", RNG.integers(0, 3, 64)),
        ("sigmoid", "identity", "mse", RNG.normal(size=(64, 3))),
    ],
)
def test_gradient_sizes_equal_numpy_and_finite_differences(hidden, output, loss, targets):
    net = Network.create([3, 5, 4, 3 if output != "sigmoid" else 1], hidden, output_activation=output, seed=3)
    health = network_health(net, X, targets, loss)
    assert health.loss == pytest.approx(net.loss(X, targets, loss), rel=1e-12)
    for k, gap in enumerate(health.gradients):
        numeric = np.zeros_like(net.weights[k])
        for idx in np.ndindex(numeric.shape):
            saved = net.weights[k][idx]
            net.weights[k][idx] = saved + 1e-6
            up = net.loss(X, targets, loss)
            net.weights[k][idx] = saved - 1e-6
            down = net.loss(X, targets, loss)
            net.weights[k][idx] = saved
            numeric[idx] = (up - down) / 2e-6
        assert gap.rms == pytest.approx(np.sqrt(np.mean(numeric**2)), rel=1e-5)
        assert gap.weight_rms == pytest.approx(np.sqrt(np.mean(net.weights[k] ** 2)), rel=1e-12)
        assert gap.update_scale == pytest.approx(gap.rms / gap.weight_rms)


def test_the_gradient_of_one_row_is_the_hand_worked_one():
    """1-1-1 identity network, mse: L = (w2·w1·x − t)², dL/dw1 = 2(o − t)·w2·x, dL/dw2 = 2(o − t)·w1·x."""
    net = Network([[[2.0]], [[3.0]]], [[0.0], [0.0]], ["identity", "identity"])
    health = network_health(net, [[0.5]], [[1.0]], "mse")
    assert health.rows == 1
    assert health.loss == pytest.approx(4.0)  # o = 3, (3 − 1)² = 4
    assert [g.rms for g in health.gradients] == pytest.approx([2 * 2 * 3 * 0.5, 2 * 2 * 2 * 0.5])


def test_deep_sigmoid_stack_has_vanishing_gradients_in_its_first_layer():
    net = Network.create([8, *[16] * 8, 1], "sigmoid", seed=0)
    x = RNG.normal(size=(128, 8))
    health = network_health(net, x, RNG.random(128), "mse")
    states = [g.state for g in health.gradients]
    assert states[0] == "vanishing"
    assert states[-1] == "ok"
    largest = max(g.rms for g in health.gradients)
    for g in health.gradients:
        assert (g.state == "vanishing") == (g.rms < VANISHING_SHARE * largest)


def test_gradient_states():
    assert gradient_state(1e-3, 1e-2) == "ok"
    assert gradient_state(1e-5, 1e-2) == "vanishing"
    assert gradient_state(1e-9, 1e-9) == "vanishing"  # below the floor even as the largest
    assert gradient_state(EXPLODING_RMS * 2, EXPLODING_RMS * 2) == "exploding"
    assert gradient_state(float("inf"), float("inf")) == "exploding"
    assert gradient_state(1e-5, 1e-2, loss_high=False) == "ok"  # learned: small gradients are expected
    assert gradient_state(1e-9, 1e-9, loss_high=False) == "ok"


def test_a_trained_network_gets_no_vanishing_marks():
    """Converged, a deep sigmoid stack's first layers have gradients under 1 % of the last's, and that is no
    alarm (a learned network has small gradients by design). Untrained, with the loss of a constant guess,
    the same layers are flagged."""
    from nnviz.core.training import Trainer, TrainingConfig

    x = RNG.normal(size=(128, 2))
    y = (x[:, 0] > 0).astype(float)
    net = Network.create([2, 8, 8, 8, 8, 8, 1], "sigmoid", seed=0)
    assert network_health(net, x, y, "bce").gradients[0].state == "vanishing"
    cfg = TrainingConfig(loss="bce", optimizer="adam", learning_rate=0.02, batch_size=16, seed=0)
    Trainer(net, cfg, "classification").fit(x, y, epochs=200)
    trained = network_health(net, x, y, "bce")
    assert trained.loss < 0.01
    largest = max(g.rms for g in trained.gradients)
    assert trained.gradients[0].rms < VANISHING_SHARE * largest  # what used to be flagged
    assert [g.state for g in trained.gradients] == ["ok"] * len(trained.gradients)


def test_no_targets_or_a_mismatched_loss_give_no_gradients():
    net = Network.create([3, 4, 2], "relu", output_activation="sigmoid", seed=0)
    assert network_health(net, X).gradients is None
    assert network_health(net, X, RNG.integers(0, 2, 64), "cross_entropy").gradients is None  # no softmax
    assert network_health(net, X, RNG.integers(0, 5, 64), "mse").gradients is None  # labels out of range


def test_bad_input_is_a_network_error():
    net = Network.create([3, 4, 1], "relu", seed=0)
    with pytest.raises(NetworkError, match="3 inputs"):
        network_health(net, np.zeros((5, 4)))
    with pytest.raises(NetworkError, match="at least one row"):
        network_health(net, np.zeros((0, 3)))
    with pytest.raises(NetworkError, match="5 rows but 4 targets"):
        network_health(net, np.zeros((5, 3)), np.zeros(4), "mse")


def test_extreme_values_give_no_nan_and_show_as_exploding():
    net = Network([np.full((4, 3), 1e200), np.full((1, 4), -1e200)], [np.zeros(4), np.zeros(1)],
                  ["relu", "identity"])  # fmt: skip
    x = np.full((16, 3), 1e150)
    health = network_health(net, x, np.ones(16), "mse")
    values = [health.loss] + [v for g in health.gradients for v in (g.rms, g.weight_rms, g.update_scale)]
    assert not np.isnan(values).any()
    assert health.gradients[-1].state == "exploding"
    assert gradient_label(health.gradients[-1]) == "∇ ∞"
    tiny = network_health(Network.create([3, 2, 1], "sigmoid", seed=0), x * 1e-300, np.zeros(16), "mse")
    assert not np.isnan([g.update_scale for g in tiny.gradients]).any()


def test_gradient_label_is_compact():
    net = Network([[[2.0]], [[3.0]]], [[0.0], [0.0]], ["identity", "identity"])
    gaps = network_health(net, [[0.5]], [[1.0]], "mse").gradients
    assert [gradient_label(g) for g in gaps] == ["∇ 6.0e+00", "∇ 4.0e+00"]


def test_gradient_note_explains_the_readout_and_its_flag():
    net = Network.create([8, *[16] * 8, 1], "sigmoid", seed=0)
    health = network_health(net, RNG.normal(size=(32, 8)), RNG.random(32), "mse")
    first, last = gradient_note(health, 0), gradient_note(health, len(health.gradients) - 1)
    assert first.startswith("weights from layer 0 to layer 1: gradient of the loss on 32 training rows")
    assert f"RMS of dL/dW = {health.gradients[0].rms:.3g}" in first
    assert "vanishing: below 1 % of the largest layer's" in first
    assert "vanishing" not in last
