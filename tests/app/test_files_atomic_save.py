"""A save killed mid-write (kill -9 of a real process) leaves the previous project file intact."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from nnviz.core.document import Project, load_project, save_project
from nnviz.core.network import Network

CHILD = Path(__file__).with_name("slow_save_child.py")


def test_killed_save_keeps_the_previous_file(tmp_path):
    path = tmp_path / "work.nnviz"
    original = Network.create([2, 3, 1], seed=0)
    save_project(Project(original), path)
    before = path.read_bytes()
    child = subprocess.Popen([sys.executable, str(CHILD), str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        partial = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(partial) == 1
        assert partial[0].stat().st_size > 0  # the new file was half written when killed
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    assert load_project(path).network.sizes == original.sizes
