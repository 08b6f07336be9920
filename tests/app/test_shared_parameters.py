"""Snapshot parameters through shared memory: exact, private, versioned, cleaned up, and a pipe message that
does not grow with the network."""

import os
import pickle
import signal
from pathlib import Path

import numpy as np
import pytest

from nnviz.app.training.protocol import Bye, RunningChanged, Snapshot
from nnviz.app.training.shared_parameters import ParameterReader, ParameterWriter
from nnviz.core.network import Network


def _snapshot(sizes, seed=0):
    net = Network.create(sizes, seed=seed)
    return Snapshot(net.weights, net.biases, epoch=1, step=2, samples_seen=3, batch_loss=0.5)


def test_the_gui_gets_exactly_the_parameters_as_private_arrays():
    writer, reader = ParameterWriter(), ParameterReader()
    try:
        sent = _snapshot([5, 7, 3])
        got = reader.fill(writer.stow(sent))
        for a, b in zip(got.weights + got.biases, sent.weights + sent.biases, strict=True):
            np.testing.assert_array_equal(a, b)
        kept = got.weights[0].copy()
        reader.fill(writer.stow(_snapshot([5, 7, 3], seed=1)))  # the block is rewritten
        np.testing.assert_array_equal(got.weights[0], kept)  # ... what the GUI kept is its own
        assert (got.epoch, got.step, got.batch_loss) == (1, 2, 0.5)
    finally:
        reader.close()
        writer.close()


def test_the_message_in_the_pipe_does_not_grow_with_the_network():
    """~10 ms at 109k parameters, 847 ms at 12.6M were spent pickling them into every snapshot."""
    writer = ParameterWriter()
    try:
        small = len(pickle.dumps(writer.stow(_snapshot([2, 3, 1]))))
        large = len(pickle.dumps(writer.stow(_snapshot([784, 1024, 1024, 10]))))
    finally:
        writer.close()
    assert large < small + 200  # the shapes' digits, nothing of the 1.86M parameters


def test_a_torn_or_stale_block_is_refused():
    writer, reader = ParameterWriter(), ParameterReader()
    try:
        stale = writer.stow(_snapshot([2, 2]))
        writer.stow(_snapshot([2, 2], seed=1))
        with pytest.raises(RuntimeError, match="version"):
            reader.fill(stale)
    finally:
        reader.close()
        writer.close()


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="POSIX shared memory lives in /dev/shm here")
def test_a_new_layout_replaces_the_block_and_closing_removes_it():
    writer = ParameterWriter()
    first = writer.stow(_snapshot([2, 2])).parameters.name
    second = writer.stow(_snapshot([2, 3, 1])).parameters.name
    assert first != second
    assert not Path("/dev/shm", first).exists()
    writer.close()
    assert not Path("/dev/shm", second).exists()


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="POSIX shared memory lives in /dev/shm here")
def test_the_block_of_a_killed_training_process_is_removed_by_the_gui(qtbot):
    from nnviz.app.training.controller import TrainingController, TrainingData
    from nnviz.core.training import TrainingConfig

    controller = TrainingController()
    x = np.random.default_rng(1).random((20, 2))
    controller.load(Network.create([2, 3, 1], "tanh", "sigmoid", seed=0), TrainingConfig(loss="bce"),
                    TrainingData(x, (x.sum(axis=1) > 1).astype(int), "classification"))  # fmt: skip
    try:
        with qtbot.waitSignal(controller.snapshot_ready, timeout=30000):
            controller.step_epoch()
        # This run's block by name: other test runs on the machine make and remove blocks of their own.
        block = Path("/dev/shm", controller._worker._parameters.name)
        assert block.exists()
        with qtbot.waitSignal(controller.lost, timeout=30000):
            os.kill(controller._process.pid, signal.SIGKILL)
        assert not block.exists()
    finally:
        controller.shutdown()


def test_a_snapshot_whose_block_the_process_already_removed_is_dropped():
    """The process sends "bye" and removes its block while a last snapshot may still be in the pipe."""
    writer, reader = ParameterWriter(), ParameterReader()
    late = writer.stow(_snapshot([2, 3, 1]))
    writer.close()
    assert reader.fill(late) is None
    reader.close()


def test_the_relay_drops_a_late_snapshot_and_still_ends_at_goodbye(qtbot):
    """Seen in CI: the relay raised FileNotFoundError reading the last snapshot of a process shut down."""
    import multiprocessing

    from PySide6.QtCore import QThread

    from nnviz.app.training.controller import TrainingWorker

    events_out, events_in = multiprocessing.Pipe(duplex=False)
    writer = ParameterWriter()
    late = writer.stow(_snapshot([2, 3, 1]))
    writer.close()
    events_in.send(late)
    events_in.send(RunningChanged(False))
    events_in.send(Bye())
    worker, thread = TrainingWorker(events_out), QThread()
    worker.moveToThread(thread)
    snapshots, running = [], []
    worker.snapshot_ready.connect(snapshots.append)
    worker.running_changed.connect(running.append)
    thread.started.connect(worker.run)
    with qtbot.waitSignal(thread.finished, timeout=10000):  # run() ends the thread at "bye"
        thread.start()
    thread.wait()
    qtbot.waitUntil(lambda: running == [False])  # the signals cross to this thread queued
    assert snapshots == []
