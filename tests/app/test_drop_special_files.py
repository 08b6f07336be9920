"""Special files dropped on the window: a FIFO named as a project, CSV, NPZ or IDX file is refused with a
message instead of blocking the window for ever (each reader opens without blocking and checks the file)."""

import os

import pytest
from PySide6.QtWidgets import QMessageBox

from nnviz.app.dialogs.csv_import import CsvImportDialog
from tests.app.dropping import drop

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")


@pytest.mark.parametrize("name", ["p.nnviz", "d.npz", "train-images-idx3-ubyte"])
def test_a_dropped_fifo_is_explained(window, tmp_path, monkeypatch, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    said = []
    for box in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, box, lambda *a, **k: said.append(a[2]))
    before = window.session.network.sizes
    assert drop(window, fifo)
    assert len(said) == 1
    assert "named pipe (FIFO), not a regular file" in said[0]
    assert window.session.network.sizes == before


def test_a_dropped_fifo_csv_opens_the_dialog_with_the_reason(window, tmp_path, monkeypatch):
    fifo = tmp_path / "d.csv"
    os.mkfifo(fifo)
    seen = []
    monkeypatch.setattr(
        CsvImportDialog,
        "exec",
        lambda self: seen.append((self.message.text(), self.import_button.isEnabled())),
    )
    assert drop(window, fifo)
    assert len(seen) == 1
    text, import_enabled = seen[0]
    assert "named pipe (FIFO), not a regular file" in text
    assert not import_enabled
