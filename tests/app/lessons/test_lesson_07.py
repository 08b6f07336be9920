"""Lesson 7, "Playground challenges", driven through the real window: the circle solved with three hidden
neurons built in the Architecture panel, XOR on the plane failing without a hidden layer and solved by the
x1*x2 feature ticked in the Data panel, and the spiral trained under the test-loss target."""

from tests.app.lessons.driving import (
    click,
    discard_when_asked,
    next_step,
    open_lesson,
    set_pace,
    train_until_goal,
)


def use_data(window, name: str, ticked: tuple[str, ...] = ()) -> None:
    """Data panel: choose the built-in set, tick extra input features, Apply to this project."""
    data = window.data_panel
    data.choice.setCurrentText(name)
    for feature in ticked:
        data.parameters["features"].boxes[feature].setChecked(True)
    data.apply_button.click()


def test_lesson_7_each_challenge_is_met_by_building_what_it_asks(qtbot, window, monkeypatch):
    lessons, session = open_lesson(window, "07-playground-challenges.nnlesson"), window.session
    asked = discard_when_asked(monkeypatch)
    assert session.network.sizes == [2, 8, 8, 1]

    next_step(qtbot, window, "Challenge 1: a circle with three neurons")
    assert not lessons.goal_met()
    architecture = window.architecture_panel
    architecture.table.selectRow(2)
    click(qtbot, architecture.remove_layer_button)
    architecture.table.cellWidget(1, 1).setValue(3)
    assert session.network.sizes == [2, 3, 1]
    train_until_goal(qtbot, window)
    assert lessons.training.epochs[-1].test_accuracy >= 0.9

    next_step(qtbot, window, "Why three?")

    next_step(qtbot, window, "Challenge 2: XOR without hidden layers")
    assert asked == ["Unsaved changes"]
    assert session.network.sizes == [2, 1]
    use_data(window, "xor")
    assert session.dataset.name == "xor"
    set_pace(window, "30 epochs/s")
    train_until_goal(qtbot, window)
    assert lessons.training.epochs[-1].test_accuracy < 0.8  # no line splits the quadrants

    next_step(qtbot, window, "Impossible")

    next_step(qtbot, window, "Challenge 3: give it a better input")
    use_data(window, "xor", ticked=("x1*x2",))
    assert session.network.sizes == [3, 1]
    assert session.dataset.feature_names == ["x1", "x2", "x1*x2"]
    train_until_goal(qtbot, window)

    next_step(qtbot, window, "Challenge 4: the spiral")
    assert session.network.sizes == [2, 8, 8, 1]
    set_pace(window, "as fast as possible")
    train_until_goal(qtbot, window)
    assert lessons.training.epochs[-1].test_loss <= 0.2
