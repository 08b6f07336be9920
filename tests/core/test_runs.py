"""Training runs and their checkpoints: log-spaced within a budget, exact on read-back, damage reported."""

import base64
import json
import zlib

import numpy as np
import pytest

from nnviz.core.document import DocumentError, load_project, parse_project, project_to_json, save_project
from nnviz.core.examples import load_example
from nnviz.core.network import Network
from nnviz.core.runs import (
    MAX_CHECKPOINTS,
    CheckpointRecorder,
    Run,
    RunError,
    decode,
    encode,
    flat_parameters,
    parameter_shapes,
)


def _net(epoch: float = 0.0) -> Network:
    """A 3-4-2 network whose every parameter tells the epoch it belongs to."""
    net = Network.create([3, 4, 2], activation="tanh", output_activation="identity", seed=0)
    for p in net.weights + net.biases:
        p[...] = epoch + np.arange(p.size).reshape(p.shape) / 1000
    return net


def test_the_budget_holds_over_20000_epochs_with_early_epochs_dense_and_later_ones_log_spaced():
    recorder = CheckpointRecorder(_net())
    for epoch in range(1, 20_001):
        recorder.offer(epoch, _net(epoch))
        assert len(recorder.kept) < MAX_CHECKPOINTS
    epochs = [c.epoch for c in recorder.finish(20_000, _net(20_000))]
    assert len(epochs) <= MAX_CHECKPOINTS
    assert epochs == sorted(set(epochs))
    assert epochs[:10] == list(range(1, 11))  # the first epochs, where the network changes most
    assert epochs[-1] == 20_000  # the last epoch, always
    ratios = np.array(epochs[11:-1]) / np.array(epochs[10:-2])
    assert ratios.max() < 1.2  # evenly spread on a log scale: no long gap anywhere
    assert len(epochs) > MAX_CHECKPOINTS // 3  # and the budget is used, not thrown away


def test_the_byte_budget_limits_a_large_network():
    net = Network.create([784, 1024, 10], seed=0)  # 814,090 parameters: 3.3 MB each at float32
    recorder = CheckpointRecorder(net, max_bytes=32 * 1024 * 1024)
    for epoch in range(1, 60):
        recorder.offer(epoch, net)
    kept = recorder.finish(59, net)
    assert len(kept) * 4 * net.n_parameters <= 32 * 1024 * 1024


def test_a_checkpoint_reads_back_exactly_the_parameters_saved(tmp_path):
    recorder = CheckpointRecorder(_net())
    for epoch in range(1, 31):
        recorder.offer(epoch, _net(epoch))
    net = _net()
    run = Run(
        "run 1", [a.to_json() for a in net.activations], parameter_shapes(net), recorder.finish(30, _net(30))
    )
    project = load_example("classic")
    project.runs = [run]
    save_project(project, tmp_path / "p.nnviz")
    back = load_project(tmp_path / "p.nnviz").runs[0]
    assert back.epochs == run.epochs
    for i, epoch in enumerate(back.epochs):
        expected = _net(epoch)
        got = back.network_at(i)
        for a, b in zip(got.weights + got.biases, expected.weights + expected.biases, strict=True):
            np.testing.assert_array_equal(a, b.astype(np.float32))
    assert back.network_at(0).describe() == net.describe()


def _project_with_a_run() -> dict:
    net = _net(1.0)
    run = Run("first", [a.to_json() for a in net.activations], parameter_shapes(net))
    recorder = CheckpointRecorder(net)
    for epoch in (1, 2, 3):
        recorder.offer(epoch, _net(epoch))
    run.checkpoints = recorder.finish(3, _net(3))
    project = load_example("classic")
    project.runs = [run]
    return json.loads(json.dumps(project_to_json(project)))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda s: s[:-8], "damaged"),
        (lambda s: "!!" + s, "damaged"),
        (lambda s: base64.b64encode(zlib.compress(b"\0" * 4)).decode(), "1 numbers where"),
        (lambda s: 5, "base64"),
    ],
)
def test_a_damaged_checkpoint_is_left_out_with_its_path_and_the_rest_loads(damage, reason):
    obj = _project_with_a_run()
    block = obj["runs"][0]["checkpoints"][1]
    block["parameters"] = damage(block["parameters"])
    project = parse_project(json.dumps(obj).encode(), "p.nnviz")
    assert project.runs[0].epochs == [1, 3]
    assert len(project.warnings) == 1
    assert project.warnings[0].startswith("runs[0].checkpoints[1]: ")
    assert reason in project.warnings[0]


def test_a_checkpoint_that_inflates_beyond_its_shapes_is_refused_without_inflating_it():
    bomb = base64.b64encode(zlib.compress(b"\0" * 50_000_000)).decode()  # 50 MB from ~50 kB
    with pytest.raises(RunError, match="more than 26 numbers"):
        decode(bomb, 26)


def test_non_finite_parameters_are_damage():
    with pytest.raises(RunError, match="finite"):
        decode(encode(np.array([1.0, np.nan])), 2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda run: run.update(shapes=[[4, 3]]), "shapes"),
        (lambda run: run.update(activations=["tanh"]), "activations"),
        (lambda run: run.update(activations=["nope", "identity"]), "runs\\[0\\]"),
        (lambda run: run.update(name=""), "name"),
    ],
)
def test_a_run_that_does_not_describe_a_network_is_refused_naming_it(change, message):
    obj = _project_with_a_run()
    change(obj["runs"][0])
    with pytest.raises(DocumentError, match=message):
        parse_project(json.dumps(obj).encode(), "p.nnviz")


def test_files_without_runs_load_and_are_written_as_before():
    project = load_example("classic")
    assert project.runs == []
    assert "runs" not in project_to_json(project)


def test_flat_parameters_are_float32_in_layer_order():
    net = _net(2.0)
    flat = flat_parameters(net)
    assert flat.dtype == np.float32
    assert flat.size == net.n_parameters
    np.testing.assert_array_equal(flat[: net.weights[0].size], net.weights[0].ravel().astype(np.float32))


def test_a_checkpoint_is_encoded_once_however_often_the_project_is_written(monkeypatch):
    from nnviz.core import runs

    recorder = CheckpointRecorder(_net())
    for epoch in range(1, 4):
        recorder.offer(epoch, _net(epoch))
    project = load_example("classic")
    checkpoints = recorder.finish(3, _net(3))
    project.runs = [Run("run 1", ["sigmoid", "sigmoid"], parameter_shapes(_net()), checkpoints)]
    calls = []
    real = runs.encode
    monkeypatch.setattr(runs, "encode", lambda p: calls.append(1) or real(p))
    first = project_to_json(project)
    assert len(calls) == 3
    assert project_to_json(project) == first  # the same text, not encoded again
    assert len(calls) == 3
