"""Lesson 5, "Backpropagation by hand", driven through the real window: with predict first on, each number
the lesson asks for is revealed by the step-through's buttons; Apply the update sets w5 to the worked value
and the error of the next pass is the smaller one the lesson quotes."""

import pytest

from nnviz.app.selection import Selection
from tests.app.lessons.driving import button, click, goal_shown, next_step, open_lesson


def test_lesson_5_reveal_each_number_then_apply_the_update(qtbot, window):
    lessons, session = open_lesson(window, "05-backpropagation-by-hand.nnlesson"), window.session
    assert session.network.sizes == [2, 2, 2]
    assert window.predict_first_action.isChecked()
    steps, output = window.step_controls, window.output_panel
    neuron = button(steps, "Neuron")
    assert output.loss.text() == "loss: ?"

    next_step(qtbot, window, "Your first neuron: h1")
    assert session.selection == Selection.neuron(1, 0)
    assert not lessons.goal_met()
    click(qtbot, neuron)
    assert goal_shown(window)
    assert "0.3775" in window.math_panel.toPlainText()

    next_step(qtbot, window, "The rest of the forward pass")
    for _ in range(2):
        click(qtbot, neuron)
        assert not lessons.goal_met()  # h2, then o1: o2 is still hidden
    click(qtbot, neuron)
    assert goal_shown(window)
    assert session.trace.output[0] == pytest.approx([0.75136507, 0.77292847])

    next_step(qtbot, window, "How wrong is it?")
    click(qtbot, neuron)
    assert output.loss.text() == "loss (mse) = 0.29837111"

    next_step(qtbot, window, "Which way should w5 move?")
    assert session.selection == Selection.edge(1, 0, 0)
    for _ in range(3):  # δ of o1, δ of o2, then the gradients into o1
        click(qtbot, neuron)
    assert "0.082167041" in window.math_panel.toPlainText()

    next_step(qtbot, window, "Back into the hidden layer")
    click(qtbot, button(steps, "To end"))

    next_step(qtbot, window, "The update")
    assert not lessons.goal_met()
    click(qtbot, button(steps, "Apply the update (w⁺ = w − η·∂E/∂w)"))
    assert session.network.weights[1][0, 0] == pytest.approx(0.35891648)
    assert goal_shown(window)
    window.undo_action.trigger()
    assert not lessons.goal_met()
    window.redo_action.trigger()
    assert lessons.goal_met()

    next_step(qtbot, window, "A little less wrong")
    click(qtbot, button(steps, "To end"))
    assert output.loss.text() == "loss (mse) = 0.29102777"
