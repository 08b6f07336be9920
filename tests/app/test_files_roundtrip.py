"""Saving, closing and reopening restores the same network, weights, loss history and view (issue 6)."""

import numpy as np

from nnviz.app.main_window import MainWindow
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.document import load_project
from nnviz.core.examples import load_example


def _open(qtbot, project, path=None):
    window = MainWindow(Session(project, path))
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def _close(window):
    window.session.undo_stack.setClean()
    window.close()
    window.deleteLater()


def _train_epochs(qtbot, window, epochs):
    recorded = []
    window.training.controller.snapshot_ready.connect(lambda snap: recorded.extend(snap.new_epochs))
    for n in range(1, epochs + 1):
        window.training.controller.step_epoch()
        qtbot.waitUntil(lambda n=n: len(recorded) >= n, timeout=20000)
    return recorded


def test_save_close_reopen_restores_network_weights_history_and_view(qtbot, tmp_path):
    first = _open(qtbot, load_example("xor"))
    stats = _train_epochs(qtbot, first, 3)
    s = first.session
    qtbot.waitUntil(lambda: len((s.project.history or {}).get("loss", [])) == 3)
    assert s.project.history["loss"] == [e.loss for e in stats]
    assert s.project.history["epoch"] == [1, 2, 3]
    assert s.project.history["step"] == [e.steps for e in stats]
    first.canvas.set_view(2.0, 40.0, -25.0)
    s.set_selection(Selection.edge(1, 0, 1))
    for _ in range(3):
        s.step_neuron()
    plot = first.training.loss_plot
    plot.x_axis.setCurrentText("epoch")
    plot.log_scale.setChecked(True)
    network = s.network.copy()
    pan = (40.0 / first.canvas.width(), -25.0 / first.canvas.height())
    path = tmp_path / "trained.nnviz"
    assert first._write(str(path))
    history = s.project.history
    _close(first)

    second = _open(qtbot, load_project(path), str(path))  # as `nnviz trained.nnviz` starts
    try:
        t = second.session
        qtbot.waitUntil(lambda: second.canvas.view[0] == 2.0)
        assert t.network.describe() == network.describe()
        for now, then in zip(
            t.network.weights + t.network.biases, network.weights + network.biases, strict=True
        ):
            np.testing.assert_array_equal(now, then)
        assert t.project.history == history
        shown = second.training.loss_plot
        np.testing.assert_array_equal(shown.by_epoch["train"].y, history["loss"])
        np.testing.assert_array_equal(shown.by_epoch["train"].x, [1, 2, 3])
        np.testing.assert_array_equal(shown.by_step["train"].x, history["step"])
        _, dx, dy = second.canvas.view
        assert (dx / second.canvas.width(), dy / second.canvas.height()) == pan
        assert t.selection == Selection.edge(1, 0, 1)
        assert t.stepper.position == 3
        assert shown.x_axis.currentText() == "epoch"
        assert shown.log_scale.isChecked()
        assert not second.isWindowModified()
        more = _train_epochs(qtbot, second, 1)  # the live curves go on from the saved ones
        np.testing.assert_array_equal(shown.by_epoch["train"].x, [1, 2, 3, 4])
        assert shown.by_step["train"].x[-1] == history["step"][-1] + more[0].steps
    finally:
        _close(second)


def test_epochs_keep_counting_after_reopening(qtbot, tmp_path):
    window = _open(qtbot, load_example("xor"))
    try:
        _train_epochs(qtbot, window, 2)
        path = tmp_path / "p.nnviz"
        assert window._write(str(path))
        assert window.load(str(path))
        _train_epochs(qtbot, window, 1)
        history = window.session.project.history
        assert history["epoch"] == [1, 2, 3]
        assert history["step"][2] > history["step"][1]
    finally:
        _close(window)


def test_a_far_pan_and_unknown_view_keys_survive_save_and_reopen(qtbot, tmp_path):
    """A file's view.pan of 1e308 overflowed to infinity when the canvas zoomed about it, and Save then
    failed; keys of the view this version does not know were dropped by Save."""
    project = load_example("classic")
    project.view = {"zoom": 40.0, "pan": [1e308, -1e308], "theirs": [1, 2], "loss_plot": {"mine": True}}
    window = _open(qtbot, project)
    window.canvas.set_view(40.0, 1e308 * window.canvas.width(), -1e308)
    path = tmp_path / "far.nnviz"
    assert window._write(str(path))
    view = load_project(path).view
    assert view["theirs"] == [1, 2]
    assert view["loss_plot"]["mine"] is True
    assert all(np.isfinite(view["pan"]))
    _close(window)
