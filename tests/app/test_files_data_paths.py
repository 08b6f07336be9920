"""Saving keeps a project's data readable wherever the project is opened from: data inside the project's
folder is named relative to it, small data from elsewhere is embedded, large data is copied next to it."""

from PySide6.QtCore import QTimer

from nnviz.app.dialogs.csv_import import CsvImportDialog
from nnviz.core import dataset_ref
from nnviz.core.document import load_project


def _csv(path, rows=40):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("u,v,kind\n" + "".join(f"{i / 7:.4f},{(i * 3) % 5},{'ab'[i % 2]}\n" for i in range(rows)))
    return path


def _import(window, path):
    dialog = CsvImportDialog(str(path), window)
    QTimer.singleShot(0, dialog.start_import)
    assert window.project_ui.import_csv(dialog)
    return window.session.dataset


def _reopen_elsewhere(window, project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert window.load(str(project))
    assert window.session.data_note == ""
    return window.session.dataset


def _setup(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "project").mkdir()
    return tmp_path / "project" / "p.nnviz"


def test_data_in_the_project_folder_is_saved_as_a_relative_path(window, tmp_path, monkeypatch):
    project = _setup(tmp_path)
    data = _import(window, _csv(tmp_path / "project" / "data" / "points.csv"))
    assert window._write(str(project))
    assert load_project(project).dataset["path"] == "data/points.csv"
    again = _reopen_elsewhere(window, project, tmp_path, monkeypatch)
    assert again is not None
    assert (again.x == data.x).all()


def test_small_data_from_elsewhere_is_embedded(window, tmp_path, monkeypatch):
    project = _setup(tmp_path)
    data = _import(window, _csv(tmp_path / "downloads" / "points.csv"))
    assert window._write(str(project))
    assert "stored in the project" in window.statusBar().currentMessage()
    saved = load_project(project).dataset
    assert saved["kind"] == "inline"
    assert saved["source"] == "points.csv"
    (tmp_path / "downloads" / "points.csv").unlink()  # the project no longer needs it
    again = _reopen_elsewhere(window, project, tmp_path, monkeypatch)
    assert again is not None
    assert (again.x == data.x).all()
    assert again.class_names == ["a", "b"]


def test_large_data_from_elsewhere_is_copied_next_to_the_project(window, tmp_path, monkeypatch):
    monkeypatch.setattr(dataset_ref, "EMBED_LIMIT", 50)
    project = _setup(tmp_path)
    data = _import(window, _csv(tmp_path / "downloads" / "points.csv"))
    assert window._write(str(project))
    assert "copied" in window.statusBar().currentMessage()
    assert load_project(project).dataset["path"] == "points.csv"
    assert (tmp_path / "project" / "points.csv").exists()
    again = _reopen_elsewhere(window, project, tmp_path, monkeypatch)
    assert again is not None
    assert (again.x == data.x).all()
