"""Undoable edits: each is one step on the Session's undo stack; one gesture's edits merge into one."""

import numpy as np
import pytest

from nnviz.core.network import NetworkError


def test_a_weight_edit_is_undone_and_redone_with_the_output(session):
    out_before = session.trace.output.copy()
    session.edit_weight(0, 1, 0, -2.0)
    assert session.network.weights[0][1, 0] == -2.0
    assert not np.allclose(session.trace.output, out_before)
    assert session.undo_stack.undoText() == "set weight w3 to -2"  # i1 → h2
    session.undo_stack.undo()
    assert session.network.weights[0][1, 0] == 0.25
    np.testing.assert_array_equal(session.trace.output, out_before)
    session.undo_stack.redo()
    assert session.network.weights[0][1, 0] == -2.0


def test_edits_of_one_gesture_merge_into_one_undo_step(session):
    gesture = object()
    for value in (0.3, 0.5, 0.9):
        session.edit_weight(1, 0, 1, value, gesture)
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert session.network.weights[1][0, 1] == 0.45


def test_separate_gestures_and_typed_values_stay_separate_steps(session):
    session.edit_weight(1, 0, 1, 0.3, object())
    session.edit_weight(1, 0, 1, 0.5, object())
    session.edit_weight(1, 0, 1, 0.7)
    session.edit_weight(1, 0, 1, 0.8)
    assert session.undo_stack.count() == 4


def test_one_gesture_on_two_different_weights_does_not_merge(session):
    gesture = object()
    session.edit_weight(0, 0, 0, 1.0, gesture)
    session.edit_weight(0, 0, 1, 1.0, gesture)
    assert session.undo_stack.count() == 2


def test_setting_the_same_value_pushes_nothing(session):
    session.edit_weight(0, 0, 0, 0.15)
    session.edit_bias(0, 0, 0.35)
    assert session.undo_stack.count() == 0


def test_a_bias_edit_is_undoable(session):
    session.edit_bias(1, 1, -1.0)
    assert session.network.biases[1][1] == -1.0
    assert "bias b_o2" in session.undo_stack.undoText()
    session.undo_stack.undo()
    assert session.network.biases[1][1] == 0.6


def test_an_activation_edit_changes_the_layer_and_is_undoable(session):
    session.edit_activation(0, {"name": "sigmoid", "slope": 3.0})
    assert session.network.activations[0].params["slope"] == 3.0
    np.testing.assert_allclose(session.trace.output, session.network.forward(session.network_input))
    session.undo_stack.undo()
    assert session.network.activations[0].params["slope"] == 1.0


def test_softmax_is_refused_on_a_hidden_layer(session):
    with pytest.raises(NetworkError, match="output layer"):
        session.edit_activation(0, "softmax")
    assert session.undo_stack.count() == 0
