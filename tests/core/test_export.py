"""Exports read back identically: NPZ arrays, history CSV rows, and ONNX outputs under onnxruntime."""

import csv

import numpy as np
import pytest

from nnviz.core import export
from nnviz.core.network import Network

ACTIVATIONS = [
    "identity",
    "tanh",
    "relu",
    "softplus",
    "softsign",
    "swish",
    {"name": "sigmoid", "slope": 2.5},
    "sigmoid",
    {"name": "leaky_relu", "alpha": 0.2},
    "step",
]


def _batch(n_in):
    return np.random.default_rng(7).normal(scale=2.0, size=(9, n_in))


def test_weights_npz_round_trip(tmp_path):
    net = Network.create([3, 5, 2], activation="tanh", seed=0)
    path = tmp_path / "w.npz"
    export.save_weights_npz(net, path)
    data = np.load(path)
    assert list(data["sizes"]) == [3, 5, 2]
    assert list(data["activations"]) == ["tanh", "tanh"]
    for k in range(2):
        np.testing.assert_array_equal(data[f"W{k}"], net.weights[k])
        np.testing.assert_array_equal(data[f"b{k}"], net.biases[k])


def test_history_csv_has_one_row_per_epoch_and_blank_for_missing(tmp_path):
    path = tmp_path / "h.csv"
    export.save_history_csv({"loss": [0.5, 0.25], "test_loss": [None, 0.125]}, path)
    rows = list(csv.reader(path.open()))
    assert rows == [["loss", "test_loss"], ["0.5", ""], ["0.25", "0.125"]]


def test_a_note_kept_in_the_history_is_not_a_column():
    assert export.history_csv_text({"loss": [0.5], "note": "run on Tuesday"}) == "loss\n0.5\n"


@pytest.mark.parametrize("history", [{}, {"note": 5}])
def test_empty_history_is_refused(history):
    with pytest.raises(export.ExportError, match="no training history"):
        export.history_csv_text(history)


@pytest.mark.parametrize("hidden", ACTIVATIONS, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_onnx_matches_nnviz(hidden, dtype):
    ort = pytest.importorskip("onnxruntime")
    net = Network.create([4, 6, 5, 3], activation=hidden, output_activation="softmax", seed=3)
    model = export.onnx_model(net, dtype)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = _batch(4)
    (y,) = session.run(["y"], {"x": x.astype(dtype)})
    tol = 1e-12 if dtype is np.float64 else 1e-5
    np.testing.assert_allclose(y, net.forward(x), rtol=tol, atol=tol)


def test_onnx_file_written(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    net = Network.create([2, 3, 1], activation="relu", output_activation="identity", seed=0)
    path = tmp_path / "m.onnx"
    export.save_onnx(net, path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = _batch(2)
    np.testing.assert_allclose(session.run(None, {"x": x.astype(np.float32)})[0], net.forward(x), rtol=1e-5)


def test_onnx_takes_raw_inputs_when_the_network_was_trained_on_scaled_ones():
    """A network trained with --normalize standard answers raw inputs in ONNX as `nnviz forward` does."""
    ort = pytest.importorskip("onnxruntime")
    from nnviz.core.scaling import Scaler

    net = Network.create([3, 4, 2], activation="tanh", output_activation="identity", seed=1)
    raw = _batch(3) * 50.0 + 7.0
    scaler = Scaler.fit(raw, "standard")
    model = export.onnx_model(net, np.float64, scaler)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    (y,) = session.run(["y"], {"x": raw})
    np.testing.assert_allclose(y, net.forward(scaler.transform(raw)), rtol=1e-12, atol=1e-12)
    assert not np.allclose(y, net.forward(raw))  # the scaling matters for these inputs
