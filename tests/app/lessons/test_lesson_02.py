"""Lesson 2, "Activation functions", driven through the real window: every activation the lesson names is
chosen in the Architecture panel or the Inspector, the step function is refused by training, and tanh learns
XOR."""

from nnviz.app.selection import Selection
from tests.app.lessons.driving import click, goal_shown, next_step, open_lesson, train_until_goal


def choose_activation(window, name: str, layer: int = 1) -> None:
    """Pick `name` in the Architecture panel's Activation column, row `layer`."""
    window.architecture_panel.table.cellWidget(layer, 2).setCurrentText(name)


def test_lesson_2_each_activation_is_chosen_and_only_a_smooth_one_learns(qtbot, window):
    lessons, session = open_lesson(window, "02-activation-functions.nnlesson"), window.session
    assert session.network.sizes == [2, 4, 1]
    assert session.selection == Selection.neuron(1, 0)
    assert lessons.goal_met() is None

    next_step(qtbot, window, "The step function")
    assert not lessons.goal_met()
    choose_activation(window, "step")
    assert session.network.activations[0].name == "step"
    assert goal_shown(window)

    next_step(qtbot, window, "Why the step cannot learn")
    messages = []
    window.training.controller.failed.connect(messages.append)
    click(qtbot, window.training.panel.play)
    qtbot.waitUntil(lambda: bool(messages), timeout=60_000)
    assert "uses the step activation" in messages[0]
    assert "cannot be trained" in messages[0]
    window.training.message_box.close()

    next_step(qtbot, window, "Linear: no bend at all")
    assert not lessons.goal_met()
    choose_activation(window, "identity")
    assert goal_shown(window)

    next_step(qtbot, window, "Sigmoid: a smooth step")
    inspector = window.inspector
    inspector.activation_box.setCurrentText("sigmoid")
    assert session.network.activations[0].name == "sigmoid"
    assert not lessons.goal_met()  # the slope is still 1
    inspector.param_spin.setValue(5.0)
    assert session.network.activations[0].params["slope"] == 5.0
    assert goal_shown(window)

    for title, name in [
        ("tanh: centred on zero", "tanh"),
        ("ReLU: a bent line", "relu"),
        ("Leaky ReLU: never quite dead", "leaky_relu"),
        ("Softplus, softsign and swish", "swish"),
        ("Maxout: the neuron picks its best line", "maxout"),
    ]:
        next_step(qtbot, window, title)
        assert not lessons.goal_met()
        choose_activation(window, name)
        assert goal_shown(window), title

    next_step(qtbot, window, "Now let it learn")
    assert not lessons.goal_met()
    choose_activation(window, "tanh")
    click(qtbot, window.training.panel.reinitialise)
    assert not lessons.goal_met()  # tanh, but not trained yet
    train_until_goal(qtbot, window)
    assert lessons.training.epochs[-1].accuracy == 1.0
