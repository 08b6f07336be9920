"""Load a generated ~100 MB CSV with nnviz and, with --peers, np.loadtxt / the csv module / pandas.

Each case runs in a fresh subprocess so its peak RSS is its own. Prints one JSON object per case:
seconds, peak RSS growth over the interpreter's baseline, tracemalloc peak, and both as ratios to the size
of the resulting float64 arrays (the goal: peak < 3x).

    python benchmarks/bench_csv_load.py [--mb 100] [--peers]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

COLUMNS = 10  # 9 features + 1 target


def generate(path: Path, megabytes: float, seed: int = 0) -> None:
    """Random floats written block by block, so generating does not itself need the whole table."""
    rng = np.random.default_rng(seed)
    target = megabytes * 1e6
    with open(path, "w") as out:
        out.write(",".join([f"f{i}" for i in range(COLUMNS - 1)] + ["target"]) + "\n")
        while out.tell() < target:
            block = rng.normal(size=(20000, COLUMNS))
            np.savetxt(out, block, delimiter=",", fmt="%.6f")


CASE = """
import json, resource, sys, time, tracemalloc
import numpy as np
path, how = sys.argv[1], sys.argv[2]
def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if how == "nnviz":
    from nnviz.core.datasets.files import load_csv
    load = lambda: (lambda d: (d.x, d.y))(load_csv(path, "target"))
elif how == "loadtxt":
    load = lambda: (np.loadtxt(path, delimiter=",", skiprows=1),)
elif how == "csv_module":
    import csv
    def load():
        with open(path, newline="") as f:
            rows = csv.reader(f)
            next(rows)
            return (np.array([list(map(float, row)) for row in rows]),)
else:
    import pandas
    load = lambda: (pandas.read_csv(path).to_numpy(),)
base = rss_mb()
trace = "--tracemalloc" in sys.argv
if trace:
    tracemalloc.start()
start = time.perf_counter()
arrays = load()
seconds = time.perf_counter() - start
peak_traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
result_mb = sum(a.nbytes for a in arrays) / 2**20
print(json.dumps({"case": f"csv_load_{how}", "seconds": round(seconds, 3), "result_mb": round(result_mb, 1),
    "peak_rss_growth_mb": round(rss_mb() - base, 1),
    "peak_rss_ratio": round((rss_mb() - base) / result_mb, 2),
    "tracemalloc_peak_mb": None if peak_traced is None else round(peak_traced, 1),
    "tracemalloc_ratio": None if peak_traced is None else round(peak_traced / result_mb, 2),
    "rows": int(arrays[0].shape[0])}))
"""


def run_case(path: Path, how: str, tracemalloc: bool = False) -> None:
    argv = [sys.executable, "-c", CASE, str(path), how] + (["--tracemalloc"] if tracemalloc else [])
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    print(done.stdout.strip() or json.dumps({"case": f"csv_load_{how}", "error": done.stderr[-300:]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=100.0, help="CSV size to generate, in megabytes")
    parser.add_argument("--peers", action="store_true", help="also time np.loadtxt, csv, pandas")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.csv"
        generate(path, args.mb)
        print(json.dumps({"case": "csv_generated", "megabytes": round(path.stat().st_size / 1e6, 1)}))
        run_case(path, "nnviz")
        run_case(path, "nnviz", tracemalloc=True)
        if args.peers:
            run_case(path, "loadtxt")
            run_case(path, "csv_module")
            run_case(path, "pandas")


if __name__ == "__main__":
    main()
