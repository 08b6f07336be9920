"""The background training worker: it trains, pauses promptly, applies every edit in order, survives
divergence and shuts down cleanly. Driven through the real QThread with qtbot signals (no sleeps)."""

import time

import numpy as np
import pytest

from nnviz.app.training.controller import TrainingController, TrainingData
from nnviz.core.network import Network
from nnviz.core.training import TrainingConfig

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


@pytest.fixture
def controller(qtbot):
    ctl = TrainingController()
    snapshots = []
    ctl.snapshot_ready.connect(snapshots.append)
    ctl.snapshots = snapshots
    yield ctl
    ctl.shutdown()
    assert not ctl.relay_thread.isRunning()


def load_xor(ctl, **config):
    net = Network.create([2, 4, 1], "tanh", "sigmoid", seed=3)
    cfg = TrainingConfig(
        **{"loss": "bce", "optimizer": "adam", "learning_rate": 0.05, "batch_size": 4, "seed": 1, **config}
    )
    ctl.load(net, cfg, TrainingData(XOR_X, XOR_Y, "classification"))
    return net


def latest_epoch_loss(snapshots):
    epochs = [e for s in snapshots for e in s.new_epochs]
    return epochs[-1].loss if epochs else None


def wait_idle(qtbot, ctl):
    """Until the worker has applied every command sent and reported it paused."""
    qtbot.waitUntil(
        lambda: (
            bool(ctl.snapshots)
            and not ctl.snapshots[-1].running
            and ctl.snapshots[-1].commands_applied >= ctl.commands_sent
        ),
        timeout=20000,
    )


def test_play_trains_xor_within_bounded_steps(qtbot, controller):
    initial = load_xor(controller).loss(XOR_X, XOR_Y, "bce")
    controller.start()
    qtbot.waitUntil(lambda: (latest_epoch_loss(controller.snapshots) or 1.0) < 0.05, timeout=20000)
    snap = controller.snapshots[-1]
    assert initial > 0.5
    assert snap.step <= 5000
    assert snap.running
    predicted = Network(snap.weights, snap.biases, ["tanh", "sigmoid"]).forward(XOR_X)[:, 0] > 0.5
    assert (predicted == XOR_Y.astype(bool)).all()


def test_pause_stops_within_100ms_even_in_a_long_epoch(qtbot, controller):
    rng = np.random.default_rng(0)
    x, y = rng.random((20000, 784)), rng.integers(0, 10, 20000)
    net = Network.create([784, 16, 16, 10], "relu", "softmax", seed=0)
    controller.load(
        net, TrainingConfig(loss="cross_entropy", batch_size=32), TrainingData(x, y, "classification")
    )
    with qtbot.waitSignal(controller.running_changed, timeout=20000):
        controller.start()
    qtbot.waitUntil(lambda: bool(controller.snapshots) and controller.snapshots[-1].step > 10, timeout=20000)
    started = time.monotonic()
    with qtbot.waitSignal(controller.running_changed, timeout=2000) as paused:
        controller.pause()
    assert time.monotonic() - started < 0.1
    assert paused.args == [False]
    wait_idle(qtbot, controller)
    assert controller.snapshots[-1].new_epochs == [] or controller.snapshots[-1].epoch == 0
    stopped_at = controller.snapshots[-1].step
    controller.step_batch()
    qtbot.waitUntil(lambda: controller.snapshots[-1].step == stopped_at + 1, timeout=20000)
    assert not controller.running


def test_weight_edited_while_training_is_in_the_next_snapshot(qtbot, controller):
    load_xor(controller, optimizer="sgd", learning_rate=1e-3)
    controller.start()
    qtbot.waitUntil(lambda: bool(controller.snapshots) and controller.snapshots[-1].step > 5, timeout=20000)
    controller.set_weight(0, 2, 1, 7.5)
    sent = controller.commands_sent
    qtbot.waitUntil(lambda: controller.snapshots[-1].commands_applied >= sent, timeout=20000)
    snap = next(s for s in controller.snapshots if s.commands_applied >= sent)
    assert snap.running
    assert abs(snap.weights[0][2, 1] - 7.5) < 0.01


def test_500_random_edits_during_a_run_are_all_applied_in_order(qtbot, controller):
    # A learning rate so small that training moves no weight: the result is exactly the edits replayed.
    net = load_xor(controller, optimizer="sgd", learning_rate=1e-300)
    controller.start()
    qtbot.waitUntil(lambda: bool(controller.snapshots) and controller.snapshots[-1].running, timeout=20000)
    rng = np.random.default_rng(42)
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    for _ in range(500):
        value = float(rng.uniform(-2, 2))
        k = int(rng.integers(2))
        if rng.random() < 0.8:
            j, i = int(rng.integers(weights[k].shape[0])), int(rng.integers(weights[k].shape[1]))
            weights[k][j, i] = value
            controller.set_weight(k, j, i, value)
        else:
            j = int(rng.integers(biases[k].shape[0]))
            biases[k][j] = value
            controller.set_bias(k, j, value)
        if rng.random() < 0.05:
            qtbot.wait(1)  # let the worker train between some of the edits
    controller.pause()
    wait_idle(qtbot, controller)
    snap = controller.snapshots[-1]
    assert snap.step > 0
    for got, want in zip(snap.weights + snap.biases, weights + biases, strict=True):
        np.testing.assert_array_equal(got, want)


def test_divergence_pauses_and_restores_finite_parameters(qtbot, controller):
    x = np.linspace(-1, 1, 64).reshape(-1, 1)
    net = Network.create([1, 8, 1], "identity", seed=0)
    cfg = TrainingConfig(loss="mse", optimizer="sgd", learning_rate=50.0, batch_size=8, seed=0)
    controller.load(net, cfg, TrainingData(x, 100 * x, "regression"))
    with qtbot.waitSignal(controller.failed, timeout=10000) as failure:
        controller.start()
    assert "learning rate" in failure.args[0]
    wait_idle(qtbot, controller)
    snap = controller.snapshots[-1]
    assert not controller.running
    assert not snap.running
    # The restored snapshot may be the initial one (step 0) when the run diverges before the first
    # throttled snapshot, so the step count is not asserted; the parameters must be finite either way.
    assert all(np.isfinite(a).all() for a in snap.weights + snap.biases)


def test_closing_mid_run_leaves_no_thread_running(qtbot):
    ctl = TrainingController()
    snapshots = []
    ctl.snapshot_ready.connect(snapshots.append)
    load_xor(ctl)
    ctl.start()
    qtbot.waitUntil(lambda: bool(snapshots) and snapshots[-1].running, timeout=20000)
    ctl.shutdown()
    assert ctl.relay_thread.isFinished()


def test_bad_hyper_parameter_is_refused_at_once(controller):
    from nnviz.core.training import ConfigError

    with pytest.raises(ConfigError, match="learning_rate"):
        controller.set_config(learning_rate=-1.0)
    with pytest.raises(ConfigError, match="unknown"):
        controller.set_config(speed=3)


UNGUARDED_SCRIPT = """
import numpy as np
from PySide6.QtCore import QCoreApplication
from nnviz.app.training.controller import TrainingController, TrainingData
from nnviz.core.network import Network
from nnviz.core.training import TrainingConfig

print("script body ran", flush=True)
app = QCoreApplication([])
ctl = TrainingController()
ctl.snapshot_ready.connect(lambda snap: (print("trained", snap.step, flush=True), app.quit()))
x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
ctl.load(Network.create([2, 3, 1], "tanh", "sigmoid", seed=0), TrainingConfig(loss="bce"),
         TrainingData(x, np.array([0, 1, 1, 0]), "classification"))
ctl.step_batch()
app.exec()
ctl.shutdown()
"""


def test_a_main_script_without_a_guard_is_not_run_again_by_the_training_process(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "unguarded.py"
    script.write_text(UNGUARDED_SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["script body ran", "trained 1"]


def test_a_killed_training_process_is_reported_and_the_next_play_starts_a_new_one(qtbot, controller):
    import os
    import signal

    load_xor(controller)
    controller.start()
    qtbot.waitUntil(lambda: bool(controller.snapshots) and controller.snapshots[-1].running, timeout=20000)
    killed = controller._process.pid
    with qtbot.waitSignal(controller.failed, timeout=20000) as failure:
        os.kill(killed, signal.SIGKILL)
    assert "stopped unexpectedly (exit code -9)" in failure.args[0]
    assert not controller.running
    before = len(controller.snapshots)
    controller.start()
    qtbot.waitUntil(
        lambda: len(controller.snapshots) > before and controller.snapshots[-1].step > 0, timeout=20000
    )
    assert controller._process.pid != killed
    assert controller.snapshots[-1].running
    controller.pause()
    wait_idle(qtbot, controller)


def test_the_data_set_is_written_to_the_process_off_the_calling_thread(qtbot, monkeypatch):
    """The first Play no longer copies the data set on the GUI thread: the sender thread writes it."""
    import threading

    from nnviz.app.training import protocol

    threads, original = [], protocol.send_data

    def spy(connection, data):
        threads.append(threading.current_thread())
        original(connection, data)

    monkeypatch.setattr(protocol, "send_data", spy)
    controller = TrainingController()
    x = np.random.default_rng(1).random((40, 2))
    data = TrainingData(x, (x.sum(axis=1) > 1).astype(int), "classification")
    controller.load(Network.create([2, 3, 1], "tanh", "sigmoid", seed=0), TrainingConfig(loss="bce"), data)
    try:
        with qtbot.waitSignal(controller.snapshot_ready, timeout=30000):
            controller.step_epoch()
        assert len(threads) == 1
        assert threads[0] is not threading.main_thread()
    finally:
        controller.shutdown()
