"""The set-up shared by the window benchmarks: the real main window training 784-16-16-10 on font digits,
with a 5 ms precise timer whose tick gaps measure event-loop stalls and a log of training progress."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

SIZES = [784, 16, 16, 10]
CONFIG = {"loss": "cross_entropy", "optimizer": "adam", "learning_rate": 0.01, "batch_size": 32, "seed": 0}
DATASET = {"kind": "builtin", "name": "font_digits", "parameters": {"samples": 6000}, "seed": 0}
TICK_MS = 5


@dataclass
class TrainingWindow:
    """The open window, its tick timer (not yet started) and what the probes record."""

    app: Any
    window: Any
    network: Any  # the network the window started with
    timer: Any
    ticks: list[float] = field(default_factory=list)
    samples: list[tuple[float, int]] = field(default_factory=list)  # (time, samples seen) while running
    redraws: list[float] = field(default_factory=list)  # when a snapshot's parameters reached the views

    @property
    def training(self) -> Any:
        return self.window.training

    def close(self) -> None:
        """Stop training and close the window without a save prompt (a benchmark has nothing to save)."""
        self.timer.stop()
        self.training.shutdown()  # no snapshot may mark the document unsaved after this
        self.window.session.undo_stack.setClean()
        self.window.confirm_discard = lambda: True
        self.window.close()
        self.app.processEvents()  # deliver the deferred deletions of the closed window


def benchmark_project(history: dict | None = None, samples: int = 6000) -> Any:
    """The benchmark's project: 784-16-16-10 trained with CONFIG on `samples` font digits."""
    from nnviz.core.document import Project
    from nnviz.core.network import Network
    from nnviz.core.training import TrainingConfig

    dataset = {**DATASET, "parameters": {"samples": samples}}
    network = Network.create(SIZES, "sigmoid", "softmax", seed=0)
    return Project(network=network, training=TrainingConfig(**CONFIG), dataset=dataset, history=history)


def open_training_window(history: dict | None = None, samples: int = 6000) -> TrainingWindow:
    """Show the main window on the benchmark project (with `history` as its recorded epochs) and connect
    the probes; Qt is imported only here."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from nnviz.app.main_window import MainWindow
    from nnviz.app.session import Session

    project = benchmark_project(history, samples)
    network = project.network.copy()
    window = MainWindow(Session(project))
    window.resize(1600, 1000)
    window.show()
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    probe = TrainingWindow(app, window, network, timer)
    timer.timeout.connect(lambda: probe.ticks.append(time.perf_counter()))
    window.training.controller.snapshot_ready.connect(
        lambda snap: probe.samples.append((time.perf_counter(), snap.samples_seen)) if snap.running else None
    )
    window.session.parameters_changed.connect(lambda: probe.redraws.append(time.perf_counter()))
    return probe
