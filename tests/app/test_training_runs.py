"""Training in the window records a run in the project: its epochs, its checkpoints (the parameters at
log-spaced epochs, and those shown when training paused), saved with the project and the autosave."""

import json

import numpy as np

from nnviz.core.document import load_project
from nnviz.core.runs import flat_parameters


def train_epochs(qtbot, window, epochs: int) -> None:
    """Step `epochs` epochs, one at a time, each waited for until drawn (paused)."""
    controller = window.training.controller
    seen = []

    def drawn() -> bool:
        return bool(seen) and not seen[-1].running and seen[-1].commands_applied >= controller.commands_sent

    controller.snapshot_ready.connect(seen.append)
    for _ in range(epochs):
        seen.clear()
        controller.step_epoch()
        qtbot.waitUntil(drawn, timeout=20000)
    controller.snapshot_ready.disconnect(seen.append)


def test_training_in_the_window_grows_a_run_whose_last_checkpoint_is_the_network_shown(qtbot, xor_window):
    session = xor_window.session
    assert session.project.runs == []
    train_epochs(qtbot, xor_window, 3)
    (run,) = session.project.runs
    assert run.name == "run 1"
    assert run.epochs == [1, 2, 3]
    assert run.history["epoch"] == [1, 2, 3]
    assert run.training["optimizer"] == session.training_config.optimizer
    np.testing.assert_array_equal(run.checkpoints[-1].parameters, flat_parameters(session.network))
    assert not np.array_equal(run.checkpoints[0].parameters, run.checkpoints[-1].parameters)


def test_a_new_network_starts_a_new_run_numbered_on(qtbot, xor_window):
    session = xor_window.session
    train_epochs(qtbot, xor_window, 2)
    xor_window.training.reinitialise()
    train_epochs(qtbot, xor_window, 2)
    assert [r.name for r in session.project.runs] == ["run 1", "run 2"]
    assert session.project.runs[1].epochs == [3, 4]  # epochs count on across runs, as the history does


def test_runs_trained_in_the_window_are_saved_and_reopened(qtbot, xor_window, tmp_path):
    train_epochs(qtbot, xor_window, 3)
    path = str(tmp_path / "trained.nnviz")
    xor_window.session.save(path)
    (back,) = load_project(path).runs
    (run,) = xor_window.session.project.runs
    assert back.epochs == run.epochs
    for saved, read in zip(run.checkpoints, back.checkpoints, strict=True):
        np.testing.assert_array_equal(saved.parameters, read.parameters)


def test_the_autosave_keeps_the_runs(qtbot, xor_window):
    train_epochs(qtbot, xor_window, 2)
    xor_window.autosaver.save_now()
    recovered = json.loads(xor_window.autosaver.path.read_text())
    assert [c["epoch"] for c in recovered["runs"][0]["checkpoints"]] == [1, 2]
