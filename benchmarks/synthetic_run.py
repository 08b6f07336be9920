"""A project given a synthetic training run, for the timeline and replay benchmarks: checkpoints of parameters
that drift epoch by epoch under a falling loss, without the time training would take."""

from __future__ import annotations

import numpy as np

from nnviz.core.runs import RunRecorder
from nnviz.core.training import EpochStats


def with_run(project, epochs: int, step: float = 0.05):
    """`project` with one run of `epochs` epochs (one checkpoint each while they fit the budget)."""
    network = project.network.copy()
    recorder = RunRecorder(network)
    rng = np.random.default_rng(0)
    for epoch in range(1, epochs + 1):
        for w in network.weights:
            w[...] += step * rng.standard_normal(w.shape)
        recorder.add(EpochStats(epoch, epoch, 1 / epoch, 0.5, None, None, 1.0, 0.0), network)
    project.runs = [recorder.finish([], network)]
    return project
