"""The Trainer: its config, the update it applies, metrics, determinism, stop requests, live edits, errors."""

import json

import numpy as np
import pytest

from nnviz.core import training
from nnviz.core.losses import LossError
from nnviz.core.network import Network, UntrainableError
from nnviz.core.training import (
    ConfigError,
    DivergenceError,
    Trainer,
    TrainingConfig,
    TrainingError,
    accuracy_of,
    evaluate,
)

CONFIG_KEYS = [
    "loss", "optimizer", "learning_rate", "batch_size", "l1", "l2",
    "momentum", "beta1", "beta2", "epsilon", "shuffle", "seed", "update_biases",
]  # fmt: skip


def classic_network():
    """The 2-2-2 backpropagation walk-through (docs/architecture.md)."""
    return Network(
        [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        [[0.35, 0.35], [0.60, 0.60]],
        ["sigmoid", "sigmoid"],
    )


def blobs(n=40, seed=0, classes=3):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes, n)
    x = rng.normal(size=(n, 2)) + 4.0 * np.stack([np.cos(labels), np.sin(labels)], axis=1)
    return x, labels


def softmax_net(seed=0, dtype=np.float64):
    return Network.create([2, 6, 3], "tanh", "softmax", seed=seed, dtype=dtype)


def ce(**changes):
    return TrainingConfig(loss="cross_entropy", **changes)


# -- config ------------------------------------------------------------------------------------------------
def test_config_json_uses_the_project_file_keys_and_round_trips():
    config = TrainingConfig(optimizer="adam", learning_rate=0.01, batch_size=8, l2=1e-3, seed=7)
    obj = json.loads(json.dumps(config.to_json()))
    assert list(obj) == CONFIG_KEYS
    assert TrainingConfig.from_json(obj) == config
    assert TrainingConfig.from_json({"learning_rate": 0.5}) == TrainingConfig(learning_rate=0.5)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("loss", "hinge"), ("optimizer", "rmsprop"), ("learning_rate", 0), ("learning_rate", float("nan")),
        ("batch_size", 0), ("batch_size", 2.5), ("batch_size", True), ("l1", -1), ("l2", float("inf")),
        ("momentum", 1.0), ("beta1", -0.1), ("beta2", 1), ("epsilon", 0), ("shuffle", "yes"), ("seed", -3),
    ],
)  # fmt: skip
def test_config_refuses_bad_values_naming_the_setting(key, value):
    with pytest.raises(ConfigError, match=f"^{key}: expected"):
        TrainingConfig(**{key: value})


def test_config_from_json_refuses_unknown_keys_and_non_objects():
    with pytest.raises(ConfigError, match=r"unknown training setting.*learnig_rate"):
        TrainingConfig.from_json({"learnig_rate": 0.1})
    with pytest.raises(ConfigError, match="must be an object"):
        TrainingConfig.from_json([1, 2])


# -- refusals up front -------------------------------------------------------------------------------------
def test_untrainable_network_and_mismatched_loss_are_refused_up_front():
    with pytest.raises(UntrainableError, match="step"):
        Trainer(Network.create([2, 3, 1], "step", "sigmoid", seed=0))
    with pytest.raises(LossError, match="softmax"):
        Trainer(Network.create([2, 3, 2], "tanh", "sigmoid", seed=0), ce())
    with pytest.raises(TrainingError, match="task"):
        Trainer(softmax_net(), ce(), task="clustering")


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (np.zeros((4, 3)), [0, 1, 2, 0], "takes 2 inputs"),
        (np.zeros((4, 2)), [0, 1, 2], "4 samples but 3 targets"),
        ([[0, np.nan]] * 2, [0, 1], "NaN"),
        (np.zeros((2, 2)), [0, 3], "0..2"),
        (np.zeros((2, 2)), [0, 1.5], "whole-number"),
        ([["a", "b"]], [0], "numbers"),
        (np.zeros((0, 2)), [], "no samples"),
    ],
)
def test_bad_data_gets_a_clear_error(x, y, message):
    with pytest.raises(TrainingError, match=message):
        Trainer(softmax_net(), ce(), "classification").fit(x, y, 1)


def test_bad_epochs_and_half_a_test_set_are_refused():
    x, y = blobs()
    trainer = Trainer(softmax_net(), ce(), "classification")
    with pytest.raises(TrainingError, match="epochs"):
        trainer.fit(x, y, -1)
    with pytest.raises(TrainingError, match="both"):
        trainer.fit(x, y, 1, x_test=x)


# -- the update itself -------------------------------------------------------------------------------------
def test_classic_example_one_sgd_step_gives_the_published_weights():
    net = classic_network()
    trainer = Trainer(net, TrainingConfig(learning_rate=0.5, batch_size=1))
    loss = trainer.step_batch([[0.05, 0.10]], [[0.01, 0.99]])
    assert loss == pytest.approx(0.298371109, abs=1e-9)  # the walk-through's total error ½Σ(t − o)²
    np.testing.assert_allclose(
        net.weights[1], [[0.35891648, 0.408666186], [0.511301270, 0.561370121]], atol=1e-8
    )
    np.testing.assert_allclose(
        net.weights[0], [[0.149780716, 0.19956143], [0.24975114, 0.29950229]], atol=1e-8
    )


@pytest.mark.parametrize(("l1", "l2"), [(0.0, 0.0), (0.02, 0.0), (0.0, 0.1), (0.02, 0.1)])
def test_one_step_is_the_reference_backward_pass_times_lr(l1, l2):
    """The trainer's fused pass agrees with Network.backward, the reference implementation."""
    x, y = blobs(n=12)
    net = softmax_net(seed=2)
    reference = net.copy()
    grads = reference.backward(reference.trace(x), y, "cross_entropy", l1, l2)
    Trainer(net, ce(learning_rate=0.3, l1=l1, l2=l2), "classification").step_batch(x, y)
    for k in range(2):
        np.testing.assert_allclose(net.weights[k], reference.weights[k] - 0.3 * grads.weights[k], rtol=1e-13)
        np.testing.assert_allclose(net.biases[k], reference.biases[k] - 0.3 * grads.biases[k], rtol=1e-13)


def test_training_reduces_the_loss_and_learns_separable_classes():
    x, y = blobs(n=90)
    history = Trainer(softmax_net(), ce(optimizer="adam", learning_rate=0.05, seed=1), "classification").fit(
        x, y, 30
    )
    assert history[-1].loss < 0.5 * history[0].loss
    assert history[-1].accuracy > 0.9


def test_float32_network_trains_in_float32():
    x, y = blobs()
    net = softmax_net(dtype=np.float32)
    history = Trainer(net, ce(seed=0), "classification").fit(x, y, 3)
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)
    assert np.isfinite(history[-1].loss)


# -- metrics -----------------------------------------------------------------------------------------------
def test_epoch_metrics_are_the_values_the_minibatches_computed():
    """Epoch loss = size-weighted mean of the minibatch losses (each before its update)."""
    x, y = blobs(n=23)
    a, b = softmax_net(seed=5), softmax_net(seed=5)
    stats = Trainer(a, ce(batch_size=5, shuffle=False), "classification").run_epoch(x, y)
    stepper = Trainer(b, ce(batch_size=5), "classification")
    losses, correct = [], 0
    for s in range(0, 23, 5):
        correct += round(accuracy_of(b.forward(x[s : s + 5]), y[s : s + 5]) * len(y[s : s + 5]))
        losses.append(stepper.step_batch(x[s : s + 5], y[s : s + 5]) * len(y[s : s + 5]))
    assert stats.loss == pytest.approx(sum(losses) / 23, rel=1e-12)
    assert stats.accuracy == correct / 23
    assert (stats.epoch, stats.steps) == (1, 5)
    assert stats.samples_per_second == pytest.approx(23 / stats.seconds)


def test_full_batch_epoch_reports_the_metrics_of_the_network_it_started_with():
    x, y = blobs(n=30)
    net = softmax_net(seed=3)
    before_loss, before_acc = evaluate(net, x, y, "cross_entropy", "classification")
    stats = Trainer(net, ce(batch_size=30), "classification").run_epoch(x, y)
    assert stats.loss == pytest.approx(before_loss, rel=1e-12)
    assert stats.accuracy == before_acc


def test_test_metrics_are_those_of_the_network_after_each_epoch():
    x, y = blobs(n=30)
    xt, yt = blobs(n=10, seed=9)
    net = softmax_net()
    seen = []
    Trainer(net, ce(seed=0), "classification").fit(x, y, 2, xt, yt, on_epoch=seen.append)
    assert len(seen) == 2
    assert (seen[-1].test_loss, seen[-1].test_accuracy) == evaluate(
        net, xt, yt, "cross_entropy", "classification"
    )


def test_accuracy_thresholds_one_output_and_argmaxes_several():
    assert accuracy_of(np.array([[0.2], [0.7], [0.5]]), np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert accuracy_of(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1])) == 0.5


def test_regression_has_no_accuracy():
    net = Network.create([1, 4, 1], "tanh", "identity", seed=0)
    x = np.linspace(-1, 1, 20).reshape(-1, 1)
    stats = Trainer(net, TrainingConfig(seed=0)).run_epoch(x, x**2)
    assert stats.accuracy is None
    assert evaluate(net, x, x**2)[1] is None


def test_one_sigmoid_output_classifies_with_labels_0_and_1():
    x, y = blobs(n=40, classes=2)
    net = Network.create([2, 4, 1], "tanh", "sigmoid", seed=0)
    history = Trainer(net, TrainingConfig(loss="bce", learning_rate=0.5, seed=0), "classification").fit(
        x, y, 20
    )
    assert history[-1].accuracy > 0.8


# -- determinism -------------------------------------------------------------------------------------------
def test_same_seed_gives_a_bit_identical_run_and_another_seed_does_not():
    x, y = blobs(n=50)

    def run(seed):
        net = softmax_net()
        history = Trainer(net, ce(batch_size=7, optimizer="momentum", seed=seed), "classification").fit(
            x, y, 3
        )
        return net, [s.loss for s in history]

    (a, la), (b, lb), (_, lc) = run(11), run(11), run(12)
    assert la == lb
    assert all(np.array_equal(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases, strict=True))
    assert la != lc


# -- stop requests and live edits ------------------------------------------------------------------------
def test_a_stop_request_from_a_callback_ends_the_run_between_epochs():
    x, y = blobs()
    trainer = Trainer(softmax_net(), ce(seed=0), "classification")
    history = trainer.fit(x, y, 10, on_epoch=lambda s: s.epoch == 2 and trainer.request_stop())
    assert [s.epoch for s in history] == [1, 2]
    assert trainer.stopped
    assert len(trainer.fit(x, y, 1)) == 1  # the request was consumed
    assert not trainer.stopped


def test_a_stop_request_is_honoured_at_the_next_minibatch(monkeypatch):
    monkeypatch.setattr(training, "PROGRESS_INTERVAL", 0.0)  # report after every minibatch
    x, y = blobs(n=40)
    trainer = Trainer(softmax_net(), ce(batch_size=4, seed=0), "classification")
    reports = []

    def on_progress(p):
        reports.append(p)
        if p.samples_done == 12:
            trainer.request_stop()

    assert trainer.fit(x, y, 5, on_progress=on_progress) == []  # the partly done epoch is not reported
    assert trainer.steps == 3
    assert [p.samples_done for p in reports] == [4, 8, 12]
    assert reports[-1].samples_total == 40


def test_config_changes_queue_up_and_apply_at_the_next_minibatch(monkeypatch):
    monkeypatch.setattr(training, "PROGRESS_INTERVAL", 0.0)
    x, y = blobs(n=20)
    live, reference = softmax_net(), softmax_net()
    trainer = Trainer(live, ce(batch_size=4, shuffle=False), "classification")

    def edit(p):
        if p.samples_done == 4:  # two edits in a row: neither may be lost
            trainer.set_config(learning_rate=0.5)
            trainer.set_config(optimizer="momentum", momentum=0.5)
        if p.samples_done == 12:
            trainer.set_config(batch_size=8)

    trainer.fit(x, y, 1, on_progress=edit)
    assert trainer.config == ce(
        batch_size=8, shuffle=False, learning_rate=0.5, optimizer="momentum", momentum=0.5
    )

    stepper = Trainer(reference, ce(), "classification")
    stepper.step_batch(x[:4], y[:4])
    stepper.set_config(learning_rate=0.5, optimizer="momentum", momentum=0.5)
    for s, e in [(4, 8), (8, 12), (12, 20)]:
        stepper.step_batch(x[s:e], y[s:e])
    assert trainer.steps == stepper.steps == 4
    for p, q in zip(live.weights + live.biases, reference.weights + reference.biases, strict=True):
        np.testing.assert_array_equal(p, q)


def test_bad_config_changes_are_refused_at_once_and_not_queued():
    trainer = Trainer(softmax_net(), ce(), "classification")
    with pytest.raises(ConfigError, match="learning_rate"):
        trainer.set_config(learning_rate=-1)
    with pytest.raises(ConfigError, match="unknown"):
        trainer.set_config(speed=2)
    with pytest.raises(LossError, match="bce"):
        trainer.set_config(loss="bce")
    x, y = blobs()
    trainer.fit(x, y, 1)
    assert trainer.config == ce()


def test_edits_to_the_network_arrays_are_seen_by_the_next_minibatch():
    x, y = blobs(n=8)
    net = softmax_net()
    trainer = Trainer(net, ce(batch_size=8), "classification")

    def assert_one_sgd_step_from(expected):
        grads = expected.backward(expected.trace(x), y, "cross_entropy")
        for k in range(2):
            np.testing.assert_allclose(
                net.weights[k], expected.weights[k] - 0.1 * grads.weights[k], rtol=1e-13
            )
            np.testing.assert_allclose(net.biases[k], expected.biases[k] - 0.1 * grads.biases[k], rtol=1e-13)

    net.weights[0][0, 0] = 3.0  # an edit in place, as the training worker does
    expected = net.copy()
    trainer.step_batch(x, y)
    assert_one_sgd_step_from(expected)
    net.biases[1] = np.array([1.0, 2.0, 3.0])  # an array replaced wholesale is adopted too
    expected = net.copy()
    trainer.step_batch(x, y)
    assert_one_sgd_step_from(expected)


# -- divergence --------------------------------------------------------------------------------------------
def test_divergence_stops_with_a_message_and_keeps_finite_parameters():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 3))
    net = Network.create([3, 8, 1], "relu", "identity", seed=0)
    trainer = Trainer(net, TrainingConfig(learning_rate=1e6, batch_size=4, seed=0))
    with pytest.raises(DivergenceError, match=r"diverged.*lower learning rate"):
        trainer.fit(x, 100.0 * x[:, :1], 50)
    assert all(np.isfinite(p).all() for p in net.weights + net.biases)


def test_a_loss_that_overflows_from_finite_outputs_is_divergence_too():
    net = Network([[[1e160]]], [[0.0]], ["identity"])
    trainer = Trainer(net, TrainingConfig(learning_rate=1e-200, batch_size=1, shuffle=False))
    with pytest.raises(DivergenceError, match="became infinite"):
        trainer.fit([[1.0], [1.0]], [[0.0], [0.0]], 1)
    assert net.weights[0][0, 0] == pytest.approx(1e160)  # finite, so kept as they are
    with pytest.raises(DivergenceError, match="became infinite"):
        trainer.step_batch([[1.0]], [[0.0]])


def test_minibatches_driven_one_at_a_time_train_exactly_as_fit():
    """The GUI's training process drives `train_minibatch` itself, the command line runs `fit`: one loop, so
    the same parameters and the same epoch statistics."""
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(40, 3)), rng.integers(0, 4, 40)
    x_test, y_test = rng.normal(size=(10, 3)), rng.integers(0, 4, 10)
    net = Network.create([3, 5, 4], "tanh", "softmax", seed=2)
    config = TrainingConfig(loss="cross_entropy", optimizer="adam", batch_size=7, seed=5)
    whole, stepped = (Trainer(net.copy(), config, "classification") for _ in "ab")
    expected = whole.fit(x, y, 2, x_test, y_test)
    data, test = stepped.prepare(x, y), stepped.prepare(x_test, y_test)
    batches = [stepped.train_minibatch(data, test) for _ in range(12)]  # 6 minibatches of at most 7 rows
    assert [(b.start, b.stop) for b in batches[:6]] == [
        (0, 7),
        (7, 14),
        (14, 21),
        (21, 28),
        (28, 35),
        (35, 40),
    ]
    assert [b.stats is not None for b in batches] == [False] * 5 + [True] + [False] * 5 + [True]
    got = [b.stats for b in batches if b.stats is not None]
    timing = ("seconds", "samples_per_second")
    for a, b in zip(got, expected, strict=True):
        assert {k: v for k, v in vars(a).items() if k not in timing} == {
            k: v for k, v in vars(b).items() if k not in timing
        }
    assert stepped.epoch_loss() == got[-1].loss  # the finished epoch's outputs stay readable
    one, other = whole.network, stepped.network
    for a, b in zip(one.weights + one.biases, other.weights + other.biases, strict=True):
        np.testing.assert_array_equal(a, b)
