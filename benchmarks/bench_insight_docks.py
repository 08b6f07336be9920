"""Per-update cost of each training insight dock on 784-16-16-10 (the font_digits example), offscreen.

While training runs the Session's network changes about ten times a second and a visible insight dock
recomputes each time, so one update must cost a few milliseconds. Per dock: `update_ms` is the recompute
(forward pass on the evaluation rows, counting, `setData`), `paint_ms` one render of the dock's widget
(`grab()`), and `hidden_update_ms` what a parameter change costs the docks while all of them are hidden.
The evaluation uses MAX_ROWS (2,000) training rows (test fraction 0: the largest sample a dock takes).
Predicted vs true gets the same network with an identity output and the one-hot digits as regression
targets. Prints one JSON object per dock:

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_insight_docks.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
from PySide6.QtWidgets import QApplication, QDockWidget

from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.app.training.insight import MAX_ROWS
from nnviz.core.activations import get_activation
from nnviz.core.datasets.base import Dataset
from nnviz.core.examples import load_example


def open_window(regression: bool) -> MainWindow:
    project = load_example("font_digits")
    session = Session(project)
    window = MainWindow(session)
    window.show()
    if regression:
        digits = session.dataset
        targets = np.eye(10)[digits.y]
        project.network.activations[-1] = get_activation("identity")
        session.set_project(
            project, dataset=Dataset(digits.x, targets, "regression", name="digits as targets")
        )
    window.training.panel.test_fraction.setValue(0.0)
    for _ in range(5):
        QApplication.processEvents()
    return window


def nudge(window: MainWindow, n: int) -> None:
    """A training-like change of every weight, made in place and without signals: through the Session it
    would also reach the training UI, which sends each changed weight to the worker as an edit (13,000
    commands whose processing would compete with what is measured here)."""
    for w in window.session.network.weights:
        np.multiply(w, 1 + 1e-3 * ((n % 2) * 2 - 1), out=w)


HIDDEN_SNAPSHOTS = 5  # parameter updates sent through the Session while the docks are hidden


def ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def measure(window: MainWindow, name: str, repeats: int) -> dict:
    insights = window.insights
    dock = next(d for d in insights.docks if d.objectName() == name)
    view = dock.widget()
    activation = next(d for d in window.findChildren(QDockWidget) if d.objectName() == "activation")
    activation.raise_()  # every insight dock is hidden behind it
    QApplication.processEvents()
    before = insights.refreshes[name]
    for n in range(HIDDEN_SNAPSHOTS):  # the Session's signal, as a training snapshot emits it
        nudge(window, n)
        window.session.parameters_changed.emit()
        QApplication.processEvents()
    recomputes_while_hidden = insights.refreshes[name] - before
    hidden = []  # what the docks themselves do with one change while hidden (the slot and the timer's)
    for _ in range(repeats):
        start = time.perf_counter()
        insights._on_changed()
        insights._update_visible()
        hidden.append(time.perf_counter() - start)
    dock.raise_()
    QApplication.processEvents()
    updates, paints = [], []
    for n in range(repeats):
        nudge(window, n)
        start = time.perf_counter()
        insights._refresh(view)
        updates.append(time.perf_counter() - start)
        start = time.perf_counter()
        view.grab()
        paints.append(time.perf_counter() - start)
    return {
        "dock": name,
        "network": window.session.network.describe(),
        "rows": MAX_ROWS,
        "update_ms": ms(updates),
        "update_min_ms": round(min(updates) * 1000, 2),
        "update_max_ms": round(max(updates) * 1000, 2),
        "paint_ms": ms(paints),
        "paint_min_ms": round(min(paints) * 1000, 2),
        "hidden_update_ms": round(statistics.median(hidden) * 1000, 4),
        "recomputes_while_hidden": recomputes_while_hidden,
        "repeats": repeats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    QApplication.instance() or QApplication([])
    for regression, docks in ((False, ("confusion", "weights")), (True, ("predicted_vs_true",))):
        window = open_window(regression)
        for name in docks:
            print(json.dumps(measure(window, name, args.repeats)), flush=True)
        window.session.undo_stack.setClean()
        window.close()


if __name__ == "__main__":
    main()
