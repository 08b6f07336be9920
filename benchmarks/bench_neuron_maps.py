"""The canvas frame with each neuron's output map in its circle, on 2-D networks while they train.

The real main window (offscreen, 1366x768) opens the spiral project with the network replaced by 2-8-8-1 or
2-8-8-8-8-1 (tanh hidden, sigmoid output, Adam) and trains it flat out for `--seconds`. Measured:

- `frame_ms`: each canvas paint during training, maps recomputed for the new weights included (the
  paints the window chose to make; the training views redraw at most every 100 ms by design);
- `forced_frame_ms`: back-to-back repaints after `set_network` (as each training snapshot does: the maps
  are recomputed every time), after training: the frame rate the canvas could sustain, `forced_fps`;
- `tick_p99_ms` / `tick_max_ms`: gaps of a 5 ms precise timer on the GUI thread while training (the
  event loop's availability; ideal 5 ms).

Each network is run with the maps and without them (plain fills), so the maps' cost reads as a ratio even
on a busy machine. Targets (issue 16): frame ≤ 33 ms (≥ 30 fps), event-loop p99 ≤ 20 ms.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_neuron_maps.py [--seconds 5] [--frames 60]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHAPES = ([2, 8, 8, 1], [2, 8, 8, 8, 8, 1])
TICK_MS = 5


def _percentiles(values: list[float]) -> dict[str, float]:
    a = np.asarray(values) if values else np.zeros(1)
    return {"mean": round(float(a.mean()), 2), "p50": round(float(np.percentile(a, 50)), 2),
            "p99": round(float(np.percentile(a, 99)), 2), "max": round(float(a.max()), 2)}  # fmt: skip


def run(sizes: list[int], seconds: float, frames: int, maps: bool = True) -> dict:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from nnviz.app.main_window import MainWindow
    from nnviz.app.session import Session
    from nnviz.core.datasets.projects import default_project
    from nnviz.core.network import Network

    project = default_project("spiral")
    project.network = Network.create(sizes, "tanh", "sigmoid", seed=0)
    window = MainWindow(Session(project))
    window.training.maps_action.setChecked(maps)
    window.resize(1366, 768)
    window.show()
    canvas, training = window.canvas, window.training
    paints: list[float] = []
    original = canvas.paintEvent

    def timed_paint(event) -> None:
        start = time.perf_counter()
        original(event)
        paints.append((time.perf_counter() - start) * 1000)

    canvas.paintEvent = timed_paint
    ticks: list[float] = []
    timer = QTimer(timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    QTimer.singleShot(1000, lambda: (paints.clear(), timer.start(TICK_MS)))  # after the first drawing
    QTimer.singleShot(int((1 + seconds) * 1000), loop.quit)
    training.controller.start()
    loop.exec()
    timer.stop()
    training.controller.pause()
    during = list(paints)
    maps_on = canvas.neuron_maps.brushes(window.session.network, canvas._palette) is not None
    forced: list[float] = []
    for _ in range(frames):
        canvas.set_network(window.session.network)  # as a training snapshot does
        start = time.perf_counter()
        canvas.repaint()
        forced.append((time.perf_counter() - start) * 1000)
    training.shutdown()
    window.session.undo_stack.setClean()
    window.confirm_discard = lambda: True
    window.close()
    app.processEvents()
    gaps = np.diff(ticks) * 1000 if len(ticks) > 1 else np.zeros(1)
    return {
        "case": "-".join(map(str, sizes)),
        "maps_drawn": maps_on,
        "frames_while_training": len(during),
        "frame_ms": _percentiles(during),
        "forced_frame_ms": _percentiles(forced),
        "forced_fps": round(1000 / float(np.mean(forced)), 1),
        "tick_p99_ms": round(float(np.percentile(gaps, 99)), 2),
        "tick_max_ms": round(float(gaps.max()), 2),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured training time per network")
    parser.add_argument("--frames", type=int, default=60, help="forced repaints after training")
    args = parser.parse_args(argv)
    for sizes in SHAPES:
        for maps in (True, False):  # without maps: the same canvas's frame, for the ratio on a busy machine
            print(json.dumps(run(sizes, args.seconds, args.frames, maps)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
