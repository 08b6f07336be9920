"""What runs during the training window's event-loop stalls: a diagnosis tool, not a benchmark.

Opens the same window as bench_responsiveness (784-16-16-10 training on font digits, 5 ms tick timer),
times every Python-level paintEvent (named by the dock it sits in), the redraw slots and Python's garbage
collections, and lists them per stall longer than --stall-ms: which paints share one event-loop turn, and
which turn is the longest. Timing wrappers add a little to every call they time.

    python benchmarks/profile_stalls.py --seconds 8
"""

from __future__ import annotations

import argparse
import collections
import gc
import os
import sys
import time

import numpy as np
from training_window import TICK_MS, open_training_window

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class CallLog:
    """(start, end, name) of every timed call."""

    def __init__(self) -> None:
        self.calls: list[tuple[float, float, str]] = []
        self._patched: set[tuple[type, str]] = set()

    def time_method(self, cls: type, name: str, label=lambda _obj: "") -> None:
        """Wrap cls.name (once) so each call is logged as `Class.name/label(obj)`."""
        if (cls, name) in self._patched:
            return
        self._patched.add((cls, name))
        original = getattr(cls, name)
        calls = self.calls

        def timed(obj, *args, _original=original, _name=f"{cls.__name__}.{name}"):
            started = time.perf_counter()
            try:
                return _original(obj, *args)
            finally:
                calls.append((started, time.perf_counter(), f"{_name}/{label(obj)}".rstrip("/")))

        setattr(cls, name, timed)

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.calls.append((now, now, name))


def dock_title(obj) -> str:
    """The title of the dock a widget sits in (the canvas sits in none)."""
    from PySide6.QtWidgets import QDockWidget

    while obj is not None and not isinstance(obj, QDockWidget):
        obj = obj.parent()
    return obj.windowTitle() if obj is not None else "window"


def instrument(window, log: CallLog) -> None:
    from PySide6.QtWidgets import QWidget

    from nnviz.app.files.autosave import Autosaver
    from nnviz.app.plots.loss_plot import LossPlot
    from nnviz.app.training.ui import TrainingUI

    for widget in [window, *window.findChildren(QWidget)]:
        for cls in type(widget).__mro__:
            if "paintEvent" in cls.__dict__ and cls.__module__.split(".")[0] in ("nnviz", "pyqtgraph"):
                log.time_method(cls, "paintEvent", dock_title)
                break
    log.time_method(TrainingUI, "_apply_pending")
    log.time_method(TrainingUI, "_on_snapshot")
    log.time_method(LossPlot, "redraw")
    log.time_method(Autosaver, "save_now")
    gc.callbacks.append(lambda phase, info: log.mark(f"gc {phase} generation {info['generation']}"))


def recorded_history(epochs: int) -> dict:
    """A project history of `epochs` falling losses, as a long run leaves it."""
    from types import SimpleNamespace

    from nnviz.core.history import extend_history

    stats = [SimpleNamespace(loss=1 / e, accuracy=1 - 1 / e, test_loss=1.1 / e, test_accuracy=1 - 1.1 / e)
             for e in range(1, epochs + 1)]  # fmt: skip
    return extend_history(None, stats, columns={"step": [150 * e for e in range(1, epochs + 1)]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--stall-ms", type=float, default=20.0, help="list turns longer than this")
    parser.add_argument("--show", type=int, default=8, help="how many of the longest stalls to list")
    parser.add_argument(
        "--history", type=int, default=0, help="epochs already recorded in the project (a long run's state)"
    )
    args = parser.parse_args(argv)
    from PySide6.QtCore import QEventLoop, QTimer

    probe = open_training_window(recorded_history(args.history) if args.history else None)
    window, log = probe.window, CallLog()
    instrument(window, log)
    training = window.training

    def begin() -> None:
        probe.ticks.clear()
        log.calls.clear()
        probe.timer.start(TICK_MS)

    loop = QEventLoop()
    training.controller.start()
    QTimer.singleShot(1000, begin)
    QTimer.singleShot(int(1000 * (1 + args.seconds)), loop.quit)
    loop.exec()
    probe.close()

    ticks = np.array(probe.ticks)
    gaps = np.diff(ticks) * 1000
    print(f"ticks {len(ticks)}  max {gaps.max():.1f} ms  p99 {np.percentile(gaps, 99):.1f} ms")
    per_name = collections.defaultdict(list)
    for start, end, name in log.calls:
        per_name[name].append((end - start) * 1000)
    for name, ms in sorted(per_name.items(), key=lambda item: -sum(item[1])):
        print(
            f"  {name:48s} n={len(ms):4d} total={sum(ms):7.1f} median={np.median(ms):5.2f} max={max(ms):5.2f}"
        )
    stalls = [(ticks[i], ticks[i + 1]) for i in np.nonzero(gaps > args.stall_ms)[0]]
    print(f"{len(stalls)} turns over {args.stall_ms:g} ms; the longest:")
    for start, end in sorted(stalls, key=lambda s: s[0] - s[1])[: args.show]:
        inside = [f"{n} {(e - s) * 1000:.1f}" for s, e, n in log.calls if start <= s and e <= end]
        print(f"  {(end - start) * 1000:5.1f} ms: " + ", ".join(inside))
    return 0


if __name__ == "__main__":
    sys.exit(main())
