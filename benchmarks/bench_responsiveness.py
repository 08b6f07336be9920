"""Does the window stay smooth while training runs at full speed, and does drawing starve the trainer?

The real main window (offscreen) trains a 784-16-16-10 network (sigmoid hidden, softmax output, Adam,
batch 32) on the MNIST-like `font_digits` set. A 5 ms precise timer on the GUI thread records when it
fires; the interval between two firings is how long the event loop was unavailable (the ideal is 5 ms).
The trainer's rate in the window is the training process's samples per second of wall time, from the
samples counted in its snapshots over the measured span. The headless rate is the same Trainer on the same
data and network without Qt, as `nnviz train` runs it (each epoch followed by the test split's
evaluation), all samples over all wall time, like the window's; two runs after the window's, averaged.
Last, `nnviz train` itself as a user runs it (its default threads, a subprocess on the same project, its
`samples/s` line): the rate a user compares the window with.

Targets (issue 5): max interval < 50 ms, 99th percentile < 20 ms, window rate ≥ 80 % of headless
(issue 14: also on MNIST-sized data, `--samples 60000`).

    python benchmarks/bench_responsiveness.py            # 10 s of training in the window
    python benchmarks/bench_responsiveness.py --samples 60000 --cli-epochs 1
    python benchmarks/bench_responsiveness.py --quick    # 3 s smoke run
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from training_window import CONFIG, TICK_MS, benchmark_project, open_training_window

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def headless_rate(network, data, seconds: float) -> float:
    """Samples/s of the plain Trainer as `nnviz train` runs it: `fit` epoch after epoch on the window's
    training split, evaluating the test split after each; all samples over all wall time after a warm-up
    epoch, as the window's rate is measured."""
    from nnviz.core.training import Trainer, TrainingConfig

    trainer = Trainer(network.copy(), TrainingConfig(**CONFIG), data.task)
    trainer.fit(data.x, data.y, 1, data.x_test, data.y_test)  # warm-up
    epochs, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        trainer.fit(data.x, data.y, 1, data.x_test, data.y_test)
        epochs += 1
    return epochs * len(data.x) / (time.perf_counter() - start)


def cli_rate(samples: int, epochs: int) -> float:
    """Samples/s that `nnviz train` prints for the benchmark project, run as a user runs it."""
    from nnviz.core.document import save_project

    folder = Path(tempfile.mkdtemp(prefix="nnviz-bench-cli-"))
    save_project(benchmark_project(samples=samples), folder / "project.nnviz")
    command = [sys.executable, "-m", "nnviz", "train", str(folder / "project.nnviz"), "--epochs", str(epochs)]
    out = subprocess.run(
        [*command, "-o", str(folder / "trained.nnviz")], capture_output=True, text=True, check=True
    )
    return float(next(line for line in out.stdout.splitlines() if line.startswith("samples/s:")).split()[-1])


def window_run(seconds: float, samples: int):
    """(tick intervals in ms, window samples/s, snapshots received, redraws/s, training data, network)."""
    from PySide6.QtCore import QEventLoop, QTimer

    probe = open_training_window(samples=samples)
    training, timer = probe.training, probe.timer
    network = probe.network
    ticks, samples = probe.ticks, probe.samples
    warm_up = 1.0  # the first second (first drawing of every view) is not measured

    def begin() -> None:
        ticks.clear()
        samples.clear()
        probe.redraws.clear()
        timer.start(TICK_MS)

    # A local loop, not app.exec()/app.quit(): since Qt 6 quit() first closes every window, which asks the
    # "unsaved changes?" question mid-run and blocks forever offscreen.
    loop = QEventLoop()
    training.controller.start()
    QTimer.singleShot(int(warm_up * 1000), begin)
    QTimer.singleShot(int((warm_up + seconds) * 1000), loop.quit)
    loop.exec()
    data = training.data
    probe.close()
    intervals = np.diff(ticks) * 1000.0
    (t0, s0), (t1, s1) = samples[0], samples[-1]
    redraws_per_s = len(probe.redraws) / seconds
    return intervals, (s1 - s0) / (t1 - t0), len(samples), redraws_per_s, data, network


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 3 s smoke run")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured training time in the window")
    parser.add_argument(
        "--samples", type=int, default=6000, help="font digits generated (60000: MNIST-sized)"
    )
    parser.add_argument("--cli-epochs", type=int, default=3, help="epochs of the `nnviz train` run")
    args = parser.parse_args(argv)
    seconds = 3.0 if args.quick else args.seconds
    intervals, window_rate, snapshots, redraws_per_s, data, network = window_run(seconds, args.samples)
    headless = [headless_rate(network, data, min(seconds, 4.0)) for _ in range(2)]
    headless_mean = float(np.mean(headless))
    cli = cli_rate(args.samples, 1 if args.quick else args.cli_epochs)
    print(
        json.dumps(
            {
                "case": "main_window_training_784-16-16-10",
                "samples": args.samples,
                "seconds": seconds,
                "tick_ms": TICK_MS,
                "ticks": len(intervals) + 1,
                "max_interval_ms": round(float(intervals.max()), 2),
                "p99_interval_ms": round(float(np.percentile(intervals, 99)), 2),
                "median_interval_ms": round(float(np.median(intervals)), 2),
                "snapshots": snapshots,
                "redraws_per_s": round(redraws_per_s, 1),
                "window_samples_per_s": round(window_rate),
                "headless_samples_per_s": round(headless_mean),
                "headless_runs": [round(h) for h in headless],
                "ratio_window_to_headless": round(window_rate / headless_mean, 3),
                "nnviz_train_samples_per_s": round(cli),
                "ratio_window_to_nnviz_train": round(window_rate / cli, 3),
                "targets": {"max_interval_ms": 50, "p99_interval_ms": 20, "ratio": 0.8},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
