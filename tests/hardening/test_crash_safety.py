"""kill -9 in the middle of saving: the file on disk is always a whole project, the old one or the new one.

A real child process saves a large network over and over (two versions alternately) and is killed with
SIGKILL at random moments; after each kill the file must load and equal one of the two versions.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nnviz.core.document import Project, load_project, save_project
from nnviz.core.network import Network

SAVER = """
import sys
from nnviz.core.document import Project, save_project
from nnviz.core.network import Network
versions = [Project(network=Network.create([784, 128, 10], seed=s), training=None, dataset=None,
                    history=None, scaler=None) for s in (1, 2)]
print("ready", flush=True)
i = 0
while True:
    save_project(versions[i % 2], sys.argv[1])
    i += 1
"""


def _first_weight(seed: int) -> float:
    return float(Network.create([784, 128, 10], seed=seed).weights[0][0, 0])


def _moments(seed: int, count: int, low: float, high: float) -> list[float]:
    """`count` kill delays in seconds, from `seed`: printed so a failing run can be replayed."""
    rng = random.Random(seed)
    delays = [rng.uniform(low, high) for _ in range(count)]
    print(f"kill seed {seed}: delays {[round(d, 3) for d in delays]}")
    return delays


@pytest.mark.parametrize(("seed", "kills"), [(8, 6), pytest.param(9, 40, marks=pytest.mark.slow)])
def test_kill_9_during_save_leaves_a_whole_file(tmp_path, seed, kills):
    path = tmp_path / "p.nnviz"
    save_project(Project(Network.create([784, 128, 10], seed=1), None, None, None, None), path)
    expected = {_first_weight(1), _first_weight(2)}
    for delay in _moments(seed, kills, 0.05, 0.6):
        child = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        project = load_project(path)
        assert float(project.network.weights[0][0, 0]) in expected
        assert np.isfinite(project.network.weights[1]).all()
    # a save killed mid-write leaves its hidden temporary file behind (never read: harmless litter)
    print(f"temporary files left by the kills: {len(list(tmp_path.glob('.p.nnviz.*.tmp')))}")


# -- kill -9 of the real window during autosave and during training -------------------------------------
# The child opens a saved project in the real main window (offscreen), makes it unsaved (an edit, or
# training), and autosaves every few milliseconds; it says "ready" once a recovery file exists, and is killed
# at a random moment after. Its data and settings folders are the test's own (XDG_*), so its recovery file
# is in `tmp_path/data/nnviz/recovery/`; it prints that file's path once it exists.
WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.core.document import load_project

app = QApplication(sys.argv[:1])
path, mode = sys.argv[1], sys.argv[2]
window = MainWindow(Session(load_project(path), path))
window.show()
if mode == "edit":
    window.session.edit_weight(0, 0, 0, 7.25)
else:
    window.training.controller.start()
window.autosaver.timer.setInterval(5)

def check():
    if window.autosaver.path.exists():
        print("ready", window.autosaver.path, flush=True)
    else:
        QTimer.singleShot(5, check)

check()
app.exec()
"""


def _window_child(tmp_path, project_path, mode: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["XDG_DATA_HOME"], env["XDG_CONFIG_HOME"] = str(tmp_path / "data"), str(tmp_path / "config")
    return subprocess.Popen(
        [sys.executable, "-c", WINDOW, str(project_path), mode], stdout=subprocess.PIPE, text=True, env=env
    )


def _kill_and_recover(qtbot, monkeypatch, tmp_path, project: Project, mode: str, delay: float) -> Project:
    """Save `project`, run the child on it, kill it `delay` seconds after its first autosave; the saved file
    must be unchanged. Then start again on the saved file and answer "Open" to the recovery offer: returns
    what the window recovered."""
    from PySide6.QtWidgets import QMessageBox

    from nnviz.app import main as app_main
    from nnviz.app.files import autosave
    from nnviz.app.main_window import MainWindow
    from nnviz.app.session import Session

    path = tmp_path / "saved.nnviz"
    save_project(project, path)
    saved_bytes = path.read_bytes()
    child = _window_child(tmp_path, path, mode)
    try:
        ready, recovery = child.stdout.readline().split()
        assert ready == "ready"
        time.sleep(delay)  # a random moment of a real process, not a wait
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert path.read_bytes() == saved_bytes  # the last saved file is intact
    assert Path(recovery).exists()

    monkeypatch.setattr(autosave, "folder_override", Path(recovery).parent)
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Open
    )
    window = MainWindow(Session(load_project(path), str(path)))
    qtbot.addWidget(window)
    try:
        app_main.offer_recovery(window)
        assert len(asked) == 1  # the dialog was shown, and answered "Open"
        assert "without saving" in asked[0]
        assert not window.session.undo_stack.isClean()  # recovered work is unsaved until saved
        # still unsaved, so still recoverable: now this window's recovery file, the dead one's is gone
        assert load_project(window.autosaver.path).network.describe() == window.session.network.describe()
        assert not Path(recovery).exists()
        return Project(window.session.network.copy(), None, None, None, None)
    finally:
        window.training.shutdown()
        window.session.undo_stack.setClean()
        window.close()


_WINDOW_KILLS = [(1, 2), pytest.param(3, 8, marks=pytest.mark.slow)]


@pytest.mark.parametrize(("seed", "kills"), _WINDOW_KILLS)
def test_kill_9_during_autosave_then_recovery_offers_the_unsaved_edit(
    qtbot, monkeypatch, tmp_path, seed, kills
):
    project = Project(Network.create([784, 128, 10], seed=1), None, None, None, None)
    for delay in _moments(seed, kills, 0.0, 0.5):
        recovered = _kill_and_recover(qtbot, monkeypatch, tmp_path, project, "edit", delay)
        assert recovered.network.weights[0][0, 0] == 7.25  # the edit that was never saved
        original = project.network
        assert np.array_equal(recovered.network.weights[0][1:], original.weights[0][1:])


@pytest.mark.parametrize(("seed", "kills"), _WINDOW_KILLS)
def test_kill_9_during_training_then_recovery_offers_the_trained_weights(
    qtbot, monkeypatch, tmp_path, seed, kills
):
    from nnviz.core.examples import load_example

    project = load_example("classic")  # 2-2-2 with its one inline sample: training moves every weight
    saved = project.network.weights + project.network.biases
    for delay in _moments(seed + 100, kills, 0.0, 0.5):
        recovered = _kill_and_recover(qtbot, monkeypatch, tmp_path, project, "train", delay)
        trained = recovered.network.weights + recovered.network.biases
        assert all(np.isfinite(a).all() for a in trained)
        assert any(not np.array_equal(a, b) for a, b in zip(trained, saved, strict=True))  # training was kept


def test_two_windows_keep_their_own_work_and_a_start_up_offers_only_the_dead_ones(
    qtbot, monkeypatch, tmp_path
):
    """Window 1 keeps running with unsaved work while window 2 is killed with its own: the next start
    offers window 2's work only, and neither its Discard nor a save anywhere touches window 1's file."""
    from PySide6.QtWidgets import QMessageBox

    from nnviz.app import main as app_main
    from nnviz.app.files import autosave
    from nnviz.app.main_window import MainWindow
    from nnviz.app.session import Session

    path = tmp_path / "saved.nnviz"
    save_project(Project(Network.create([2, 3, 1], seed=1), None, None, None, None), path)
    alive, killed = (_window_child(tmp_path, path, "edit") for _ in range(2))
    try:
        files = [Path(child.stdout.readline().split()[1]) for child in (alive, killed)]
        assert files[0] != files[1]  # one recovery file per window
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait()
        monkeypatch.setattr(autosave, "folder_override", files[0].parent)
        asked = []
        monkeypatch.setattr(
            QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.Discard
        )
        window = MainWindow(Session(load_project(path), str(path)))
        qtbot.addWidget(window)
        app_main.offer_recovery(window)
        assert len(asked) == 1  # only the killed window's work
        assert not files[1].exists()  # discarded, as asked
        assert load_project(files[0]).network.weights[0][0, 0] == 7.25  # the living window's work
        assert oct(files[0].stat().st_mode & 0o777) == oct(0o600)  # private to the user
        assert oct(files[0].parent.stat().st_mode & 0o777) == oct(0o700)
        window.close()
    finally:
        for child in (alive, killed):
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()
