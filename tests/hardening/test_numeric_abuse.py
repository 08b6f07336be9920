"""Absurd numbers through the real window: a clear message or a bounded working state, no traceback.

pytest-qt fails a test on any exception reaching sys.excepthook, so each case only has to drive the
widgets and check the state the user is left in.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from nnviz.app.dialogs.csv_import import CsvImportDialog
from nnviz.app.main_window import MainWindow
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.datasets.base import Dataset
from nnviz.core.document import Project, save_project
from nnviz.core.examples import load_example
from nnviz.core.network import Network
from nnviz.core.training import TrainingConfig


@pytest.fixture
def open_window(qtbot):
    windows = []

    def open_(project):
        session = Session(project)
        win = MainWindow(session)
        win.show()
        qtbot.waitExposed(win)
        windows.append(win)
        return win, session

    yield open_
    for win in windows:
        win.session.undo_stack.setClean()
        win.close()
        win.deleteLater()


def test_weight_1e308_typed_into_the_layer_table_keeps_the_window_working(qtbot, qtlog, open_window):
    win, session = open_window(load_example("classic"))
    session.set_selection(Selection("layer", 1, None, None))
    qtbot.wait(50)
    win.inspector.table.item(0, 0).setText("1e308")
    qtbot.wait(50)
    assert session.network.weights[0][0, 0] == 1e308
    # regression: refilling the table re-inserted its own items and Qt warned once per cell
    assert not [r for r in qtlog.records if "cannot insert an item" in r.message]
    win.inspector.table.item(0, 1).setText("1e999")  # overflows to inf: refused with a message
    qtbot.wait(50)
    assert "not a finite number" in win.inspector.error.text()
    session.undo_stack.undo()
    assert session.network.weights[0][0, 0] != 1e308


def test_weight_spin_box_takes_a_huge_value_as_the_table_does_and_shows_it(qtbot, open_window):
    """It clamped to ±1e6 and so showed a weight of 1e308 (typed in the table) as 1000000: now any finite
    value is taken and shown as what it is; inf, NaN and 1_000 are not numbers it accepts."""
    from PySide6.QtGui import QValidator

    win, session = open_window(load_example("classic"))
    session.set_selection(Selection("edge", 0, 0, 0))
    spin = win.inspector.weight_editor.spin
    spin.setValue(1e308)
    qtbot.wait(50)
    assert session.network.weights[0][0, 0] == 1e308
    assert spin.text() == "1e+308"
    for text in ("1e999", "inf", "nan", "1_000"):
        assert spin.validate(text, len(text))[0] != QValidator.State.Acceptable, text


def test_a_layer_of_10000_neurons_opens(qtbot, open_window):
    project = Project(Network.create([2, 10_000, 1], seed=0), None, None, None, None)
    win, session = open_window(project)
    qtbot.wait(100)
    assert np.isfinite(session.network.forward(np.zeros((1, 2)))).all()
    assert win.isVisible()


def test_learning_rate_1e6_is_clamped_by_the_training_panel(qtbot, open_window):
    win, _ = open_window(load_example("xor"))
    box = win.training.panel.learning_rate
    box.setValue(1e6)
    qtbot.wait(20)
    assert box.value() == box.maximum() < 1e6  # clamped to the box's limit, which its tooltip names
    assert f"{box.maximum():g}" in box.toolTip()


# -- tiny and degenerate data sets, loaded as a user would, then trained ---------------------------------
def _panel(win: MainWindow):
    return win.training.panel  # the Training dock's panel: buttons, settings, counters


def _drop_csv_and_import(qtbot, win: MainWindow, path) -> None:
    """Drop a CSV file on the window; a timer clicks Import in the dialog that opens, as a user would."""

    def click_import() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, CsvImportDialog) and dialog.import_button.isEnabled():
            dialog.import_button.click()

    clicker = QTimer()
    clicker.timeout.connect(click_import)
    clicker.start(20)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0)
    )
    try:
        # Qt hands a drop only to the widget its drag manager saw accept the drag: give it to the window's
        # drop filter as Qt would
        assert win.project_ui.drops.eventFilter(win, drop)
    finally:
        clicker.stop()


class _Snapshots:
    """The newest snapshot the training controller reported."""

    def __init__(self, win: MainWindow) -> None:
        self.last = None
        win.training.controller.snapshot_ready.connect(self._on_snapshot)

    def _on_snapshot(self, snap) -> None:
        self.last = snap

    @property
    def step(self) -> int:
        return 0 if self.last is None else self.last.step


def _train_a_little(qtbot, win: MainWindow, snapshots: _Snapshots) -> None:
    """Step a batch, step an epoch, play until steps pass, pause — with the panel's buttons; each must
    either train or leave a message in the panel (never a traceback, never a frozen window)."""
    panel = _panel(win)
    controller = win.training.controller
    panel.step_batch.click()
    qtbot.waitUntil(lambda: snapshots.step >= 1 or bool(panel.message.text()), timeout=20_000)
    panel.step_epoch.click()
    qtbot.waitUntil(lambda: snapshots.step >= 2 or bool(panel.message.text()), timeout=20_000)
    before = snapshots.step
    panel.play.click()
    qtbot.waitUntil(lambda: snapshots.step >= before + 5 or bool(panel.message.text()), timeout=20_000)
    if controller.running:
        panel.play.click()
    qtbot.waitUntil(lambda: not controller.running, timeout=20_000)


def _assert_trained(win: MainWindow, snapshots: _Snapshots) -> None:
    """Steps were taken, no message is left, and the parameters the window shows are finite."""
    assert snapshots.step >= 2
    assert not _panel(win).message.text()
    net = win.session.network
    assert all(np.isfinite(a).all() for a in net.weights + net.biases)


def test_a_1x1_csv_with_one_class_dropped_on_the_window_trains(qtbot, open_window, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("x,label\n0.5,yes\n")
    win, session = open_window(load_example("xor"))
    snapshots = _Snapshots(win)
    _drop_csv_and_import(qtbot, win, path)
    assert session.dataset.x.shape == (1, 1)
    assert session.network.sizes[0] == session.network.sizes[-1] == 1
    # regression: one feature made the decision map index a second column in every reload (IndexError)
    decision_dock = win.training.docks[2]
    decision_dock.show()  # the saved dock layout may have hidden it
    decision_dock.raise_()
    qtbot.waitUntil(lambda: "2 inputs" in decision_dock.widget().note.text())
    _train_a_little(qtbot, win, snapshots)
    _assert_trained(win, snapshots)


def test_a_1x1_regression_csv_dropped_on_the_window_trains(qtbot, open_window, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("x,y\n0.5,3.0\n")
    win, session = open_window(load_example("xor"))  # its project trains with bce; the import must not
    snapshots = _Snapshots(win)
    _drop_csv_and_import(qtbot, win, path)
    assert (session.dataset.task, session.dataset.x.shape) == ("regression", (1, 1))
    _panel(win).learning_rate.setValue(0.05)  # xor's 0.5 diverges on this one sample: see the next test
    _train_a_little(qtbot, win, snapshots)
    _assert_trained(win, snapshots)


def test_a_diverging_run_on_one_sample_pauses_with_a_message(qtbot, open_window, tmp_path):
    project = load_example("xor")
    data = {"kind": "inline", "task": "regression", "x": [[0.5]], "y": [[3.0]]}
    training = TrainingConfig(loss="mse", learning_rate=10.0, batch_size=1)
    network = Network.create([1, 3, 1], "tanh", "identity", seed=0)
    path = tmp_path / "diverges.nnviz"
    save_project(Project(network, training, data, None, None), path)
    win, session = open_window(project)
    assert win.load(str(path))
    panel = _panel(win)
    panel.play.click()
    qtbot.waitUntil(lambda: "learning rate" in panel.message.text(), timeout=20_000)
    net = session.network
    assert all(np.isfinite(a).all() for a in net.weights + net.biases)  # the last finite parameters


def test_a_loss_that_does_not_fit_the_data_is_explained_and_a_fitting_one_then_trains(
    qtbot, open_window, tmp_path
):
    project = load_example("xor")  # training: bce
    data = {"kind": "inline", "task": "regression", "x": [[0.5]], "y": [[3.0]]}
    path = tmp_path / "regression.nnviz"
    network = Network.create([1, 3, 1], "tanh", "identity", seed=0)
    save_project(Project(network, project.training, data, None, None), path)
    win, _ = open_window(project)
    snapshots = _Snapshots(win)
    assert win.load(str(path))
    panel = _panel(win)
    panel.step_batch.click()
    qtbot.waitUntil(lambda: "bce" in panel.message.text(), timeout=20_000)
    panel.loss.setCurrentText("mse")  # what the message asks the user to do
    # At the example's rate (sgd 0.5, momentum 0.9) this one-sample fit diverges after ~330 steps, so how
    # far Play gets before the pause would decide the outcome; at 0.05 it converges.
    panel.learning_rate.setValue(0.05)
    _train_a_little(qtbot, win, snapshots)
    _assert_trained(win, snapshots)


@pytest.mark.parametrize(
    ("x", "y"),
    [([[0.5]], [0]), ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 0, 0, 0])],
    ids=["1x1", "one-class"],
)
def test_a_project_with_inline_data_of_one_class_opens_and_trains(qtbot, open_window, tmp_path, x, y):
    project = load_example("xor")
    n_in = len(x[0])
    data = {"kind": "inline", "task": "classification", "x": x, "y": y, "class_names": ["only"]}
    network = Network.create([n_in, 3, 1], "tanh", "sigmoid", seed=0)
    path = tmp_path / "tiny.nnviz"
    save_project(Project(network, project.training, data, None, None), path)
    win, session = open_window(load_example("xor"))
    snapshots = _Snapshots(win)
    assert win.load(str(path))  # File ▸ Open, past the file dialog
    assert len(session.dataset) == len(x)
    _train_a_little(qtbot, win, snapshots)
    _assert_trained(win, snapshots)


def test_a_batch_larger_than_the_data_trains_one_step_per_epoch(qtbot, open_window):
    win, session = open_window(load_example("xor"))  # 4 samples
    snapshots = _Snapshots(win)
    panel = _panel(win)
    panel.batch_size.setValue(panel.batch_size.maximum())
    assert panel.batch_size.value() > len(session.dataset)
    _train_a_little(qtbot, win, snapshots)
    _assert_trained(win, snapshots)
    assert snapshots.last.step == snapshots.last.epoch  # every epoch is one (whole-data) minibatch


def test_a_test_fraction_that_would_take_every_row_leaves_one_to_train_on(qtbot, open_window, tmp_path):
    project = load_example("xor")
    data = {"kind": "inline", "task": "classification", "x": [[0.0], [1.0], [2.0]], "y": [0, 1, 0]}
    path = tmp_path / "three.nnviz"
    save_project(Project(Network.create([1, 3, 1], seed=0), project.training, data, None, None), path)
    win, _ = open_window(project)
    snapshots = _Snapshots(win)
    assert win.load(str(path))
    panel = _panel(win)
    panel.test_fraction.setValue(panel.test_fraction.maximum())  # 0.9 of 3 rows rounds to all 3
    qtbot.wait(50)
    # regression: the split left 0 training rows and the training thread raised TrainingError on Play
    assert len(win.training.data.x) >= 1
    _train_a_little(qtbot, win, snapshots)
    _assert_trained(win, snapshots)


@pytest.mark.parametrize(("n", "fraction"), [(2, 0.9), (3, 0.9), (10, 0.99), (1, 0.5), (0, 0.5)])
def test_a_split_below_a_fraction_of_1_keeps_a_training_row(n, fraction):
    data = Dataset(np.zeros((n, 1)), np.zeros(n, dtype=np.int64), "classification", class_names=["a"])
    train, test = data.split(fraction, seed=0)
    assert len(train) >= min(n, 1)
    assert len(train) + len(test) == n


def test_a_project_whose_inline_labels_outrun_its_class_names_opens_without_its_data(
    qtbot, open_window, tmp_path
):
    """regression: labels 1 with class_names ["only"] reached the data panel, which indexed past the names."""
    project = load_example("xor")
    data = {"kind": "inline", "task": "classification", "x": [[0.0, 1.0]], "y": [1], "class_names": ["only"]}
    path = tmp_path / "bad.nnviz"
    save_project(Project(project.network, project.training, data, None, None), path)
    win, session = open_window(project)
    assert win.load(str(path))
    assert session.dataset is None
    assert "class 1 has no name" in session.data_note


def test_play_after_the_output_layer_no_longer_fits_the_targets_says_why(qtbot, open_window):
    from nnviz.app.edits.architecture import remove_neuron

    win, session = open_window(load_example("classic"))  # 2-2-2, one sample with two targets
    remove_neuron(session, 2, 1)  # the Architecture dock's "remove neuron" on the output layer
    assert session.network.sizes[-1] == 1
    panel = _panel(win)
    panel.play.click()
    qtbot.waitUntil(lambda: bool(panel.message.text()), timeout=10_000)  # the process is up in ~1 s
    assert "output" in panel.message.text()
