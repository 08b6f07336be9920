"""Training replay export speed (File ▸ Export ▸ Training replay…, `nnviz replay`): frames per second written,
painting and encoding included, for GIF and MP4 at two sizes. The run is synthetic: 2-8-8-1 on the spiral set
(with its decision map in every frame) and 784-16-16-10 (font_digits, the weight images), 40 checkpoints each.
Prints one JSON object per case:

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_replay.py [--frames 40]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from synthetic_run import with_run

from nnviz.app.files.render import ensure_gui_app
from nnviz.app.files.replay import replay_to_file
from nnviz.core.datasets.builtin import make_dataset
from nnviz.core.examples import load_example
from nnviz.core.network import Network


def spiral():
    project = load_example("xor")
    project.network = Network.create([2, 8, 8, 1], "tanh", "sigmoid", seed=0)
    return project, make_dataset("spiral", seed=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40)
    args = parser.parse_args()
    ensure_gui_app()
    spiral_project, spiral_data = spiral()
    cases = [
        ("2-8-8-1 spiral", with_run(spiral_project, args.frames), spiral_data),
        ("784-16-16-10", with_run(load_example("font_digits"), args.frames), None),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, project, data in cases:
            for suffix in (".gif", ".mp4"):
                for width, height in ((640, 360), (1280, 720)):
                    out = Path(folder) / f"replay{suffix}"
                    start = time.perf_counter()
                    frames = replay_to_file(project, project.runs[0], out, 10, width, height, data)
                    seconds = time.perf_counter() - start
                    print(json.dumps({
                        "network": name, "format": suffix[1:], "size": f"{width}x{height}", "frames": frames,
                        "frames_per_second": round(frames / seconds, 1), "bytes": out.stat().st_size,
                    }))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
