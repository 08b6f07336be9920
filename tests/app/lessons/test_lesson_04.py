"""Lesson 4, "Loss", driven through the real window: the output's bias typed into the Inspector reaches the
output goals, and with the network confidently wrong, squared error barely moves it in 100 epochs while
cross-entropy fixes it."""

from nnviz.app.selection import Selection
from tests.app.lessons.driving import (
    epochs,
    goal_shown,
    next_step,
    open_lesson,
    train_until,
    train_until_goal,
    type_into,
)


def test_lesson_4_squared_error_stalls_where_cross_entropy_learns(qtbot, window):
    lessons, session = open_lesson(window, "04-loss.nnlesson"), window.session
    output = lambda: float(session.trace.output[0][0])  # noqa: E731 - the output for the input shown
    assert list(session.input) == [0.0, 0.0]
    bias = window.inspector.bias_editor.spin
    settings = window.training.panel

    next_step(qtbot, window, "Squared error")
    assert output() == 0.5

    next_step(qtbot, window, "Fix one answer by hand")
    assert session.selection == Selection.neuron(2, 0)
    assert not lessons.goal_met()
    type_into(qtbot, bias, "-3")
    assert output() < 0.1
    assert goal_shown(window)

    next_step(qtbot, window, "Confidently wrong")
    assert not lessons.goal_met()
    type_into(qtbot, bias, "8")
    assert goal_shown(window)
    assert output() > 0.999

    next_step(qtbot, window, "Cross-entropy")
    assert "loss (bce)" in window.output_panel.loss.text()

    next_step(qtbot, window, "Squared error learns slowly")
    assert not lessons.goal_met()
    settings.loss.setCurrentText("mse")
    settings.pace.setCurrentText("30 epochs/s")  # so a goal met is paused near where it was met
    assert session.training_config.loss == "mse"
    train_until(qtbot, window, lambda: goal_shown(window))
    assert epochs(window) >= 100
    assert output() > 0.99  # stuck on its worst mistake

    next_step(qtbot, window, "Cross-entropy learns fast")
    assert not lessons.goal_met()
    settings.loss.setCurrentText("bce")
    train_until_goal(qtbot, window)
    assert output() <= 0.5

    next_step(qtbot, window, "The loss of the whole set")
    train_until_goal(qtbot, window)
    assert lessons.training.epochs[-1].accuracy == 1.0
