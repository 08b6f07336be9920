"""Soak: does a long training run with the window open leak memory or Qt objects, or grow its frame gaps?

The real main window (offscreen) trains a 784-16-16-10 network (sigmoid hidden, softmax output, Adam,
batch 32) on the MNIST-like `font_digits` set for `--minutes`. Every minute one JSON line reports: resident
memory (VmRSS from /proc/self/status) and its growth against the first minute (the first minute is the
baseline because it includes one-off allocations: first drawing, caches), live widgets
(`len(app.allWidgets())`), Python's gc object counts (those collected, and those frozen with the window),
the event loop's tick gaps (a 5 ms precise timer; the gap between two firings is how long the loop was
busy) and the worker's samples/s.

Targets (issue 8): memory growth < 10 %, no growth of widgets, tick gaps steady.

    nice python benchmarks/bench_soak.py --minutes 10
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile

import numpy as np
from training_window import TICK_MS, open_training_window

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window autosaves its (unsaved, training) document: keep that recovery file out of the user's own.
os.environ.setdefault("XDG_DATA_HOME", os.path.join(tempfile.gettempdir(), "nnviz-soak-data"))


def rss_kib(pid: int | str = "self") -> int:
    """Resident set size in KiB, from the kernel's own accounting (no psutil needed)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def soak(minutes: float, period_s: float = 60.0) -> list[dict]:
    """Train in the window for `minutes`, printing (and returning) one report per `period_s`."""
    from PySide6.QtCore import QTimer

    probe = open_training_window()
    app, window, training, tick_timer = probe.app, probe.window, probe.training, probe.timer
    ticks, samples = probe.ticks, probe.samples
    reports: list[dict] = []
    total = max(1, round(minutes * 60.0 / period_s))

    def report() -> None:
        intervals = np.diff(ticks) * 1000.0 if len(ticks) > 1 else np.zeros(1)
        rate = 0.0
        if len(samples) > 1:
            (t0, s0), (t1, s1) = samples[0], samples[-1]
            rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
        rss = rss_kib()
        base = reports[0]["rss_kib"] if reports else rss
        trainer = rss_kib(training.controller._process.pid)  # the training process (issue 5's rework)
        trainer_base = reports[0]["trainer_rss_kib"] if reports else trainer
        line = {
            "case": "soak_784-16-16-10",
            "minute": round((len(reports) + 1) * period_s / 60.0, 2),
            "rss_kib": rss,
            "rss_growth_pct": round(100.0 * (rss - base) / base, 2),
            "trainer_rss_kib": trainer,
            "trainer_rss_growth_pct": round(100.0 * (trainer - trainer_base) / trainer_base, 2),
            "widgets": len(app.allWidgets()),
            "gc_objects": len(gc.get_objects()),  # what the collector walks: created since the window opened
            "gc_frozen": gc.get_freeze_count(),  # the window's own, set aside when it was shown
            "ticks": len(ticks),
            "median_tick_ms": round(float(np.median(intervals)), 2),
            "p99_tick_ms": round(float(np.percentile(intervals, 99)), 2),
            "max_tick_ms": round(float(intervals.max()), 2),
            "samples_per_s": round(rate),
        }
        reports.append(line)
        print(json.dumps(line), flush=True)
        ticks.clear()
        del samples[:-1]  # the last sample starts the next minute's rate
        if len(reports) >= total:
            # exit(), not quit(): quit() asks every window to close, and the training (unsaved) document's
            # close prompt would then wait for an answer nobody gives
            app.exit(0)

    window.confirm_discard = lambda: True  # a benchmark has nothing to save: closing must never ask
    period = QTimer()
    period.timeout.connect(report)
    training.controller.start()
    tick_timer.start(TICK_MS)
    period.start(int(period_s * 1000))
    app.exec()
    period.stop()
    tick_timer.stop()
    training.shutdown()  # no snapshot may mark the document unsaved after this
    window.session.undo_stack.setClean()  # nothing to save: the recovery file goes and closing must not ask
    window.close()
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to train with the window open")
    parser.add_argument("--period", type=float, default=60.0, help="seconds between two reports")
    args = parser.parse_args(argv)
    reports = soak(args.minutes, args.period)
    first, last = reports[0], reports[-1]
    print(
        json.dumps(
            {
                "case": "soak_summary",
                "minutes": args.minutes,
                "rss_growth_pct": last["rss_growth_pct"],
                "trainer_rss_growth_pct": last["trainer_rss_growth_pct"],
                "widgets_first_last": [first["widgets"], last["widgets"]],
                "gc_objects_first_last": [first["gc_objects"], last["gc_objects"]],
                "p99_tick_ms_per_minute": [r["p99_tick_ms"] for r in reports],
                "samples_per_s_per_minute": [r["samples_per_s"] for r in reports],
                "targets": {"rss_growth_pct": 10},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
