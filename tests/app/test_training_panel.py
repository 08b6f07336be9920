"""The training panel drives a real TrainingController: buttons, Space, hyper-parameters, counters."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.panels.training_panel import TrainingPanel
from nnviz.app.training.controller import TrainingController, TrainingData
from nnviz.core.network import Network
from nnviz.core.training import TrainingConfig

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


@pytest.fixture
def panel(qtbot):
    controller = TrainingController()
    snapshots = []
    controller.snapshot_ready.connect(snapshots.append)
    widget = TrainingPanel(controller)
    widget.snapshots = snapshots
    qtbot.addWidget(widget)
    config = TrainingConfig(loss="bce", optimizer="adam", learning_rate=0.05, batch_size=4, seed=0)
    controller.load(
        Network.create([2, 4, 1], "tanh", "sigmoid", seed=0),
        config,
        TrainingData(XOR_X, XOR_Y, "classification"),
    )
    widget.set_config(config, test_fraction=0.2)
    yield widget
    controller.shutdown()


def test_set_config_shows_values_without_sending_edits(panel, qtbot):
    sent = panel.controller.commands_sent
    with qtbot.assertNotEmitted(panel.config_edited):
        panel.set_config(
            TrainingConfig(loss="mse", optimizer="momentum", learning_rate=0.3, batch_size=8, l2=0.01)
        )
    assert panel.controller.commands_sent == sent
    assert panel.learning_rate.value() == pytest.approx(0.3)
    assert panel.batch_size.value() == 8
    assert panel.optimizer.currentText() == "momentum"
    assert panel.regularisation.currentText() == "L2"
    assert panel.regularisation_rate.value() == pytest.approx(0.01)


def test_the_play_button_toggles_training(panel, qtbot):
    """Space, the window's key for it, is tested with the window (test_keyboard)."""
    panel.show()
    with qtbot.waitSignal(panel.controller.running_changed, timeout=20000) as started:
        qtbot.mouseClick(panel.play, Qt.MouseButton.LeftButton)
    assert started.args == [True]
    assert panel.play.text() == "Pause"
    qtbot.waitUntil(lambda: panel.step_label.text() != "step 0", timeout=20000)
    assert panel.rate_label.text().endswith("samples/s")
    with qtbot.waitSignal(panel.controller.running_changed, timeout=20000) as paused:
        qtbot.mouseClick(panel.play, Qt.MouseButton.LeftButton)
    assert paused.args == [False]
    assert panel.play.text() == "Play"


def test_step_buttons_advance_counters(panel, qtbot):
    qtbot.mouseClick(panel.step_batch, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.step_label.text() == "step 1", timeout=20000)
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)  # XOR: one epoch of one batch of 4
    qtbot.waitUntil(lambda: panel.epoch_label.text() == "epoch 2", timeout=20000)


def test_edits_are_announced_and_one_spin_box_drag_is_one_gesture(panel, qtbot):
    """The panel only announces a change (the window makes it an undoable edit); the steps of one spin box
    share a gesture token until Enter or leaving the box ends it; a combo box's choice is its own step."""
    edits = []
    panel.config_edited.connect(lambda changes, gesture: edits.append((changes, gesture)))
    sent = panel.controller.commands_sent
    panel.learning_rate.setValue(0.25)
    panel.learning_rate.setValue(0.3)
    panel.learning_rate.editingFinished.emit()
    panel.learning_rate.setValue(0.35)
    panel.optimizer.setCurrentText("sgd")
    panel.regularisation.setCurrentText("L1")
    assert [changes for changes, _ in edits] == [
        {"learning_rate": 0.25},
        {"learning_rate": 0.3},
        {"learning_rate": 0.35},
        {"optimizer": "sgd"},
        {"l1": 0.0, "l2": 0.0},
    ]
    gestures = [gesture for _, gesture in edits]
    assert gestures[0] is gestures[1] is not None
    assert gestures[2] is not None
    assert gestures[2] is not gestures[0]
    assert gestures[3:] == [None, None]
    assert panel.controller.commands_sent == sent  # nothing reaches the trainer from here


def test_test_fraction_is_announced(panel, qtbot):
    with qtbot.waitSignal(panel.config_edited) as changed:
        panel.test_fraction.setValue(0.3)
    assert changed.args[0] == {"test_fraction": pytest.approx(0.3)}


def test_the_pace_goes_to_the_controller_and_is_remembered(panel, qtbot):
    from PySide6.QtCore import QSettings

    from nnviz.app.panels.pace import SETTINGS_KEY, PaceBox

    assert panel.pace.currentData() is None  # as fast as possible by default
    panel.pace.setCurrentText("1 epoch/s")
    assert panel.controller.pace == 1.0
    assert QSettings().value(SETTINGS_KEY) == "1 epoch/s"
    again = PaceBox(panel.controller)
    qtbot.addWidget(again)
    assert again.currentText() == "1 epoch/s"
    panel.pace.setCurrentText("as fast as possible")
    assert panel.controller.pace is None
