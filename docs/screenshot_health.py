"""The network-health screenshot (docs/images/canvas-health.png): a 2-8-8-8-8-8-1 network on the spiral, two
ReLU layers then sigmoids, trained 20 epochs with Adam at learning rate 0.05 (seed 3) — enough for some
ReLUs to die and a sigmoid layer to saturate, so the gradients of the layers before it vanish — shown in
the real window with a dead unit's tooltip open.

    docs/capture.sh docs/images/canvas-health.png -- python docs/screenshot_health.py
"""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QDockWidget, QToolTip

from nnviz.app.main import start
from nnviz.app.selection import Selection
from nnviz.core.datasets.builtin import make_dataset
from nnviz.core.datasets.projects import default_project
from nnviz.core.document import Project
from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingConfig


def trained_project() -> Project:
    spiral = default_project("spiral")
    data = make_dataset("spiral", seed=0, **spiral.dataset["parameters"])
    x = spiral.scaler.transform(data.x)
    base = Network.create([2, 8, 8, 8, 8, 8, 1], "sigmoid", seed=3)
    net = Network(base.weights, base.biases, ["relu", "relu", "sigmoid", "sigmoid", "sigmoid", "sigmoid"])
    config = TrainingConfig(loss="bce", optimizer="adam", learning_rate=0.05, batch_size=16, seed=0)
    trainer = Trainer(net, config, task="classification")
    for _ in range(20):
        trainer.run_epoch(x, data.y)
    return Project(trainer.network, config, spiral.dataset, None, spiral.scaler)


def show_a_dead_units_tooltip(window) -> None:
    canvas, health = window.canvas, window.canvas.health
    layer = next(k + 1 for k, h in enumerate(health.layers) if h.dead.any())
    index = int(np.flatnonzero(health.layers[layer - 1].dead)[-1])
    col = canvas.layout_geometry.columns[layer]
    at = canvas.screen_point(col.x, col.ys[index])
    QToolTip.showText(canvas.mapToGlobal(QPoint(round(at.x()) + 40, round(at.y()) - 30)),
                      canvas.describe(Selection.neuron(layer, index)), canvas)  # fmt: skip


def main() -> int:
    window = start()
    window.session.set_project(trained_project())
    window.session.undo_stack.setClean()
    for dock in window.findChildren(QDockWidget):  # the whole window for the canvas
        dock.hide()
    window.resize(1600, 1000)
    QTimer.singleShot(1500, lambda: show_a_dead_units_tooltip(window))
    return QApplication.instance().exec()


if __name__ == "__main__":
    sys.exit(main())
