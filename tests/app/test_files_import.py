"""File ▸ Import CSV data: the dialog's result becomes a new project whose network fits the data."""

import numpy as np
from PySide6.QtCore import QTimer

from nnviz.app.dialogs.csv_import import CsvImportDialog
from nnviz.core.document import load_project


def test_imported_csv_becomes_the_project_and_survives_save(qtbot, window, session, tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "flowers.csv"
    rows = ["x1,x2,x3,id,kind"] + [
        f"{a:.3f},{b:.3f},{c:.3f},{i},{'abc'[i % 3]}" for i, (a, b, c) in enumerate(rng.normal(size=(30, 3)))
    ]
    path.write_text("\n".join(rows) + "\n")
    dialog = CsvImportDialog(str(path), window)
    dialog.role_boxes[3].setCurrentText("ignore")
    QTimer.singleShot(0, dialog.start_import)  # exec() runs the event loop that the threaded load needs
    assert window.project_ui.import_csv(dialog)
    assert session.network.sizes[0] == 3
    assert session.network.sizes[-1] == 3
    assert session.network.output_activation.name == "softmax"
    assert session.dataset is not None, session.data_note
    assert session.dataset.class_names == ["a", "b", "c"]
    saved = tmp_path / "p.nnviz"
    assert window._write(str(saved))
    assert window.load(str(saved))
    assert session.dataset.n_features == 3  # the ignored column stays ignored after reopening
    assert load_project(saved).scaler.method == "standard"


def test_an_import_is_unsaved_work_that_undo_takes_back(qtbot, window, session, tmp_path):
    path = tmp_path / "line.csv"
    path.write_text("a,b,c,y\n" + "".join(f"{i},{i % 3},{-i},{2 * i}\n" for i in range(12)))
    saved = tmp_path / "before.nnviz"
    assert window._write(str(saved))
    dialog = CsvImportDialog(str(path), window)
    QTimer.singleShot(0, dialog.start_import)
    assert window.project_ui.import_csv(dialog)
    assert session.path == str(saved)  # the data of this project changed; it is still this file
    assert window.isWindowModified()
    assert session.network.sizes[0] == 3
    assert session.network.output_activation.name == "identity"
    assert session.loss_name == "mse"
    window.undo_action.trigger()
    assert session.network.sizes == [2, 2, 2]
    assert session.project.dataset["kind"] == "inline"
    assert not window.isWindowModified()


def test_numeric_class_column_is_read_as_the_softmax_networks_classes(qtbot, window, session, tmp_path):
    """The dialog detects what `nnviz train` does: 0/1/2 labels are a 3-output softmax network's classes."""
    from nnviz.core.document import Project
    from nnviz.core.network import Network

    session.set_project(Project(Network.create([2, 4, 3], "tanh", "softmax", seed=0)))
    path = tmp_path / "three.csv"
    path.write_text("a,b,label\n" + "".join(f"{i / 7:.3f},{i % 5},{i % 3}\n" for i in range(30)))
    dialog = window.project_ui.csv_dialog(str(path))
    assert dialog.detected_task() == "classification"
    assert dialog.task_label.text() == "classification, class indices 0..2 (2 features)"
    QTimer.singleShot(0, dialog.start_import)
    assert window.project_ui.import_csv(dialog)
    assert session.dataset.task == "classification"
    assert session.dataset.class_names == ["0", "1", "2"]
    assert session.network.sizes == [2, 4, 3]
    assert session.network.output_activation.name == "softmax"
    saved = tmp_path / "p.nnviz"
    assert window._write(str(saved))
    assert window.load(str(saved))
    assert session.dataset.task == "classification"  # the reference reads the labels as classes again
    np.testing.assert_array_equal(session.dataset.y[:4], [0, 1, 2, 0])
    session.set_project(Project(Network.create([2, 4, 1], "tanh", "sigmoid", seed=0)))
    assert window.project_ui.csv_dialog(str(path)).detected_task() == "regression"
