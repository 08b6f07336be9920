"""Files from strangers: no code runs, no file the user did not choose is read, no huge file is slurped.

The rule for data paths (documented in docs/reliability.md): on opening a project the window reads a
`file` data reference only when it resolves (after `..` and symbolic links) inside the project's own
folder; anything else is not read, and the session says why. The command line is different: there the
user names the project explicitly and `nnviz train` follows its reference like a shell script would.
"""

from __future__ import annotations

import io
import os

import numpy as np
import pytest

from nnviz.app.session import Session
from nnviz.core.datasets import DatasetError
from nnviz.core.datasets.files import load_npz
from nnviz.core.document import MAX_FILE_BYTES, DocumentError, load_project, save_project
from nnviz.core.examples import load_example


def _project_naming(tmp_path, data_path: str):
    project = load_example("xor")
    project.dataset = {"kind": "file", "path": data_path, "targets": ["label"]}
    path = tmp_path / "proj" / "p.nnviz"
    path.parent.mkdir()
    save_project(project, path)
    return path


def _secret(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a,label\n1,x\n2,y\n")
    return secret


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_a_project_cannot_make_the_window_read_data_outside_its_folder(qtbot, tmp_path, how):
    secret = _secret(tmp_path)
    if how == "absolute":
        path = _project_naming(tmp_path, str(secret))
    elif how == "dotdot":
        path = _project_naming(tmp_path, "../secret.csv")
    else:
        path = _project_naming(tmp_path, "link.csv")
        os.symlink(secret, path.parent / "link.csv")
    session = Session(load_project(path), str(path))
    assert session.dataset is None
    assert "outside its folder" in session.data_note


def test_data_inside_the_project_folder_is_still_read(qtbot, tmp_path):
    path = _project_naming(tmp_path, "data/d.csv")
    (path.parent / "data").mkdir()
    (path.parent / "data" / "d.csv").write_text("a,b,label\n1,2,x\n2,3,y\n")
    session = Session(load_project(path), str(path))
    assert session.data_note == ""
    assert len(session.dataset.x) == 2


def test_a_pickled_npz_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    buffer = io.BytesIO()
    np.savez(buffer, X=np.array([Payload()], dtype=object), y=np.array([0]))
    (tmp_path / "evil.npz").write_bytes(buffer.getvalue())
    with pytest.raises(DatasetError, match=r"evil\.npz"):
        load_npz(tmp_path / "evil.npz")
    assert not marker.exists()


def test_an_oversized_project_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.nnviz"
    with huge.open("wb") as f:  # sparse: costs no disk, and reading it would cost 200 MB of memory
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(DocumentError, match="refusing to read"):
        load_project(huge)


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"\x89PNG\r\n\x1a\n\xb6\xff\x00", "not UTF-8"), (b"caf\xe9,label\n1,x\n", "not UTF-8"), (b"", "empty")],
    ids=["binary", "latin-1", "empty"],
)
def test_importing_a_file_that_is_no_csv_explains_it_in_the_dialog(
    qtbot, tmp_path, monkeypatch, content, said
):
    """regression (found by the monkey): File ▸ Import CSV on a binary file raised UnicodeDecodeError."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QFileDialog

    from nnviz.app.dialogs.csv_import import CsvImportDialog
    from nnviz.app.main_window import MainWindow

    path = tmp_path / "data.csv"
    path.write_bytes(content)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    shown = []

    def cancel_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, CsvImportDialog):
            shown.append((dialog.message.text(), dialog.import_button.isEnabled()))
            dialog.reject()

    answerer = QTimer()
    answerer.timeout.connect(cancel_the_dialog)
    answerer.start(20)
    session = Session(load_example("xor"))
    window = MainWindow(session)
    qtbot.addWidget(window)
    try:
        window.project_ui.import_csv_action.trigger()
    finally:
        answerer.stop()
        window.close()
    assert len(shown) == 1
    message, import_enabled = shown[0]
    assert said in message
    assert not import_enabled
    assert session.network.sizes == [2, 4, 1]  # the document is untouched
