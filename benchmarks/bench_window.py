"""Whole-window latency: one inspector-slider move or one step-through step on 784-16-16-10, from the new
value to every view updated (forward pass, stepper, inspector, math, output, plots) and the canvas painted.

A frame is 16 ms; the target is one move per frame while a slider is dragged. Prints one JSON object per case:

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_window.py [--repeats 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from nnviz.app.main_window import MainWindow
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.document import Project
from nnviz.core.network import Network

SIZES = (784, 16, 16, 10)
FRAME_MS = 16.0


def timed(action, repeats: int) -> tuple[list[float], list[float]]:
    """Milliseconds per call: `action()` with its direct slots (model and panels), and the whole of it with
    the events it queued (deferred plot draws and the repaint of every view)."""
    app = QApplication.instance()
    model, total = [], []
    for n in range(repeats):
        start = time.perf_counter()
        action(n)
        model.append((time.perf_counter() - start) * 1000)
        app.processEvents()
        total.append((time.perf_counter() - start) * 1000)
    return model, total


def report(case: str, times: tuple[list[float], list[float]]) -> None:
    model, total = (statistics.median(t) for t in times)
    print(
        json.dumps(
            {
                "case": case,
                "network": "-".join(map(str, SIZES)),
                "median_ms": round(total, 2),
                "median_model_and_panels_ms": round(model, 2),
                "median_painting_ms": round(total - model, 2),
                "max_ms": round(max(times[1]), 2),
                "repeats": len(times[1]),
                "target_ms": FRAME_MS,
                "within_frame": total < FRAME_MS,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    session = Session(Project(Network.create(list(SIZES), "sigmoid", "softmax", seed=0)))
    window = MainWindow(session)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    session.set_selection(Selection.edge(1, 3, 5))
    slider = window.inspector.weight_editor.slider
    slider.setSliderDown(True)
    report("inspector_slider_move", timed(lambda n: slider.setValue(-900 + 45 * n), args.repeats))
    slider.setSliderDown(False)
    session.reset_steps()
    report("step_neuron", timed(lambda _n: session.step_neuron(), args.repeats))
    session.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main()
