"""Training settings and re-initialising the weights are edits of the project: undoable, modifying, saved,
recovered, sent to the trainer."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QToolBar

from nnviz.app import main as app_main
from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.core.document import load_project
from nnviz.core.examples import load_example


def test_a_learning_rate_change_is_undone_by_ctrl_z_saved_reopened_and_recovered(
    qtbot, xor_window, tmp_path, monkeypatch
):
    window, session = xor_window, xor_window.session
    box = window.training.panel.learning_rate
    before = box.value()
    box.setValue(0.0125)
    assert session.project.training.learning_rate == 0.0125
    assert window.isWindowModified()
    assert window.windowTitle().startswith("untitled[*]")
    window.activateWindow()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.value() == before
    assert session.project.training.learning_rate == before
    assert not window.isWindowModified()
    qtbot.keyClick(
        window.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert box.value() == 0.0125

    saved = tmp_path / "xor.nnviz"
    assert window._write(str(saved))
    assert load_project(saved).training.learning_rate == 0.0125
    box.setValue(0.5)
    assert window.load(str(saved))  # reopened: the saved value, not the one after it
    assert box.value() == 0.0125

    box.setValue(0.0625)
    window.autosaver.save_now()
    window.autosaver.timer.stop()  # as if the process died here
    window.autosaver.lock.unlock()
    next_window = MainWindow(Session(load_example("classic")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Open)
    app_main.offer_recovery(next_window)
    assert next_window.training.panel.learning_rate.value() == 0.0625
    assert next_window.session.project.training.learning_rate == 0.0625
    assert next_window.isWindowModified()
    next_window.session.undo_stack.setClean()
    next_window.close()
    next_window.deleteLater()


def test_the_steps_of_one_spin_box_are_one_undo_step(qtbot, xor_window):
    window, session = xor_window, xor_window.session
    box = window.training.panel.batch_size
    before = box.value()
    box.setFocus()
    for _ in range(3):
        qtbot.keyClick(box, Qt.Key.Key_Up)  # what holding the arrow (or turning the wheel) does
    assert box.value() == before + 3
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == f"set batch size to {before + 3}"
    box.editingFinished.emit()  # Enter, or the focus moves on: the next change is a step of its own
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert box.value() == before
    assert not window.isWindowModified()


def test_every_setting_and_the_split_are_edits_that_reach_the_trainer(qtbot, xor_window):
    window, session = xor_window, xor_window.session
    panel, controller = window.training.panel, window.training.controller
    panel.optimizer.setCurrentText("momentum")
    panel.regularisation.setCurrentText("L2")
    panel.regularisation_rate.setValue(0.01)
    panel.loss.setCurrentText("mse")
    panel.test_fraction.setValue(0.25)
    assert session.undo_stack.count() == 4  # choosing L2 at rate 0 changes nothing yet
    assert session.project.dataset["test_fraction"] == 0.25
    training = session.project.training
    assert (training.optimizer, training.l2, training.loss) == ("momentum", 0.01, "mse")
    snapshots = []
    controller.snapshot_ready.connect(snapshots.append)
    session.undo_stack.undo()  # the split
    assert "test_fraction" not in session.project.dataset
    session.undo_stack.undo()  # the loss
    controller.step_batch()
    sent = controller.commands_sent
    qtbot.waitUntil(lambda: bool(snapshots) and snapshots[-1].commands_applied >= sent, timeout=20000)
    config = snapshots[-1].config
    assert (config.optimizer, config.l2, config.loss) == ("momentum", 0.01, "bce")


def test_an_unusable_loss_is_explained_and_training_stays_paused(qtbot, xor_window):
    panel, controller = xor_window.training.panel, xor_window.training.controller
    with qtbot.waitSignal(controller.failed, timeout=20000):
        panel.loss.setCurrentText("cross_entropy")  # needs softmax; the network has one sigmoid output
        controller.step_batch()
    assert "softmax" in panel.message.text()
    assert not controller.running


def test_re_initialise_is_one_undoable_edit_set_apart_from_the_step_controls(qtbot, xor_window):
    window, session = xor_window, xor_window.session
    training = window.training
    panel, action = training.panel, training.reinitialise_action
    assert action.text() == panel.reinitialise.text() == "Re-initialise weights"
    steps = [panel.step_buttons.itemAt(i).widget() for i in range(panel.step_buttons.count())]
    assert panel.reinitialise not in steps
    toolbar = window.findChild(QToolBar, "training_toolbar")
    assert all("initialise" not in a.text() and a.text() != "Reset" for a in toolbar.actions())
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert action in edit_menu.actions()
    training_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Training")
    before = training_menu.actions()[training_menu.actions().index(action) - 1]
    assert before.isSeparator()

    controller = training.controller
    snapshots = []
    controller.snapshot_ready.connect(snapshots.append)
    controller.step_epoch()
    qtbot.waitUntil(lambda: bool(snapshots) and snapshots[-1].epoch == 1, timeout=20000)
    session.undo_stack.setClean()
    trained = [w.copy() for w in session.network.weights + session.network.biases]
    qtbot.mouseClick(panel.reinitialise, Qt.MouseButton.LeftButton)
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == "re-initialise weights"
    assert window.isWindowModified()
    assert not np.array_equal(session.network.weights[0], trained[0])
    sent = controller.commands_sent
    qtbot.waitUntil(lambda: snapshots[-1].commands_applied >= sent, timeout=20000)
    assert snapshots[-1].epoch == 0  # training starts afresh on the new weights
    assert panel.epoch_label.text() == "epoch 0"
    window.undo_action.trigger()
    for ours, before in zip(session.network.weights + session.network.biases, trained, strict=True):
        np.testing.assert_array_equal(ours, before)
    assert not window.isWindowModified()
