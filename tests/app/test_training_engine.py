"""The training process's engine, driven directly (no Qt, no process): commands in order, refused loads
retried when the settings change, divergence, and `serve` ending when the GUI's end of the pipe closes."""

import multiprocessing
import threading

import numpy as np

from nnviz.app.training import protocol
from nnviz.app.training.engine import TrainingEngine, serve
from nnviz.app.training.protocol import (
    Ack,
    Bye,
    Failed,
    Load,
    Pause,
    SetConfig,
    SetPace,
    Shutdown,
    Snapshot,
    Start,
    StepBatch,
    TrainingData,
)
from nnviz.core.network import Network
from nnviz.core.runs import flatten
from nnviz.core.training import TrainingConfig

X = np.array([[0.5]])
Y = np.array([[3.0]])


def engine():
    events = []
    return TrainingEngine(events.append), events


def test_a_load_refused_for_its_loss_is_retried_when_the_loss_changes():
    eng, events = engine()
    net = Network.create([1, 3, 1], "tanh", "identity", seed=0)
    eng.apply(Load(net, TrainingConfig(loss="bce"), TrainingData(X, Y, "regression")))
    assert [type(event) for event in events] == [Failed]
    assert "bce" in events[0].message
    eng.apply(SetConfig({"loss": "mse"}))
    eng.apply(Ack())  # paces snapshots; not one of the user's commands, so not counted
    eng.apply(StepBatch())
    eng.maybe_emit(force=True)
    snap = events[-1]
    assert isinstance(snap, Snapshot)
    assert (snap.step, snap.commands_applied, snap.config.loss) == (1, 3, "mse")


def test_divergence_pauses_with_a_message_and_keeps_finite_parameters():
    eng, events = engine()
    x = np.linspace(-1, 1, 64).reshape(-1, 1)
    net = Network.create([1, 8, 1], "identity", seed=0)
    cfg = TrainingConfig(loss="mse", optimizer="sgd", learning_rate=50.0, batch_size=8, seed=0)
    eng.apply(Load(net, cfg, TrainingData(x, 100 * x, "regression")))
    eng.apply(Start())
    for _ in range(1000):
        if not eng.running:
            break
        eng.train_one_minibatch()
    assert not eng.running
    failures = [event.message for event in events if isinstance(event, Failed)]
    assert failures
    assert "learning rate" in failures[0]
    eng.maybe_emit(force=True)
    snap = events[-1]
    assert all(np.isfinite(a).all() for a in snap.weights + snap.biases)


def test_serve_ends_quietly_when_the_gui_goes_away():
    commands_out, commands_in = multiprocessing.Pipe(duplex=False)
    events_out, events_in = multiprocessing.Pipe(duplex=False)
    server = threading.Thread(target=serve, args=(commands_out, events_in))
    server.start()
    commands_in.send(Start())
    commands_in.close()  # the GUI process was killed: its end of the command pipe closes
    server.join(timeout=10)
    assert not server.is_alive()
    assert not events_out.poll()  # nothing was loaded, so "start" trained nothing and said nothing


def test_after_divergence_the_last_finite_parameters_are_kept_not_the_network_before_training():
    """The message says the last finite parameters are kept: those of the minibatch before the one that
    overflowed, not the ones of the last snapshot sent (here: the network as loaded, before any training)."""
    eng, events = engine()
    x = np.linspace(-1, 1, 64).reshape(-1, 1)
    net = Network.create([1, 8, 1], "identity", seed=0)
    cfg = TrainingConfig(loss="mse", optimizer="sgd", learning_rate=2.0, batch_size=8, seed=0)
    before = net.weights[0].copy()
    eng.apply(Load(net, cfg, TrainingData(x, 100 * x, "regression")))
    eng.apply(Start())
    steps = 0
    while eng.running and steps < 1000:
        eng.train_one_minibatch()
        steps += 1
    assert steps > 2  # diverged after some updates that were finite
    assert any(isinstance(event, Failed) for event in events)
    eng.maybe_emit(force=True)
    snap = events[-1]
    assert all(np.isfinite(a).all() for a in snap.weights + snap.biases)
    assert not np.array_equal(snap.weights[0], before)


def test_a_pace_spaces_the_minibatches_in_the_training_process():
    """At 10 epochs a second with 2 minibatches an epoch, each step is due 0.05 s after the previous one;
    without a pace the next is due at once."""
    eng, _ = engine()
    x = np.linspace(-1, 1, 8).reshape(-1, 1)
    net = Network.create([1, 3, 1], "tanh", seed=0)
    eng.apply(Load(net, TrainingConfig(batch_size=4), TrainingData(x, x)))
    eng.apply(Start())
    assert eng.seconds_to_next_step() == 0.0
    eng.apply(SetPace(10.0))
    eng.train_one_minibatch()
    assert 0.0 < eng.seconds_to_next_step() <= 0.05
    eng.apply(SetPace(None))
    assert eng.seconds_to_next_step() == 0.0


def test_serve_trains_at_the_pace_it_is_given():
    """One epoch a second: half a second after Play the paced process has done at most a few minibatches
    of its 8-a-second (it would do thousands flat out)."""
    import time

    commands_out, commands_in = multiprocessing.Pipe(duplex=False)
    events_out, events_in = multiprocessing.Pipe(duplex=False)
    server = threading.Thread(target=serve, args=(commands_out, events_in))
    server.start()
    x = np.linspace(-1, 1, 64).reshape(-1, 1)
    commands_in.send(Load(Network.create([1, 3, 1], "tanh", seed=0), TrainingConfig(batch_size=8),
                          TrainingData(x, x)))  # fmt: skip
    commands_in.send(SetPace(1.0))
    commands_in.send(Start())
    time.sleep(0.5)  # the process's own time passing, not a wait for the GUI
    commands_in.send(Pause())
    commands_in.send(Shutdown())
    server.join(timeout=10)
    steps = [event.step for event in iter(events_out.recv, Bye()) if isinstance(event, Snapshot)]
    assert max(steps) <= 8


def test_a_data_set_crosses_the_pipe_as_raw_chunks_into_identical_arrays(monkeypatch):
    """A 60,000-image set pickled in one piece on the GUI thread took seconds (1.9-6.9 s measured); it now
    goes as raw bytes in chunks (small ones here, so that many cross), read into arrays of the same dtype."""
    monkeypatch.setattr(protocol, "CHUNK_BYTES", 1000)
    rng = np.random.default_rng(0)
    data = TrainingData(
        rng.random((301, 7)).astype(np.float32), rng.integers(0, 3, 301), "classification",
        rng.random((5, 7)), None,
    )  # fmt: skip
    receiving, sending = multiprocessing.Pipe(duplex=False)
    header = protocol.DataFollows.of(data)
    sender = threading.Thread(target=protocol.send_data, args=(sending, data))
    sender.start()
    back = protocol.receive_data(receiving, header)
    sender.join()
    assert back.task == "classification"
    assert back.y_test is None
    for got, sent in zip((back.x, back.y, back.x_test), (data.x, data.y, data.x_test), strict=True):
        assert got.dtype == sent.dtype
        np.testing.assert_array_equal(got, sent)
    assert not receiving.poll()  # nothing left over for the next command


def test_snapshots_carry_the_checkpoints_the_runs_recorder_kept_with_the_parameters_of_their_epoch():
    eng, events = engine()
    x = np.linspace(-1, 1, 16).reshape(-1, 1)
    net = Network.create([1, 4, 1], "tanh", "identity", seed=0)
    cfg = TrainingConfig(loss="mse", optimizer="sgd", learning_rate=0.1, batch_size=16, seed=0)
    eng.apply(Load(net, cfg, TrainingData(x, x**2, "regression")))
    for epoch in range(1, 4):  # one minibatch is one epoch here
        eng.train_one_minibatch()
        eng.maybe_emit(force=True)
        eng.apply(Ack())
        snap = events[-1]
        assert [c.epoch for c in snap.checkpoints] == [epoch]
        flat = flatten(snap.weights, snap.biases)
        np.testing.assert_array_equal(snap.checkpoints[0].parameters, flat)
    eng.apply(StepBatch())  # a fourth epoch, and a snapshot after it
    eng.maybe_emit(force=True)
    sent = [c.epoch for event in events if isinstance(event, Snapshot) for c in event.checkpoints]
    assert sent == [1, 2, 3, 4]  # each once
