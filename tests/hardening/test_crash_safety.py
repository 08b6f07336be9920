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

import numpy as np

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


def test_kill_9_during_save_leaves_a_whole_file(tmp_path):
    path = tmp_path / "p.nnviz"
    save_project(Project(Network.create([784, 128, 10], seed=1), None, None, None, None), path)
    expected = {_first_weight(1), _first_weight(2)}
    rng = random.Random(8)
    for _ in range(6):
        child = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        project = load_project(path)
        assert float(project.network.weights[0][0, 0]) in expected
        assert np.isfinite(project.network.weights[1]).all()
