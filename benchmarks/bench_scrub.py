"""Scrubbing the training timeline on 784-16-16-10 (the font_digits example), offscreen: the time from the
slider's new position to every view having taken the checkpoint (canvas, maps, inspector, the visible insight
dock) — the checkpoint decoded into a network, the forward pass and trace, each view's update, and the
events they posted processed. The run is synthetic (60 checkpoints of drifting parameters); the window is
maximised on the offscreen screen, the Confusion dock in front. The last case, one weight edited through the
Session (the same views redraw), is the yardstick a ratio can be taken against on a busy machine. Prints one
JSON object per case, median and worst of `--repeats` positions:

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_scrub.py [--repeats 40]
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
from synthetic_run import with_run

from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.core.examples import load_example

CHECKPOINTS = 60


def timed(app: QApplication, action) -> float:
    """Seconds from `action` until the events it caused are processed."""
    start = time.perf_counter()
    action()
    app.processEvents()
    return time.perf_counter() - start


def report(case: str, times: list[float]) -> None:
    print(json.dumps({
        "case": case, "network": "784-16-16-10", "positions": len(times),
        "median_ms": round(statistics.median(times) * 1000, 2), "max_ms": round(max(times) * 1000, 2),
    }))  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    window = MainWindow(Session(with_run(load_example("font_digits"), CHECKPOINTS, 0.02)))
    window.showMaximized()
    next(d for d in window.findChildren(QDockWidget) if d.objectName() == "confusion").raise_()
    for _ in range(10):
        app.processEvents()
    slider = window.training.timeline.bar.slider
    for case, positions in (
        ("next checkpoint", [i % CHECKPOINTS for i in range(args.repeats)]),
        ("random position", np.random.default_rng(1).integers(0, CHECKPOINTS, args.repeats).tolist()),
    ):
        times = []
        for wanted in positions:
            position = (wanted + 1) % CHECKPOINTS if wanted == slider.value() else wanted  # a real move
            times.append(timed(app, lambda p=position: slider.setValue(p)))
        report(case, times)
    # The yardstick, from the same run: one weight typed in the inspector (the same views redraw).
    window.session.back_to_now()
    report(
        "one weight edit",
        [timed(app, lambda i=i: window.session.edit_weight(1, 0, 0, 0.01 * i)) for i in range(args.repeats)],
    )
    window.session.undo_stack.setClean()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
