"""Files dropped onto the main window: a project opens (asking about unsaved work first), a CSV opens the
import dialog, an NPZ archive becomes the data; other drags are refused."""

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from nnviz.app.dialogs.csv_import import CsvImportDialog
from nnviz.core.document import save_project
from tests.app.dropping import drop, mime_for


def _drag_enter_accepted(window, *paths):
    mime = mime_for(*paths)
    event = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.ignore()
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def test_drag_enter_accepts_known_files_only(window, tmp_path):
    assert window.acceptDrops()
    assert _drag_enter_accepted(window, tmp_path / "a.nnviz")
    assert _drag_enter_accepted(window, tmp_path / "a.csv")
    assert not _drag_enter_accepted(window, tmp_path / "a.png")
    assert not _drag_enter_accepted(window, tmp_path / "a.csv", tmp_path / "b.csv")


def test_dropped_project_opens(window, tmp_path, classic_project):
    classic_project.network.set_weight(0, 0, 0, 0.123)
    path = tmp_path / "other.nnviz"
    save_project(classic_project, str(path))
    assert drop(window, path)
    assert window.session.path == str(path)
    assert window.session.network.weights[0][0, 0] == 0.123


def test_dropped_project_asks_about_unsaved_work(window, tmp_path, classic_project, monkeypatch):
    path = tmp_path / "other.nnviz"
    save_project(classic_project, str(path))
    window.session.edit_weight(0, 0, 0, 7.0)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel
    )
    drop(window, path)
    assert len(asked) == 1
    assert window.session.path != str(path)
    assert window.session.network.weights[0][0, 0] == 7.0


def test_dropped_csv_opens_the_import_dialog(window, tmp_path, monkeypatch):
    path = tmp_path / "data.csv"
    path.write_text("x1,x2,label\n0,1,0\n1,0,1\n")
    opened = []
    monkeypatch.setattr(CsvImportDialog, "exec", lambda self: opened.append(self.path) or 0)
    assert drop(window, path)
    assert opened == [str(path)]


def test_dropped_npz_becomes_the_data(window, tmp_path):
    path = tmp_path / "blobs.npz"
    x = np.random.default_rng(0).normal(size=(30, 3))
    y = np.arange(30) % 3
    np.savez(path, X=x, y=y)
    assert drop(window, path)
    assert window.session.dataset is not None
    np.testing.assert_allclose(window.session.dataset.x, x)
    assert window.session.network.sizes[0] == 3
    assert window.session.network.sizes[-1] == 3


def test_bad_npz_is_explained(window, tmp_path, monkeypatch):
    path = tmp_path / "bad.npz"
    path.write_bytes(b"not a zip")
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    before = window.session.network.sizes
    drop(window, path)
    assert len(warned) == 1
    assert "bad.npz" in warned[0]
    assert window.session.network.sizes == before


def test_dropped_npz_is_unsaved_and_undoable(window, tmp_path):
    path = tmp_path / "blobs.npz"
    np.savez(path, X=np.random.default_rng(0).normal(size=(10, 4)), y=np.arange(10) % 2)
    assert drop(window, path)
    assert window.isWindowModified()
    assert window.session.network.sizes[0] == 4
    window.undo_action.trigger()
    assert window.session.network.sizes == [2, 2, 2]
    assert window.session.project.dataset["kind"] == "inline"
    assert not window.isWindowModified()
