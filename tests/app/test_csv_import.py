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


def test_the_preview_shows_a_malformed_row_and_names_its_file_line(qtbot, tmp_path):
    """A short row on line 5 (after a blank line 3) is shown, highlighted, and named as line 5."""
    path = tmp_path / "short.csv"
    path.write_text("x1,x2,label\n0.1,0.2,a\n\n0.3,0.4,b\n0.5,c\n0.6,0.7,a\n")
    dialog = CsvImportDialog(str(path))
    qtbot.addWidget(dialog)
    labels = [dialog.table.verticalHeaderItem(r).text() for r in range(1, dialog.table.rowCount())]
    assert labels == ["line 2", "line 4", "line 5", "line 6"]
    assert [dialog.table.item(3, c).text() for c in range(2)] == ["0.5", "c"]
    assert "line 5: 2 cells, expected 3" in dialog.message.text()
    shade = [dialog.table.item(r, 0).background().color().name() for r in (2, 3)]
    assert shade[0] != shade[1]
    dialog.role_boxes[1].setCurrentText("ignore")  # roles change what will load: the message follows
    assert "line 5" in dialog.message.text()


def test_text_in_a_feature_column_is_named_with_its_line_before_import(qtbot, tmp_path):
    path = tmp_path / "text.csv"
    path.write_text("a,b\n1,2\n3,4\nx,5\n")
    dialog = CsvImportDialog(str(path))
    qtbot.addWidget(dialog)
    assert "line 4: column 'a': not a number: 'x'" in dialog.message.text()
    dialog.role_boxes[0].setCurrentText("ignore")
    assert dialog.message.text() == ""
