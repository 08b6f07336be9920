"""The Session: one sample's trace and stepper, kept in step with edits, inputs and targets."""

import numpy as np
import pytest

from nnviz.app.edits.changes import EVERYTHING, ParameterChange
from nnviz.app.session import Session
from nnviz.core.document import Project
from nnviz.core.network import Network, NetworkError

CLASSIC_OUTPUT = [0.75136507, 0.772928465]  # the published walk-through's forward pass


def test_classic_example_starts_on_its_sample_with_the_published_output(session):
    assert session.input.tolist() == [0.05, 0.10]
    assert session.target.tolist() == [0.01, 0.99]
    np.testing.assert_allclose(session.trace.output[0], CLASSIC_OUTPUT, atol=1e-8)
    # forward (4 neurons) + output error + per layer (2 deltas + 2 gradient rows) x 2 layers
    assert len(session.stepper.steps) == 4 + 1 + 8 + 2 + 1  # forward, error, backward, 2 updates, new loss
    assert session.stepper.position == 0


def test_set_input_reruns_the_forward_pass_and_tells_the_views(qtbot, session):
    with qtbot.waitSignals([session.input_changed, session.trace_changed, session.step_changed]):
        session.set_input([1.0, -1.0])
    np.testing.assert_allclose(session.trace.output, session.network.forward([[1.0, -1.0]]))


@pytest.mark.parametrize("bad", [[1.0], [1.0, 2.0, 3.0], [np.nan, 0.0]])
def test_set_input_refuses_the_wrong_number_of_values_or_non_finite_ones(session, bad):
    before = session.trace.output.copy()
    with pytest.raises(NetworkError, match="2 finite numbers"):
        session.set_input(bad)
    np.testing.assert_array_equal(session.trace.output, before)


def test_step_controls_move_the_stepper_and_emit(qtbot, session):
    with qtbot.waitSignal(session.step_changed):
        session.step_neuron()
    assert session.stepper.position == 1
    session.step_layer()
    assert session.stepper.position == 2  # the rest of hidden layer 1
    session.run_to_end()
    assert session.stepper.done
    session.step_back()
    assert session.stepper.position == len(session.stepper.steps) - 1
    session.reset_steps()
    assert session.stepper.position == 0


def test_an_edit_keeps_the_step_position_and_the_steps_show_the_new_weight(session):
    session.step_layer()
    session.step_neuron()  # output neuron 2.1
    session.edit_weight(1, 0, 0, 2.0)
    assert session.stepper.position == 3
    assert session.stepper.current.weights[0] == 2.0
    assert session.stepper.current.z == pytest.approx(session.trace.z[2][0, 0])


def test_without_a_target_only_the_forward_pass_is_stepped(session):
    session.set_target(None)
    assert len(session.stepper.steps) == 4
    assert session.target is None


def test_a_step_network_with_a_target_steps_forward_and_says_why_not_backward(qtbot):
    net = Network([[[1.0, 1.0]]], [[-1.5]], ["step"])
    s = Session(Project(net, dataset={"kind": "inline", "x": [[1, 1]], "y": [[1.0]], "task": "regression"}))
    assert len(s.stepper.steps) == 1
    assert "no backward pass" in s.step_note
    assert "step" in s.step_note


def test_dataset_samples_wrap_around(qtbot):
    net = Network.create([2, 1], "sigmoid", seed=1)
    data = {"kind": "inline", "x": [[0, 0], [0, 1], [1, 0]], "y": [0, 1, 1], "task": "classification"}
    s = Session(Project(net, dataset=data))
    s.set_sample(-1)
    assert s.sample_index == 2
    assert s.input.tolist() == [1.0, 0.0]
    assert int(s.target) == 1
    s.set_sample(3)
    assert s.sample_index == 0


def test_a_dataset_that_does_not_fit_the_network_is_ignored(qtbot):
    net = Network.create([3, 1], seed=1)
    s = Session(Project(net, dataset={"kind": "inline", "x": [[0, 0]], "y": [[1.0]], "task": "regression"}))
    assert s.dataset is None
    assert s.input.tolist() == [0.0, 0.0, 0.0]


def test_loss_defaults_to_cross_entropy_for_softmax_and_mse_otherwise(qtbot):
    soft = Session(Project(Network.create([2, 3], "relu", "softmax", seed=0)))
    assert soft.loss_name == "cross_entropy"
    assert Session(Project(Network.create([2, 1], seed=0))).loss_name == "mse"


def test_set_project_replaces_everything_and_clears_undo(qtbot, session):
    session.edit_weight(0, 0, 0, 1.0)
    with qtbot.waitSignal(session.network_changed):
        session.set_project(Project(Network.create([3, 4, 1], seed=2)), "x.nnviz")
    assert session.network.sizes == [3, 4, 1]
    assert session.undo_stack.count() == 0
    assert session.path == "x.nnviz"
    assert session.selection is None


def test_image_shape_is_guessed_for_square_pixel_inputs(qtbot):
    assert Session(Project(Network.create([64, 4, 10], seed=0))).image_shape == (8, 8)
    assert Session(Project(Network.create([2, 2], seed=0))).image_shape is None
    assert Session(Project(Network.create([16, 2], seed=0))).image_shape is None  # 4x4 is no picture


def test_data_that_cannot_be_loaded_leaves_a_note_and_a_working_session(qtbot, tmp_path):
    ref = {"kind": "file", "path": "gone.csv", "targets": ["y"]}
    s = Session(Project(Network.create([2, 1], seed=0), dataset=ref), str(tmp_path / "p.nnviz"))
    assert s.dataset is None
    assert "gone.csv" in s.data_note
    assert s.trace.output.shape == (1, 1)


def test_trained_parameters_mark_the_document_unsaved_without_an_undo_step(qtbot, session):
    net = session.network
    weights = [w + 1.0 for w in net.weights]
    session.apply_parameters(weights, net.biases)
    np.testing.assert_array_equal(session.network.weights[0], weights[0])
    np.testing.assert_allclose(session.trace.output, session.network.forward([0.05, 0.10]))
    assert session.undo_stack.count() == 0
    assert not session.undo_stack.isClean()


def test_a_snapshot_equal_to_the_network_changes_nothing(qtbot, session):
    with qtbot.assertNotEmitted(session.parameters_changed):
        session.apply_parameters(session.network.weights, session.network.biases)
    assert session.undo_stack.isClean()


def test_a_weight_or_bias_edit_says_what_it_set_and_its_undo_says_it_back(session):
    changes = []
    session.parameters_changed.connect(changes.append)
    old_w, old_b = float(session.network.weights[1][0, 1]), float(session.network.biases[0][1])
    session.edit_weight(1, 0, 1, 0.75)
    session.edit_bias(0, 1, -0.5)
    session.undo_stack.undo()
    assert changes == [
        ParameterChange.weight(1, 0, 1, old_w, 0.75),
        ParameterChange.bias(0, 1, old_b, -0.5),
        ParameterChange.bias(0, 1, -0.5, old_b),
    ]


def test_a_snapshot_or_an_activation_says_everything_and_an_unchanged_snapshot_says_nothing(session):
    changes = []
    session.parameters_changed.connect(changes.append)
    net = session.network
    assert not session.apply_parameters([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    assert session.apply_parameters([w + 1.0 for w in net.weights], [b.copy() for b in net.biases])
    session.edit_activation(0, "relu")
    assert changes == [EVERYTHING, EVERYTHING]


def test_each_change_of_the_network_makes_a_stepper_that_reads_it_without_a_copy(session):
    """At 1.86M weights the stepper's copy of the network was 15 MB and 10-30 ms of every edit and snapshot;
    it reads the session's network, and every change (an edit, its undo, a training snapshot) makes a new
    stepper whose steps and backward pass show the network as it now is."""
    session.run_to_end()
    assert session.stepper.network is session.network
    session.edit_weight(1, 0, 0, 0.5)
    after_edit = session.stepper
    assert after_edit.network is session.network
    expected = session.network.backward(after_edit.trace, session.target_matrix(), session.loss_name)
    assert after_edit.gradients.weights[1][0, 0] == pytest.approx(expected.weights[1][0, 0])
    session.undo_stack.undo()
    assert session.stepper is not after_edit
    weights = [w * 0.5 for w in session.network.weights]
    session.apply_parameters(weights, [b.copy() for b in session.network.biases])
    step = session.stepper.steps[0]  # h1, from the snapshot's weights
    np.testing.assert_array_equal(step.weights, weights[0][0])


def test_a_snapshot_is_taken_without_a_copy_and_a_later_edit_leaves_it_as_it_came(session):
    """At 1.86M weights, copying a snapshot into the network was a pass over 15 MB on the GUI thread at every
    snapshot; the network takes the snapshot's arrays. The training UI keeps them as the last values the
    trainer sent, so an edit after it must not change them."""
    net = session.network
    weights = [w * 0.5 for w in net.weights]
    biases = [b + 0.25 for b in net.biases]
    kept = [a.copy() for a in weights + biases]
    assert session.apply_parameters(weights, biases)
    assert all(a is b for a, b in zip(net.weights + net.biases, weights + biases, strict=True))
    session.edit_weight(1, 0, 1, 9.0)
    session.edit_bias(0, 1, -9.0)
    assert net.weights[1][0, 1] == 9.0
    assert net.biases[0][1] == -9.0
    for given, before in zip(weights + biases, kept, strict=True):
        np.testing.assert_array_equal(given, before)


def test_the_walk_through_update_undoes_and_redoes_to_its_own_values_around_later_edits(session):
    """The update's command hands its arrays to the network (no copy): an edit after it must not write into
    them, or a redo would bring the edit back with the update."""

    def values():
        return [a.copy() for a in session.network.weights + session.network.biases]

    def same(a, b):
        return all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))

    session.run_to_end()
    before = values()
    session.apply_update()
    updated = values()
    assert not same(before, updated)
    session.edit_weight(0, 0, 0, 5.0)
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert same(values(), before)
    session.undo_stack.redo()
    assert same(values(), updated)
    session.undo_stack.redo()
    assert session.network.weights[0][0, 0] == 5.0


def test_a_snapshot_brings_its_forward_pass_of_the_shown_input_and_the_session_uses_it(session, monkeypatch):
    """At 14.2M weights the one-sample forward pass is 13 ms of the GUI thread at every snapshot; the relay
    thread makes it for `session.shown` and the session takes it when it is for what is still shown."""
    net = session.network
    weights, biases = [w * 0.5 for w in net.weights], [b + 0.1 for b in net.biases]
    made = session.shown.trace(weights, biases)
    passes = []
    monkeypatch.setattr(Network, "trace", lambda self, x: passes.append(x) or pytest.fail("a second pass"))
    assert session.apply_parameters(weights, biases, made)
    assert session.trace is made.trace
    assert session.stepper.trace is made.trace
    monkeypatch.undo()
    np.testing.assert_array_equal(session.trace.output, session.network.trace(session.network_input).output)


def test_a_forward_pass_made_for_an_input_no_longer_shown_is_not_used(session):
    net = session.network
    shown_before = session.shown
    made = shown_before.trace([w * 0.5 for w in net.weights], [b.copy() for b in net.biases])
    session.set_input([1.0, -1.0])
    assert session.shown is not shown_before
    weights = [w * 0.5 for w in net.weights]
    assert session.apply_parameters(weights, [b.copy() for b in net.biases], made)
    assert session.trace is not made.trace
    np.testing.assert_allclose(session.trace.output, session.network.forward([[1.0, -1.0]]))


def test_the_shown_sample_is_kept_while_input_and_activations_stay(session):
    shown = session.shown
    session.edit_weight(0, 0, 0, 0.3)
    session.set_input(session.input.copy())
    assert session.shown is shown
    session.edit_activation(0, "relu")
    assert session.shown is not shown
