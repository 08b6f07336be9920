"""Training inside the real main window: play trains the Session's network, edits reach the worker,
hyper-parameters are recorded in the project, and closing mid-run stops the thread."""

import numpy as np
import pytest

from nnviz.app.training import ui as training_ui
from nnviz.app.training.protocol import SetBias, SetWeight, Snapshot
from nnviz.app.window.visibility import on_screen
from nnviz.core.training import TrainingConfig


def wait_paused_and_synced(qtbot, training):
    snapshots = []
    training.controller.snapshot_ready.connect(snapshots.append)
    qtbot.waitUntil(
        lambda: (
            bool(snapshots)
            and not snapshots[-1].running
            and snapshots[-1].commands_applied >= training.controller.commands_sent
        ),
        timeout=20000,
    )


def test_play_trains_the_sessions_network_and_draws_curves(qtbot, xor_window):
    training, session = xor_window.training, xor_window.session
    before = session.network.weights[0].copy()
    assert [d.windowTitle() for d in training.docks] == ["Training", "Loss", "Decision map", "Neuron maps"]
    assert training.data.x.shape == (4, 2)  # XOR is too small to hold samples out
    training.controller.start()
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 3, timeout=20000)
    training.controller.pause()
    wait_paused_and_synced(qtbot, training)
    assert not np.array_equal(session.network.weights[0], before)
    image = training.decision_map.image.image
    assert image is not None
    assert image.shape[2] == 4
    training.docks[3].raise_()  # the neuron maps sit behind the decision map's tab: drawn once shown
    assert [len(c) for c in training.neuron_maps.images] == [session.network.sizes[1]]


def test_an_edit_made_while_training_reaches_the_worker(qtbot, xor_window):
    training, session = xor_window.training, xor_window.session
    training.panel.learning_rate.setValue(1e-6)  # so training itself barely moves the weight
    training.controller.start()
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 2, timeout=20000)
    session.edit_weight(0, 1, 0, 4.25)
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 6, timeout=20000)
    training.controller.pause()
    wait_paused_and_synced(qtbot, training)
    assert session.network.weights[0][1, 0] == pytest.approx(4.25, abs=1e-3)


def test_a_weight_edit_during_training_is_sent_as_that_one_edit(qtbot, xor_window, monkeypatch):
    """The edit's own (layer, indices, value) go to the process as one SetWeight: the network is not compared
    with the last snapshot to find what changed (docs/architecture.md, "A weight edit's way")."""
    training, session = xor_window.training, xor_window.session
    training.panel.learning_rate.setValue(1e-6)  # so training itself barely moves the weight
    sent = []
    send = training.controller._send
    monkeypatch.setattr(training.controller, "_send", lambda command: (sent.append(command), send(command)))

    def compared(*_):
        raise AssertionError("the whole network was compared with the last snapshot")

    monkeypatch.setattr(training, "_send_differences", compared)
    training.controller.start()
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 2, timeout=20000)
    session.edit_weight(0, 1, 0, 4.25)
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 6, timeout=20000)
    training.controller.pause()
    wait_paused_and_synced(qtbot, training)  # the process applied every command sent, the edit among them
    assert [c for c in sent if isinstance(c, (SetWeight, SetBias))] == [SetWeight(0, 1, 0, 4.25)]
    assert session.network.weights[0][1, 0] == pytest.approx(4.25, abs=1e-3)


def test_the_walk_through_update_and_its_undo_reach_the_trainer_as_the_values_they_changed(
    qtbot, xor_window, monkeypatch
):
    """An edit of every weight at once is found by comparing with the values last sent; the undo that follows
    is compared with the update's values, not with an array the update changed in place."""
    training, session = xor_window.training, xor_window.session
    training.controller.start()
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 2, timeout=20000)
    training.controller.pause()
    wait_paused_and_synced(qtbot, training)
    sent = []
    send = training.controller._send
    monkeypatch.setattr(training.controller, "_send", lambda command: (sent.append(command), send(command)))
    trained = [a.copy() for a in session.network.weights + session.network.biases]
    session.run_to_end()
    session.apply_update()
    updated = [a.copy() for a in session.network.weights + session.network.biases]
    session.undo_stack.undo()
    wait_paused_and_synced(qtbot, training)
    changed = sum(int(np.count_nonzero(a != b)) for a, b in zip(trained, updated, strict=True))
    edits = [c for c in sent if isinstance(c, (SetWeight, SetBias))]
    assert len(edits) == 2 * changed  # each changed number there and back
    for command in edits[:changed]:
        if isinstance(command, SetWeight):
            assert command.value == updated[command.layer][command.row, command.column]
    # the paused trainer's answer is now shown: it holds what the undo restored
    for now, then in zip(session.network.weights + session.network.biases, trained, strict=True):
        np.testing.assert_array_equal(now, then)


def test_snapshots_bring_the_shown_inputs_forward_pass_made_on_the_relay_thread(
    qtbot, xor_window, monkeypatch
):
    """The GUI thread does not pass the shown input through every weight at each snapshot (13 ms at 14.2M
    parameters): the relay thread does, and the session shows that very pass."""
    import threading

    from nnviz.core.stepping import ShownSample

    training, session = xor_window.training, xor_window.session
    threads, used = set(), []
    made_by = ShownSample.trace
    monkeypatch.setattr(
        ShownSample,
        "trace",
        lambda self, w, b: threads.add(threading.current_thread()) or made_by(self, w, b),
    )
    apply = session.apply_parameters

    def applying(weights, biases, made=None):
        changed = apply(weights, biases, made)
        used.append(made is not None and session.trace is made.trace)
        return changed

    monkeypatch.setattr(session, "apply_parameters", applying)
    training.controller.start()
    qtbot.waitUntil(lambda: sum(used) >= 3, timeout=20000)
    training.controller.pause()
    wait_paused_and_synced(qtbot, training)
    assert threads
    assert threading.main_thread() not in threads
    np.testing.assert_array_equal(
        session.trace.output, session.network.trace(session.network_input).output
    )  # the pass shown is the one the GUI would have made


def test_the_maps_follow_an_edit_and_the_trainers_echo_of_it_redraws_nothing(qtbot, xor_window):
    """A paused trainer answers an edit with a snapshot of the very values shown: the views drew the edit
    already, so the echo changes nothing and redraws nothing."""
    training, session = xor_window.training, xor_window.session
    maps, changes = [], []
    training.decision_map.set_network = maps.append
    session.edit_weight(0, 1, 0, 4.25)
    qtbot.waitUntil(lambda: len(maps) == 1)  # the edit's own redraw, before any process is started
    session.parameters_changed.connect(changes.append)
    net = session.network
    echo = Snapshot(
        [w.copy() for w in net.weights], [b.copy() for b in net.biases], epoch=0, step=0, samples_seen=0,
        batch_loss=None, commands_applied=training.controller.commands_sent,
    )  # fmt: skip
    training.controller.snapshot_ready.emit(echo)
    qtbot.wait(2 * training_ui.REDRAW_INTERVAL_MS)
    assert changes == []
    assert len(maps) == 1


def test_a_snapshot_older_than_an_edit_never_undoes_it_on_screen(qtbot, xor_window):
    training, session = xor_window.training, xor_window.session
    training.panel.optimizer.setCurrentText("sgd")
    training.panel.learning_rate.setValue(1e-6)  # training moves the weight by ~1e-6 a step
    old = float(session.network.weights[0][1, 0])
    training.controller.start()
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 2, timeout=20000)
    shown = []
    session.parameters_changed.connect(lambda: shown.append(float(session.network.weights[0][1, 0])))
    for value in (4.25, -3.5, 2.75):  # a burst: each edit is sent while older snapshots are in flight
        session.edit_weight(0, 1, 0, value)
    qtbot.waitUntil(lambda: len(shown) > 8, timeout=20000)
    training.controller.pause()
    assert abs(old - 2.75) > 1
    assert shown[:3] == [4.25, -3.5, 2.75]  # the edits themselves
    assert all(v == pytest.approx(2.75, abs=1e-2) for v in shown[3:])  # snapshots after them


def test_a_map_behind_another_tab_is_recoloured_only_once_shown(qtbot, xor_window):
    training = xor_window.training
    maps, dock, other = training.neuron_maps, training.docks[3], training.docks[2]
    xor_window.tabifyDockWidget(other, dock)
    other.raise_()
    qtbot.waitUntil(lambda: not on_screen(maps))
    assert maps.isVisible()  # why isVisible() is not the rule: a widget behind a tab says it is
    calls = []
    maps.set_network = calls.append
    steps = []
    training.controller.snapshot_ready.connect(lambda snap: steps.append(snap.step))
    for _ in range(3):
        training.controller.step_batch()
    qtbot.waitUntil(lambda: 3 in steps, timeout=20000)
    qtbot.wait(2 * training_ui.REDRAW_INTERVAL_MS)
    assert calls == []
    dock.raise_()
    qtbot.waitUntil(lambda: len(calls) == 1)


def test_hyper_parameter_edits_are_recorded_in_the_project(xor_window):
    training, session = xor_window.training, xor_window.session
    training.panel.optimizer.setCurrentText("adam")
    training.panel.batch_size.setValue(2)
    assert isinstance(session.project.training, TrainingConfig)
    assert session.project.training.optimizer == "adam"
    assert session.project.training.batch_size == 2
    assert session.project.training.loss == "bce"  # the rest kept from the file


def test_closing_the_window_mid_run_stops_the_training_thread(qtbot, xor_window):
    training = xor_window.training
    training.controller.start()
    qtbot.waitUntil(lambda: training.controller.running, timeout=20000)
    xor_window.session.undo_stack.setClean()  # trained weights are unsaved work: no save question here
    xor_window.close()
    assert training.controller.relay_thread.isFinished()


def test_redraws_while_training_leave_no_objects_behind(qtbot, xor_window):
    """PySide6 6.11 leaks a weak reference for every QTimer.singleShot(ms, context, bound method): one per
    redraw, ten a second, found by the soak benchmark's rising gc object count."""
    import gc
    import weakref

    training = xor_window.training
    redraws = []
    xor_window.session.parameters_changed.connect(lambda: redraws.append(1))

    def weak_references() -> int:
        gc.collect()
        return sum(type(o) is weakref.ReferenceType for o in gc.get_objects())

    training.controller.start()
    qtbot.waitUntil(lambda: len(redraws) > 3, timeout=20000)
    before, redraws[:] = weak_references(), []
    qtbot.waitUntil(lambda: len(redraws) > 30, timeout=30000)
    training.controller.pause()
    assert weak_references() - before < 10
