"""The CSV import dialog: preview, column roles, detected task, threaded load, cancel, then training."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.dialogs.csv_import import CsvImportDialog
from nnviz.core import architecture
from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingConfig, evaluate


@pytest.fixture
def csv_file(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2)) * [1.0, 100.0]
    label = np.where(x[:, 0] + x[:, 1] / 100 > 0, "yes", "no")
    path = tmp_path / "points.csv"
    lines = ["a,b,row_id,label"] + [
        f"{p[0]},{p[1]},{i},{lab}" for i, (p, lab) in enumerate(zip(x, label, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def _import(qtbot, dialog):
    with qtbot.waitSignal(dialog.load_finished, timeout=10000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def test_preview_roles_and_detected_task(qtbot, csv_file):
    dialog = CsvImportDialog(str(csv_file))
    qtbot.addWidget(dialog)
    assert dialog.header == ["a", "b", "row_id", "label"]
    assert dialog.table.item(1, 3).text() in ("yes", "no")
    assert dialog.task_label.text().startswith("classification (3 features)")
    dialog.role_boxes[3].setCurrentText("ignore")
    assert not dialog.import_button.isEnabled()
    dialog.role_boxes[1].setCurrentText("target")
    assert dialog.detected_task() == "regression"


def test_import_through_the_dialog_then_train(qtbot, csv_file):
    dialog = CsvImportDialog(str(csv_file))
    qtbot.addWidget(dialog)
    dialog.role_boxes[2].setCurrentText("ignore")
    dialog.scaling.setCurrentText("standard")
    _import(qtbot, dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    data = dialog.dataset
    assert data.x.shape == (400, 2)
    assert data.class_names == ["no", "yes"]
    x = dialog.scaler.transform(data.x)
    np.testing.assert_allclose(x.std(axis=0), 1.0)
    net = architecture.fit_to_dataset(Network.create([1, 4, 1], "tanh", "sigmoid", seed=0), 2, 1)
    config = TrainingConfig(loss="bce", learning_rate=0.5, batch_size=16, seed=0)
    before = evaluate(net, x, data.y, config.loss, "classification")[0]
    Trainer(net, config, task="classification").fit(x, data.y, epochs=5)
    loss, accuracy = evaluate(net, x, data.y, config.loss, "classification")
    assert loss < before
    assert accuracy > 0.9


def test_a_bad_file_is_explained_and_the_dialog_stays_open(qtbot, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\nx,3\n")
    dialog = CsvImportDialog(str(path))
    qtbot.addWidget(dialog)
    assert dialog.detected_task() == "regression"
    _import(qtbot, dialog)
    assert dialog.dataset is None
    assert "line 3, column 'a': not a number" in dialog.message.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.import_button.isEnabled()
