"""A million-weight network in the real window: one frame of a weight-slider drag, and the GUI thread's work
per training snapshot (issue 14's 784-1024-1024-10 targets: a slider frame < 33 ms).

Opens the main window (offscreen, 1366x768) on a 784-1024-1024-10 project with MNIST-shaped data (6,000
generated images: health and the views sample them, so more rows change nothing here), then:
- slider: a drag of one weight, one edit every 33 ms (30 a second) as one undo step; per edit, the time from
  the edit to its frame painted (the edit, one pass of the event loop, a repaint), in wall time and in the
  GUI thread's CPU time (what a loaded machine leaves comparable); and the longest gap of a 5 ms timer during
  the drag, which also counts work the edits left for later turns (health, re-renders);
- snapshot: a training snapshot delivered as the relay thread delivers one (every weight moved a little,
  with its forward pass of the input shown), then the event loop run until the canvas has drawn it; the GUI
  thread's CPU time (`time.thread_time`, so the background edge render is not counted).

`--network 784-16-16-10` measures another network (the snapshot's cost at 13k, 109k, 1.86M and 14.2M
parameters: 784-16-16-10, 784-128-64-10, the default, 784-2048-4096-1024-10).

`--before TREE` also runs the same cases on another source tree (e.g. `git archive <commit>` unpacked), in
alternating rounds, and prints each median with the ratio before / after: figures from one run on the same
machine minutes apart, which is what a loaded machine allows (docs/performance.md).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_large_network.py [--rounds 2] [--network N-N-N]
        [--before TREE]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [784, 1024, 1024, 10]
SAMPLES = 6_000


def make_project(folder: Path, sizes: list[int]) -> Path:
    import numpy as np

    from nnviz.core.document import Project, save_project
    from nnviz.core.network import Network

    rng = np.random.default_rng(0)
    x = np.where(rng.random((SAMPLES, 784), dtype=np.float32) < 0.2, 1.0, 0.0).astype(np.float32)
    np.savez(folder / "data.npz", X=x, y=rng.integers(0, 10, SAMPLES))
    net = Network.create(sizes, activation="sigmoid", output_activation="softmax", seed=1)
    ref = {"kind": "file", "path": str(folder / "data.npz"), "task": "classification"}
    path = folder / "large.nnviz"
    save_project(Project(net, None, ref, None, None), path)
    return path


class WindowBench:
    """The real window on the large project, with an event loop to idle in between measurements."""

    def __init__(self, sizes: list[int]) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        folder = Path(tempfile.mkdtemp(prefix="nnviz-bench-large-"))
        os.environ["XDG_DATA_HOME"] = str(folder / "data")  # no recovery offer from another run
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication

        project = make_project(folder, sizes)
        self.app = QApplication(sys.argv[:1])
        self.loop = QEventLoop()
        from nnviz.app import main as app_main

        self.window = app_main.start(str(project))
        self.window.resize(1366, 768)
        self.canvas, self.session = self.window.canvas, self.window.session
        while self.canvas.layout_geometry is None or not self.window.isVisible():
            self.settle(0.05)
        self.wait_for_edges()
        self.settle(1.0)

    def settle(self, seconds: float) -> None:
        """Run the event loop for `seconds`, idle in it (no CPU spent polling)."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(round(seconds * 1000), self.loop.quit)
        self.loop.exec()

    def wait_for_edges(self) -> None:
        """Run the event loop until the canvas has its edge image for the weights shown."""
        while self.canvas.rendering:
            self.settle(0.2)

    def slider(self, edits: int) -> dict:
        import numpy as np
        from PySide6.QtCore import QTimer

        from nnviz.app.selection import Selection

        self.session.set_selection(Selection.edge(1, 3, 5))
        self.settle(0.3)
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        frames, frame_cpu = [], []
        gesture = object()
        timer.start()
        for n in range(edits):
            start, cpu_start = time.perf_counter(), time.thread_time()
            self.session.edit_weight(1, 3, 5, 0.01 * (n + 1), gesture)
            self.app.processEvents()
            self.canvas.repaint()
            frames.append((time.perf_counter() - start) * 1000)
            frame_cpu.append((time.thread_time() - cpu_start) * 1000)
            self.settle(max(0.0, 0.033 - (time.perf_counter() - start)))
        self.settle(0.5)  # the trailing health update and re-render
        timer.stop()
        return {
            "slider_frame_ms": statistics.median(frames),
            "slider_frame_max_ms": max(frames),
            "slider_frame_gui_cpu_ms": statistics.median(frame_cpu),
            "slider_longest_gap_ms": float(np.diff(ticks).max() * 1000),
        }

    def snapshots(self, count: int) -> dict:
        import numpy as np

        try:
            from nnviz.app.training.protocol import Snapshot
        except ImportError:  # a tree from before the protocol module
            from nnviz.app.training.engine import Snapshot
        rng = np.random.default_rng(1)
        cpu = []
        for n in range(count):
            net = self.session.network
            weights = [w + rng.normal(0, 1e-3, w.shape) for w in net.weights]
            biases = [b + 1e-3 for b in net.biases]
            # as the relay thread delivers a paused run's last snapshot (drawn at once, not at a redraw)
            snap = Snapshot(weights, biases, n, n, n, None, commands_applied=10**9)
            shown = getattr(self.session, "shown", None)  # None: a tree whose GUI thread makes the pass
            if shown is not None:  # the relay thread's part, not timed: the forward pass of the input shown
                snap = dataclasses.replace(snap, shown_trace=shown.trace(weights, biases))
            start = time.thread_time()
            self.window.training.controller.snapshot_ready.emit(snap)
            self.app.processEvents()
            self.wait_for_edges()
            self.app.processEvents()
            self.canvas.repaint()
            cpu.append((time.thread_time() - start) * 1000)
            self.settle(0.2)
        return {"snapshot_gui_cpu_ms": statistics.median(cpu)}

    def close(self) -> None:
        self.session.undo_stack.setClean()
        self.window.close()


def measure(sizes: list[int], edits: int, snapshots: int) -> dict:
    """Both cases in this process, on the source tree it imports nnviz from."""
    bench = WindowBench(sizes)
    try:
        return {**bench.slider(edits), **bench.snapshots(snapshots)}
    finally:
        bench.close()


def run_child(tree: str | None, network: str, edits: int, snapshots: int) -> dict:
    env = dict(os.environ)
    if tree:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (tree, env.get("PYTHONPATH")) if p)
    args = [sys.executable, __file__, "--child", "--network", network]
    args += ["--edits", str(edits), "--snapshots", str(snapshots)]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True, cwd=tempfile.gettempdir())
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each tree, alternating")
    parser.add_argument("--network", default="-".join(map(str, SIZES)), help="layer sizes, e.g. 784-16-16-10")
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--snapshots", type=int, default=5)
    parser.add_argument("--before", help="another source tree to compare with (its nnviz/ is imported)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sizes = [int(n) for n in args.network.split("-")]
        print(json.dumps(measure(sizes, args.edits, args.snapshots)), flush=True)
        return 0
    trees = {"after": None, **({"before": args.before} if args.before else {})}
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            runs[name].append(run_child(tree, args.network, args.edits, args.snapshots))
    for case in runs["after"][0]:
        figures = {
            name: round(statistics.median(r[case] for r in results), 1) for name, results in runs.items()
        }
        if "before" in figures:
            figures["before_over_after"] = round(figures["before"] / max(figures["after"], 1e-9), 2)
        print(json.dumps({"case": case, "network": args.network, **figures}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
