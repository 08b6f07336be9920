"""Lesson 6, "Training", driven through the real window: learning rates typed into the Training panel crawl,
converge and overshoot as the lesson says, a large rate on the plane diverges with a message, and momentum
and Adam reach the loss goal within the epochs it allows."""

from tests.app.lessons.driving import (
    click,
    discard_when_asked,
    epochs,
    goal_shown,
    next_step,
    open_lesson,
    set_pace,
    train_until,
    train_until_goal,
    type_into,
)


def last_loss(window) -> float:
    return window.lessons.training.epochs[-1].loss


def test_lesson_6_the_learning_rate_decides_crawl_convergence_or_blow_up(qtbot, window, monkeypatch):
    lessons, session = open_lesson(window, "06-training.nnlesson"), window.session
    panel = window.training.panel
    asked = discard_when_asked(monkeypatch)

    next_step(qtbot, window, "Too small: a crawl")
    assert not lessons.goal_met()
    assert panel.optimizer.currentText() == "sgd"
    type_into(qtbot, panel.learning_rate, "0.01")
    set_pace(window, "30 epochs/s")
    train_until(qtbot, window, lambda: goal_shown(window))
    assert epochs(window) >= 100
    assert last_loss(window) > 0.4  # still far from trained

    next_step(qtbot, window, "About right")
    click(qtbot, panel.reinitialise)
    type_into(qtbot, panel.learning_rate, "2")
    assert session.training_config.learning_rate == 2.0
    train_until_goal(qtbot, window)

    next_step(qtbot, window, "Too large: overshooting")
    click(qtbot, panel.reinitialise)
    type_into(qtbot, panel.learning_rate, "100")
    train_until_goal(qtbot, window)
    assert last_loss(window) > 1.0  # worse than guessing

    next_step(qtbot, window, "Divergence")
    assert asked == ["Unsaved changes"]
    assert session.network.sizes == [2, 1]
    refused = []
    window.training.controller.failed.connect(refused.append)
    panel.optimizer.setCurrentText("sgd")
    type_into(qtbot, panel.learning_rate, "0.5")
    click(qtbot, panel.play)
    qtbot.waitUntil(lambda: bool(refused), timeout=60_000)
    assert "diverged" in refused[0]
    window.training.message_box.close()

    next_step(qtbot, window, "Momentum: keep rolling")
    assert session.network.sizes == [2, 4, 1]
    assert not lessons.goal_met()
    panel.optimizer.setCurrentText("momentum")
    type_into(qtbot, panel.learning_rate, "0.5")
    train_until_goal(qtbot, window)

    next_step(qtbot, window, "Adam: a step size for every weight")
    click(qtbot, panel.reinitialise)
    panel.optimizer.setCurrentText("adam")
    type_into(qtbot, panel.learning_rate, "0.1")
    train_until_goal(qtbot, window)
    assert session.training_config.optimizer == "adam"
