"""What one training snapshot costs to cross from the training process to the GUI, by network size: the
parameters pickled into the pipe message (as before) against shared memory
(nnviz/app/training/shared_parameters.py: the process writes the block, the message carries its name, the
relay thread copies the arrays out).

Times the work of both sides in one process, median of `--repeats`; prints one JSON object per size:

    python benchmarks/bench_snapshot.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import time

from nnviz.app.training.protocol import Snapshot
from nnviz.app.training.shared_parameters import ParameterReader, ParameterWriter
from nnviz.core.network import Network

SIZES = {
    "13k": [784, 16, 16, 10],
    "109k": [784, 128, 64, 10],
    "1.9M": [784, 1024, 1024, 10],
    "14.2M": [784, 2048, 4096, 1024, 10],
}


def median_ms(action, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    for label, sizes in SIZES.items():
        net = Network.create(sizes, seed=0)
        snap = Snapshot(net.weights, net.biases, epoch=1, step=1, samples_seen=1, batch_loss=0.1)
        writer, reader = ParameterWriter(), ParameterReader()
        pickled = median_ms(lambda snap=snap: pickle.loads(pickle.dumps(snap)), args.repeats)
        shared = median_ms(
            lambda snap=snap, w=writer, r=reader: r.fill(pickle.loads(pickle.dumps(w.stow(snap)))),
            args.repeats,
        )
        message = len(pickle.dumps(writer.stow(snap)))
        reader.close()
        writer.close()
        print(json.dumps({"parameters": net.n_parameters, "size": label, "pickled_ms": pickled,
                          "shared_memory_ms": shared, "message_bytes": message}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
