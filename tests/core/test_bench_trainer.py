"""The trainer benchmark's smoke test: `--quick` runs one tiny case and prints the documented JSON keys.

No timing is asserted here; speed is read from the benchmark's own output (docs/performance.md).
"""

import importlib.util
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.peers

KEYS = {
    "shape", "batch_size", "dtype", "threads", "samples", "rounds", "nnviz", "torch", "torch_float32",
    "ratio_vs_torch_float32", "target", "meets_target", "sklearn", "ratio_vs_sklearn",
}  # fmt: skip


def load_benchmark():
    path = Path(__file__).parents[2] / "benchmarks" / "bench_trainer.py"
    spec = importlib.util.spec_from_file_location("bench_trainer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quick_run_prints_one_json_line_with_every_key(capsys):
    pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    assert load_benchmark().main(["--quick"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert set(row) == KEYS
    assert (row["shape"], row["batch_size"], row["dtype"]) == ("2-8-8-1", 32, "float64")
    assert all(row[k] > 0 for k in ("nnviz", "torch", "torch_float32", "sklearn"))
    assert row["ratio_vs_torch_float32"] == pytest.approx(row["nnviz"] / row["torch_float32"], rel=1e-2)
