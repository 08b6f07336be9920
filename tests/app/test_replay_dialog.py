"""File ▸ Export ▸ Training replay…: the dialog writes a GIF off the GUI thread with progress, and Cancel
stops it with nothing written."""

import numpy as np
import pytest

from nnviz.app.files.replay_dialog import ReplayExportDialog
from nnviz.app.session import Session
from nnviz.core.examples import load_example
from nnviz.core.runs import RunRecorder
from nnviz.core.training import EpochStats

Image = pytest.importorskip("PIL.Image")


def project_with_a_run(epochs: int):
    """The XOR example with one run of `epochs` checkpoints, its weights drifting epoch by epoch."""
    project = load_example("xor")
    network = project.network
    recorder = RunRecorder(network)
    for epoch in range(1, epochs + 1):
        for w in network.weights:
            w[...] += 0.05 * np.sin(epoch + np.arange(w.size).reshape(w.shape))
        recorder.add(EpochStats(epoch, epoch, 1.0 / epoch, 0.5, None, None, 1.0, 0.0), network)
    project.runs = [recorder.finish([], network)]
    return project


def test_the_dialog_writes_a_gif_with_one_frame_per_checkpoint(qtbot, tmp_path):
    dialog = ReplayExportDialog(Session(project_with_a_run(4)))
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "replay.gif"))
    dialog.width_box.setValue(200)
    dialog.height_box.setValue(160)
    seen = []
    dialog.export_button.click()
    dialog.worker.progress.connect(lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: not dialog.busy and "Wrote" in dialog.message.text(), timeout=30000)
    with Image.open(tmp_path / "replay.gif") as gif:
        assert gif.n_frames == 4
        assert gif.size == (200, 160)
    assert dialog.progress.value() == dialog.progress.maximum() == 4


def test_cancel_stops_the_export_and_writes_nothing(qtbot, tmp_path):
    dialog = ReplayExportDialog(Session(project_with_a_run(60)))
    qtbot.addWidget(dialog)
    out = tmp_path / "replay.gif"
    dialog.path.setText(str(out))
    dialog.width_box.setValue(160)
    dialog.height_box.setValue(160)
    dialog.export_button.click()
    assert not dialog.export_button.isEnabled()  # one export at a time
    qtbot.waitUntil(lambda: dialog.progress.value() >= 1, timeout=30000)
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.busy  # Cancel waited for the frame under way
    qtbot.waitUntil(lambda: "Cancelled" in dialog.message.text(), timeout=5000)
    assert dialog.progress.value() < 60
    assert not out.exists()
    assert dialog.export_button.isEnabled()  # the user may change something and export again


def test_the_format_sets_the_files_ending(qtbot):
    dialog = ReplayExportDialog(Session(project_with_a_run(2)))
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(1)
    assert dialog.path.text().endswith("replay.mp4")


def test_a_project_without_runs_says_so_and_cannot_export(qtbot):
    dialog = ReplayExportDialog(Session(load_example("xor")))
    qtbot.addWidget(dialog)
    assert not dialog.export_button.isEnabled()
    assert "no training runs" in dialog.message.text()


def test_file_export_offers_the_training_replay(window, monkeypatch):
    opened = []
    monkeypatch.setattr(ReplayExportDialog, "exec", lambda self: opened.append(self.session) or 0)
    menu = window.project_ui.export_menu
    action = next(a for a in menu.actions() if a.text().replace("&", "") == "Training replay…")
    action.trigger()
    assert opened == [window.session]
