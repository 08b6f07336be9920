"""`nnviz export FILE -o OUT.onnx|OUT.npz|OUT.csv`: what File > Export writes, headless.

The ONNX model is checked against `nnviz forward` under onnxruntime for every activation (hidden layers) and
every output kind, with and without the project's input scaling.
"""

import json

import numpy as np
import pytest

from nnviz.core.activations import KINDS
from nnviz.core.document import Project, load_project, save_project
from nnviz.core.export import history_csv_text
from nnviz.core.network import Network
from nnviz.core.scaling import Scaler
from tests.cli.test_cli import assert_one_line_error, run

HIDDEN = [name for name in KINDS if name != "softmax"] + [
    {"name": "sigmoid", "slope": 2.5},
    {"name": "leaky_relu", "alpha": 0.2},
]
OUTPUTS = ["identity", "sigmoid", "softmax", "tanh", "relu"]
INPUTS = [[0.05, 0.10, -0.3], [2.0, -1.5, 0.25], [-3.0, 0.0, 7.0]]


def write_project(tmp_path, hidden, output, scaler=None, history=None):
    net = Network.create([3, 5, 4, 3], hidden, output, seed=11)
    path = tmp_path / "net.nnviz"
    save_project(Project(net, scaler=scaler, history=history), path)
    return path


def forward_outputs(capsys, path):
    rows = []
    for x in INPUTS:
        code, out, err = run(capsys, "forward", path, "--input=" + ",".join(map(str, x)), "--json")
        assert code == 0, err
        rows.append(json.loads(out)["output"])
    return np.array(rows)


def onnx_outputs(path, dtype):
    ort = pytest.importorskip("onnxruntime")
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["y"], {"x": np.array(INPUTS, dtype=dtype)})[0]


@pytest.mark.parametrize(
    ("hidden", "output"),
    [(h, "sigmoid") for h in HIDDEN] + [("tanh", o) for o in OUTPUTS],
    ids=lambda spec: spec if isinstance(spec, str) else "-".join(map(str, spec.values())),
)
def test_onnx_export_equals_forward_under_onnxruntime(tmp_path, capsys, hidden, output):
    pytest.importorskip("onnx")  # in the test extra: CI checks it is installed, so these run there
    project = write_project(tmp_path, hidden, output)
    model = tmp_path / "model.onnx"
    code, out, err = run(capsys, "export", project, "-o", model, "--dtype", "float64")
    assert (code, err) == (0, "")
    assert out == f"wrote {model}\n"
    np.testing.assert_allclose(onnx_outputs(model, np.float64), forward_outputs(capsys, project), atol=1e-12)


def test_onnx_export_takes_raw_inputs_and_float32_by_default(tmp_path, capsys):
    pytest.importorskip("onnx")
    scaler = Scaler("standard", np.array([1.0, -2.0, 0.5]), np.array([2.0, 0.5, 4.0]))
    project = write_project(tmp_path, "relu", "softmax", scaler=scaler)
    model = tmp_path / "model.onnx"
    assert run(capsys, "export", project, "-o", model)[0] == 0
    ours = onnx_outputs(model, np.float32)
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, forward_outputs(capsys, project), atol=1e-6)


def test_npz_export_holds_the_weights_and_biases(tmp_path, capsys):
    project = write_project(tmp_path, "tanh", "sigmoid")
    out = tmp_path / "weights.npz"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    net = load_project(project).network
    with np.load(out) as stored:
        assert stored["sizes"].tolist() == net.sizes
        for k, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
            np.testing.assert_array_equal(stored[f"W{k}"], w)
            np.testing.assert_array_equal(stored[f"b{k}"], b)


def test_csv_export_is_the_training_history(tmp_path, capsys):
    history = {"loss": [0.7, 0.5, 0.25], "accuracy": [0.5, 0.75, None]}
    project = write_project(tmp_path, "tanh", "sigmoid", history=history)
    out = tmp_path / "history.csv"
    assert run(capsys, "export", project, "-o", out)[0] == 0
    assert out.read_text() == history_csv_text(history)
    assert out.read_text().splitlines()[:2] == ["loss,accuracy", "0.7,0.5"]


@pytest.mark.parametrize(
    ("target", "history", "message"),
    [
        ("out.txt", None, "the name must end in .onnx, .npz, .csv"),
        ("out.csv", None, "no training history to export yet"),
        ("missing-folder/out.npz", None, "does not exist"),
    ],
)
def test_export_errors_are_one_line(tmp_path, capsys, target, history, message):
    project = write_project(tmp_path, "tanh", "sigmoid", history=history)
    code, out, err = run(capsys, "export", project, "-o", tmp_path / target)
    assert_one_line_error(code, out, err)
    assert message in err


def test_export_of_a_missing_project_is_one_line(tmp_path, capsys):
    code, out, err = run(capsys, "export", tmp_path / "nope.nnviz", "-o", tmp_path / "m.onnx")
    assert_one_line_error(code, out, err)
