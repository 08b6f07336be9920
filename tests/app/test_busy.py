"""Opening and saving a project show a wait cursor and say so while the GUI thread reads or writes."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from nnviz.app import main_window
from nnviz.core.document import save_project
from nnviz.core.examples import load_example


def _watching(window, monkeypatch, name, module=main_window):
    """Replace `module.name` by a wrapper that records the cursor and status message while it runs."""
    seen = []
    real = getattr(module, name)

    def watched(*args, **kwargs):
        cursor = QApplication.overrideCursor()
        seen.append((cursor.shape() if cursor else None, window.statusBar().currentMessage()))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return seen


def test_opening_a_project_shows_a_wait_cursor_and_its_name_until_it_is_read(window, tmp_path, monkeypatch):
    path = tmp_path / "xor.nnviz"
    save_project(load_example("xor"), path)
    seen = _watching(window, monkeypatch, "load_project")
    assert window.load(str(path))
    assert seen == [(Qt.CursorShape.WaitCursor, "Opening xor.nnviz…")]
    assert QApplication.overrideCursor() is None
    assert window.statusBar().currentMessage() != "Opening xor.nnviz…"


def test_a_file_that_cannot_be_opened_gives_the_cursor_back_before_its_dialog(window, tmp_path, monkeypatch):
    cursors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: cursors.append(QApplication.overrideCursor()))
    assert not window.load(str(tmp_path / "missing.nnviz"))
    assert cursors == [None]
    assert QApplication.overrideCursor() is None


def test_saving_shows_a_wait_cursor_and_then_says_it_saved(window, tmp_path, monkeypatch):
    seen = _watching(window, monkeypatch, "write", window.project_ui)
    path = tmp_path / "saved.nnviz"
    window.session.edit_bias(0, 0, 1.5)
    assert window._write(str(path))
    assert seen == [(Qt.CursorShape.WaitCursor, "Saving saved.nnviz…")]
    assert QApplication.overrideCursor() is None
    assert window.statusBar().currentMessage() == f"saved {path}"
