"""The training panel drives a real TrainingController: buttons, Space, hyper-parameters, counters."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.panels.training_panel import TrainingPanel
from nnviz.app.training_worker import TrainingController, TrainingData
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


def test_play_button_and_space_toggle_training(panel, qtbot):
    panel.show()
    with qtbot.waitSignal(panel.controller.running_changed, timeout=20000) as started:
        qtbot.mouseClick(panel.play, Qt.MouseButton.LeftButton)
    assert started.args == [True]
    assert panel.play.text() == "Pause"
    qtbot.waitUntil(lambda: panel.step_label.text() != "step 0", timeout=20000)
    assert panel.rate_label.text().endswith("samples/s")
    with qtbot.waitSignal(panel.controller.running_changed, timeout=20000) as paused:
        panel.play_shortcut.activated.emit()  # what pressing Space in the window does
    assert paused.args == [False]
    assert panel.play.text() == "Play"


def test_step_buttons_advance_counters(panel, qtbot):
    qtbot.mouseClick(panel.step_batch, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.step_label.text() == "step 1", timeout=20000)
    qtbot.mouseClick(panel.step_epoch, Qt.MouseButton.LeftButton)  # XOR: one epoch of one batch of 4
    qtbot.waitUntil(lambda: panel.epoch_label.text() == "epoch 2", timeout=20000)
    qtbot.mouseClick(panel.reset, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.epoch_label.text() == "epoch 0", timeout=20000)


def test_hyper_parameter_edits_reach_the_worker_and_are_reported(panel, qtbot):
    with qtbot.waitSignal(panel.config_edited) as edited:
        panel.learning_rate.setValue(0.25)
    assert edited.args == [{"learning_rate": 0.25}]
    with qtbot.waitSignal(panel.config_edited) as edited:
        panel.regularisation.setCurrentText("L1")
    panel.regularisation_rate.setValue(0.001)
    qtbot.mouseClick(panel.step_batch, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(panel.snapshots) and panel.snapshots[-1].step == 1, timeout=20000)
    config = panel.snapshots[-1].config
    assert config.learning_rate == 0.25
    assert config.l1 == 0.001
    assert config.l2 == 0.0


def test_an_unusable_loss_is_explained_and_training_stays_paused(panel, qtbot):
    with qtbot.waitSignal(panel.controller.failed, timeout=20000):
        panel.loss.setCurrentText("cross_entropy")  # needs softmax; the network has one sigmoid output
    assert "softmax" in panel.message.text()
    assert not panel.controller.running


def test_test_fraction_is_announced(panel, qtbot):
    with qtbot.waitSignal(panel.test_fraction_changed) as changed:
        panel.test_fraction.setValue(0.3)
    assert changed.args == [pytest.approx(0.3)]
