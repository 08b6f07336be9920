"""After training, a project opened in the window is not falsely "modified"."""

import numpy as np

from nnviz.core.document import load_project


def test_a_project_opened_after_training_is_not_modified(qtbot, xor_window, tmp_path):
    training, session = xor_window.training, xor_window.session
    snapshots = []
    training.controller.snapshot_ready.connect(snapshots.append)
    training.controller.start()
    qtbot.waitUntil(lambda: len(snapshots) > 5, timeout=20000)
    assert xor_window.isWindowModified()  # trained weights are unsaved work
    saved = tmp_path / "trained.nnviz"
    assert xor_window._write(str(saved))
    training.controller.pause()
    qtbot.waitUntil(lambda: not snapshots[-1].running, timeout=20000)
    assert xor_window.isWindowModified()  # trained on after the save
    assert xor_window.load(str(saved))
    assert not xor_window.isWindowModified()
    sent = training.controller.commands_sent  # the load of the opened network was the last one
    qtbot.waitUntil(lambda: snapshots[-1].commands_applied >= sent, timeout=20000)
    assert not xor_window.isWindowModified()
    assert session.undo_stack.isClean()
    for ours, stored in zip(session.network.weights, load_project(saved).network.weights, strict=True):
        np.testing.assert_array_equal(ours, stored)


def test_a_project_opened_while_training_runs_shows_its_own_weights(qtbot, xor_window, tmp_path):
    """Snapshots of the run still in flight when the file is opened must not land on the opened network."""
    training, session = xor_window.training, xor_window.session
    saved = tmp_path / "untrained.nnviz"
    assert xor_window._write(str(saved))
    snapshots = []
    training.controller.snapshot_ready.connect(snapshots.append)
    for _ in range(5):
        training.controller.start()
        qtbot.waitUntil(lambda: len(snapshots) > 3 and snapshots[-1].running, timeout=20000)
        session.undo_stack.setClean()
        assert xor_window.load(str(saved))
        sent = training.controller.commands_sent
        qtbot.waitUntil(lambda sent=sent: snapshots[-1].commands_applied >= sent, timeout=20000)
        assert not xor_window.isWindowModified()
        for ours, stored in zip(session.network.weights, load_project(saved).network.weights, strict=True):
            np.testing.assert_array_equal(ours, stored)
        snapshots.clear()
