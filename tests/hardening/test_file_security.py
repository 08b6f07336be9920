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
