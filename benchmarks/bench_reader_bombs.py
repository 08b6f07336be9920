"""Small files that declare huge sizes, through the readers: time and memory to refuse (or read) each one.

Each case runs in a fresh subprocess, so its peak RSS is its own; prints one JSON object per case with the
file's size, the outcome (the error's last 100 characters, or "loaded"), seconds and the tracemalloc peak
(NumPy reports its arrays to tracemalloc). The goal: a refused size costs well under a second
and a few MB; a reader allocates at most about twice what it keeps.

    python benchmarks/bench_reader_bombs.py [--cases NAME,...]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

MB = 1 << 20


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def _zip_bomb(path: Path) -> None:
    """X declares 8 GiB of float64 zeros (8 MiB of them written, then a deflated stream of zeros)."""
    rows = 1 << 20
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("X.npy", "w", force_zip64=True) as f,
    ):
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(
            header, {"descr": "<f8", "fortran_order": False, "shape": (rows, 1024)}
        )
        f.write(header.getvalue())
        zeros = bytes(MB)
        for _ in range(8):  # enough to show the header is refused before any data is read
            f.write(zeros)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("y.npy", _npy(np.zeros(rows, dtype=np.int64)))


def _cases(folder: Path) -> dict[str, tuple[str, str]]:
    """name -> (path, reader expression over `path`)."""
    cases: dict[str, tuple[str, str]] = {}

    def add(name: str, filename: str, data: bytes | None, reader: str) -> None:
        path = folder / filename
        if data is not None:
            path.write_bytes(data)
        cases[name] = (str(path), reader)

    add(
        "csv label 5 MB",
        "label.csv",
        b"x,label\n1,a\n2," + b"b" * (5 * MB) + b"\n",
        "load_csv(path, 'label')",
    )
    add(
        "csv 20,000 classes (200 KB)",
        "classes.csv",
        ("x,label\n" + "".join(f"{i},c{i}\n" for i in range(20_000))).encode(),
        "load_csv(path, 'label')",
    )
    add("csv one 100 MB line", "line.csv", b"a,y\n" + b"1" * (100 * MB), "load_csv(path, 'y')")
    add("csv header 100 MB", "header.csv", b"a" * (100 * MB), "load_csv(path, 'y')")
    add("import preview 50 MB line", "preview.csv", b"1," * (25 * MB), "read_preview(path)")
    add(
        "inline label 10,000,000",
        "inline.json",
        None,
        "reference_to_dataset({'kind': 'inline', 'task': 'classification', 'x': [[0], [1], [2], [3]],"
        " 'y': [0, 10000000, 1, 0]})",
    )
    _zip_bomb(folder / "bomb.npz")
    add("npz zip bomb (8 GiB declared)", "bomb.npz", None, "load_npz(path)")
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 10**6)}
    )
    with zipfile.ZipFile(folder / "claims.npz", "w") as archive:
        archive.writestr("X.npy", header.getvalue())
        archive.writestr("y.npy", _npy(np.zeros(3)))
    add("npz header 10^12 elements", "claims.npz", None, "load_npz(path)")
    add(
        "idx header 10^12 elements",
        "big-images-idx3-ubyte",
        b"\0\0\x08\x03" + np.array([10**6, 1000, 1000], ">u4").tobytes(),
        "load_idx(path)",
    )
    layers = [{"size": 2}, {"size": 1_000_000, "activation": "tanh"}, {"size": 1, "activation": "tanh"}]
    head = json.dumps({"format": "nnviz", "version": 1, "network": {"layers": layers}})[:-2]
    add(
        "project declaring a 1,000,000-neuron layer (60 MB)",
        "wide.nnviz",
        (head + ', "weights": [' + ",".join(["[0.5,0.5]"] * 6_000_000) + '], "biases": []}}').encode(),
        "load_project(path)",
    )
    deep = [{"size": 2}] + [{"size": 2, "activation": "tanh"}] * 19_999
    add(
        "project of 20,000 layers",
        "deep.nnviz",
        json.dumps(
            {"format": "nnviz", "version": 1, "network": {"layers": deep, "weights": [], "biases": []}}
        ).encode(),
        "load_project(path)",
    )
    sparse = folder / "sparse.csv"
    with open(sparse, "wb") as f:
        f.truncate(20 << 30)
    for reader in (
        "load_csv(path, 'y')",
        "load_npz(path)",
        "load_idx(path)",
        "load_project(path)",
        "read_preview(path)",
    ):
        cases[f"sparse 20 GB: {reader.split('(')[0]}"] = (str(sparse), reader)
    fifo = folder / "fifo.csv"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
        for reader in ("load_csv(path, 'y')", "load_project(path)", "read_preview(path)"):
            cases[f"FIFO: {reader.split('(')[0]}"] = (str(fifo), reader)
    for reader in ("load_csv(path, 'y')", "load_npz(path)"):
        cases[f"/dev/zero: {reader.split('(')[0]}"] = ("/dev/zero", reader)
    rng = np.random.default_rng(0)
    np.savez_compressed(
        folder / "valid.npz", X=rng.normal(size=(100_000, 50)), y=rng.integers(0, 10, 100_000)
    )
    cases["valid NPZ 100,000 x 50 (kept 40 MB)"] = (str(folder / "valid.npz"), "load_npz(path)")
    return cases


CASE = """
import json, sys, time, tracemalloc
from nnviz.app.dialogs.csv_import import read_preview
from nnviz.core.dataset_ref import reference_to_dataset
from nnviz.core.datasets.files import load_csv, load_idx, load_npz
from nnviz.core.document import load_project
path, expression = sys.argv[1], sys.argv[2]
tracemalloc.start()
start = time.perf_counter()
try:
    result = eval(expression)
    outcome = "loaded"
except Exception as e:
    outcome = f"{type(e).__name__}: {str(e)[-100:]}"
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"seconds": round(seconds, 4), "tracemalloc_peak_mb": round(peak / 2**20, 2),
                  "outcome": outcome}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", help="comma-separated names (substrings) to run; default all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases = _cases(Path(folder))
        for name, (path, reader) in cases.items():
            if args.cases and not any(part in name for part in args.cases.split(",")):
                continue
            size = os.stat(path).st_size if Path(path).is_file() else None
            try:
                run = subprocess.run(
                    [sys.executable, "-c", CASE, path, reader],
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=False,
                )
                result = json.loads(run.stdout) if run.returncode == 0 else {"error": run.stderr[-300:]}
            except subprocess.TimeoutExpired:
                result = {"outcome": "timed out after 120 s"}
            print(json.dumps({"case": name, "file_bytes": size, **result}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
