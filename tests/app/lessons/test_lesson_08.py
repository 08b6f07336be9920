"""Lesson 8, "Reading handwritten digits", driven through the real window: the 13,002 parameters counted
layer by layer are the network's, training reaches 95% on the test digits, and a 1 drawn with the mouse on
the Input panel's pad is read as a 1."""

from PySide6.QtCore import QPoint, Qt

from nnviz.app.selection import Selection
from tests.app.lessons.driving import button, click, goal_shown, next_step, open_lesson, train_until_goal


def draw_a_one(qtbot, pad) -> None:
    """One stroke down the middle column of the 28×28 pad, as a student draws it."""
    cell = min(pad.width(), pad.height()) / 28
    at = lambda row: QPoint(int(14.5 * cell), int((row + 0.5) * cell))  # noqa: E731
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=at(5))
    for row in range(6, 23):
        qtbot.mouseMove(pad, at(row))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=at(22))


def test_lesson_8_count_train_and_read_a_drawn_digit(qtbot, window):
    lessons, session = open_lesson(window, "08-digits.nnlesson"), window.session
    network = session.network
    assert network.sizes == [784, 16, 16, 10]
    assert window.input_panel.pad is not None

    next_step(qtbot, window, "Counting the parameters")
    assert session.selection == Selection.whole_layer(1)
    per_layer = [w.size + b.size for w, b in zip(network.weights, network.biases, strict=True)]
    assert per_layer == [12_560, 272, 170]  # as the step counts them
    assert network.n_parameters == 13_002
    assert "13,002 parameters" in window.status.text()

    next_step(qtbot, window, "What a neuron looks at")
    assert session.selection == Selection.neuron(1, 0)

    next_step(qtbot, window, "Train it")
    train_until_goal(qtbot, window)

    next_step(qtbot, window, "Look again")

    next_step(qtbot, window, "Draw your own")
    assert not lessons.goal_met()  # the first sample is a 0
    click(qtbot, button(window.input_panel, "Clear"))
    assert not session.input.any()
    draw_a_one(qtbot, window.input_panel.pad)
    assert session.input.reshape(28, 28)[5:23, 14].all()
    assert goal_shown(window)
