"""The training timeline: scrubbing shows exactly a checkpoint's parameters in the views, read-only and
marked; Esc returns to now; a branch starts from the checkpoint and undo takes it back; replay plays."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.core.runs import flat_parameters
from tests.app.test_training_runs import train_epochs


@pytest.fixture
def trained(qtbot, xor_window):
    train_epochs(qtbot, xor_window, 3)
    return xor_window


def parameters(network) -> np.ndarray:
    return flat_parameters(network)


def test_the_slider_shows_exactly_the_saved_parameters_in_every_view(trained):
    session, timeline = trained.session, trained.training.timeline
    run = session.project.runs[0]
    now = session.project.network.copy()
    assert timeline.bar.slider.maximum() == 2
    assert timeline.bar.epoch.text() == "now · epoch 3"
    timeline.bar.slider.setValue(0)
    assert session.viewed_epoch == 1
    np.testing.assert_array_equal(parameters(session.network), run.checkpoints[0].parameters)
    assert session.network.weights[0].dtype == np.float64
    np.testing.assert_array_equal(parameters(trained.canvas._network), run.checkpoints[0].parameters)
    decision = trained.training.decision_map
    grid = decision._grid if decision._to_inputs is None else decision._to_inputs(decision._grid)
    np.testing.assert_array_equal(decision._outputs, run.network_at(0).forward(grid))
    assert timeline.banner.isVisible()
    assert "Viewing epoch 1" in timeline.banner.text.text()
    assert timeline.bar.epoch.text() == "epoch 1 / 3"
    trained.training.loss_plot.x_axis.setCurrentText("epoch")
    timeline.bar.slider.setValue(1)
    assert timeline.marker.isVisible()
    assert timeline.marker.value() == 2  # the epoch viewed, marked on the loss curves
    # the project's network is not touched: it is what a save writes and what training goes on from
    np.testing.assert_array_equal(parameters(session.project.network), parameters(now))


def test_esc_returns_to_now(qtbot, trained):
    session, timeline = trained.session, trained.training.timeline
    timeline.bar.slider.setValue(1)
    assert session.viewed_epoch == 2
    qtbot.keyClick(trained.canvas, Qt.Key.Key_Escape)
    assert session.viewed_epoch is None
    assert session.network is session.project.network
    assert not timeline.banner.isVisible()
    assert timeline.bar.slider.value() == timeline.bar.slider.maximum()


@pytest.mark.parametrize("control", ["panel", "menu"])
def test_training_again_returns_to_now(trained, control):
    session, training = trained.session, trained.training
    training.timeline.bar.slider.setValue(0)
    training.controller.start = lambda: None  # what it would train is not the point here
    if control == "panel":
        training.panel.play.click()
    else:
        training.play_pause_action.trigger()
    assert session.viewed_epoch is None
    assert not training.timeline.banner.isVisible()


def test_an_edit_while_viewing_is_refused_with_a_message_and_changes_nothing(trained):
    session, timeline = trained.session, trained.training.timeline
    timeline.bar.slider.setValue(0)
    before, viewed = parameters(session.project.network), parameters(session.network)
    messages = []
    session.edit_refused.connect(messages.append)
    session.edit_weight(0, 0, 0, 9.5)
    (message,) = messages
    assert "read-only" in message
    assert "Train from here" in message
    assert session.undo_stack.count() == 0
    np.testing.assert_array_equal(parameters(session.project.network), before)
    np.testing.assert_array_equal(parameters(session.network), viewed)


def test_undo_while_viewing_returns_to_now_and_undoes_there(trained):
    session, timeline = trained.session, trained.training.timeline
    session.edit_weight(0, 0, 0, 2.5)
    timeline.bar.slider.setValue(0)
    session.undo_stack.undo()
    assert session.viewed_epoch is None
    assert session.network.weights[0][0, 0] != 2.5


def test_train_from_here_branches_from_the_checkpoint_and_undo_restores_network_and_runs(qtbot, trained):
    session, timeline = trained.session, trained.training.timeline
    before = parameters(session.project.network)
    checkpoint = session.project.runs[0].checkpoints[0].parameters
    timeline.bar.slider.setValue(0)
    starts = []
    trained.training.controller.start = lambda: starts.append(True)  # look at the branch before it trains
    timeline.branch_action.trigger()
    assert starts == [True]
    assert session.viewed_epoch is None
    np.testing.assert_array_equal(parameters(session.project.network), checkpoint)
    del trained.training.controller.start
    train_epochs(qtbot, trained, 2)
    assert [r.name for r in session.project.runs] == ["run 1", "run 2"]
    assert session.project.runs[1].parent == {"run": "run 1", "epoch": 1}
    assert session.undo_stack.undoText() == "train from run 1 at epoch 1"
    session.undo_stack.undo()
    assert [r.name for r in session.project.runs] == ["run 1"]
    np.testing.assert_array_equal(parameters(session.project.network), before)
    assert [timeline.bar.run_box.itemText(i) for i in range(timeline.bar.run_box.count())] == ["run 1"]


def test_replay_plays_every_checkpoint_in_order_and_stops_on_the_last(qtbot, trained):
    session, timeline = trained.session, trained.training.timeline
    timeline.bar.speed.setCurrentIndex(timeline.bar.speed.count() - 1)
    epochs = []
    session.viewing_changed.connect(epochs.append)
    timeline.replay_action.trigger()
    qtbot.waitUntil(lambda: not timeline.replay_action.isChecked(), timeout=5000)
    assert epochs == [1, 2, 3]
    assert session.viewed_epoch == 3


def test_a_project_without_runs_has_a_quiet_timeline(xor_window):
    timeline = xor_window.training.timeline
    assert xor_window.session.project.runs == []
    assert not timeline.bar.isEnabled()
    assert timeline.bar.epoch.text() == "no runs yet"
    assert not timeline.branch_action.isEnabled()


def test_a_saved_run_reopened_in_a_window_scrubs_to_the_same_parameters(trained, open_window, tmp_path):
    from nnviz.app.session import Session

    path = str(tmp_path / "trained.nnviz")
    trained.session.save(path)
    saved = trained.session.project.runs[0].checkpoints[1].parameters
    again = open_window(Session(trained.session.project, path))
    again.load(path)
    again.training.timeline.bar.slider.setValue(1)
    assert again.session.viewed_epoch == 2
    np.testing.assert_array_equal(parameters(again.session.network), saved)


def test_a_growing_run_keeps_the_run_box_and_a_renamed_one_shows_its_new_name(trained, monkeypatch):
    """Each training snapshot grows a run: the box is rebuilt only when the runs or their names change."""
    from nnviz.app.training.run_edits import rename_run

    timeline, session = trained.training.timeline, trained.session
    box = timeline.bar.run_box
    rebuilt = []
    original = box.clear
    monkeypatch.setattr(box, "clear", lambda: (rebuilt.append(1), original()))
    timeline.log.runs_changed.emit()  # as a snapshot that added epochs does
    assert rebuilt == []
    assert box.currentText() == session.project.runs[0].name
    rename_run(session, timeline.log, session.project.runs[0], "first")
    assert rebuilt == [1]
    assert box.currentText() == "first"
