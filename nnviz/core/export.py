"""Export a network's parameters, its training history, or the whole model as ONNX for other tools.

ONNX needs the optional `onnx` extra (`pip install nnviz[onnx]`); it is imported only when asked for.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np

from nnviz.core.activations import Activation
from nnviz.core.atomic_file import atomic_write, atomic_write_bytes, atomic_write_text
from nnviz.core.network import Network
from nnviz.core.scaling import Scaler

if TYPE_CHECKING:
    import onnx


class ExportError(ValueError):
    """An export that cannot be written (missing optional package, empty history, bad dtype)."""


def save_weights_npz(network: Network, path: str | os.PathLike[str]) -> None:
    """`W0, b0, W1, b1, ...` with W[k].shape == (n[k+1], n[k]) (a maxout layer's k pieces make k·n[k+1] rows,
    piece-major), plus `sizes` and `activations`."""
    arrays: dict[str, np.ndarray] = {"sizes": np.array(network.sizes)}
    arrays["activations"] = np.array([a.name for a in network.activations])
    for k, (w, b) in enumerate(zip(network.weights, network.biases, strict=True)):
        arrays[f"W{k}"] = w
        arrays[f"b{k}"] = b
    atomic_write(path, lambda f: np.savez(f, **arrays))  # type: ignore[arg-type]  # stubs: ** may be allow_pickle


def history_csv_text(history: Mapping[str, Sequence[float | None]]) -> str:
    """One row per epoch, one column per metric; missing values (null) are empty cells."""
    keys = [k for k, v in history.items() if isinstance(v, list)]  # other entries are a user's notes
    if not keys:
        raise ExportError("there is no training history to export yet")
    n_rows = max(len(history[k]) for k in keys)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for i in range(n_rows):
        values = [history[k][i] if i < len(history[k]) else None for k in keys]
        writer.writerow(["" if v is None else repr(float(v)) for v in values])
    return out.getvalue()


def save_history_csv(history: Mapping[str, Sequence[float | None]], path: str | os.PathLike[str]) -> None:
    atomic_write_text(path, history_csv_text(history))


def onnx_model(network: Network, dtype: type = np.float32, scaler: Scaler | None = None) -> onnx.ModelProto:
    """The network as an ONNX ModelProto with input `x` (batch, n0) and output `y` (batch, n_out).

    With the project's `scaler` the graph starts with its `(x - offset) / scale`, so the model takes raw
    inputs as `nnviz forward` and the window do; a model that silently expected scaled inputs would give
    wrong answers in any other tool."""
    try:
        import onnx
        from onnx import TensorProto, helper, numpy_helper
    except ImportError:
        raise ExportError("ONNX export needs the 'onnx' package: pip install 'nnviz[onnx]'") from None
    elem = {np.float32: TensorProto.FLOAT, np.float64: TensorProto.DOUBLE}.get(np.dtype(dtype).type)
    if elem is None:
        raise ExportError("ONNX export writes float32 or float64")
    nodes: list[onnx.NodeProto] = []
    inits: list[onnx.TensorProto] = []
    current = "x"
    if scaler is not None:
        inits += [
            numpy_helper.from_array(scaler.offset.astype(dtype), "scaler_offset"),
            numpy_helper.from_array(scaler.scale.astype(dtype), "scaler_scale"),
        ]
        nodes.append(helper.make_node("Sub", ["x", "scaler_offset"], ["x_centred"]))
        nodes.append(helper.make_node("Div", ["x_centred", "scaler_scale"], ["x_scaled"]))
        current = "x_scaled"
    for k, (w, b, act) in enumerate(zip(network.weights, network.biases, network.activations, strict=True)):
        inits += [
            numpy_helper.from_array(w.astype(dtype), f"W{k}"),
            numpy_helper.from_array(b.astype(dtype), f"b{k}"),
        ]
        z = f"z{k + 1}"
        nodes.append(helper.make_node("Gemm", [current, f"W{k}", f"b{k}"], [z], transB=1))
        current = _activation_nodes(act, z, f"a{k + 1}", nodes, inits, dtype, helper, numpy_helper)
    nodes.append(helper.make_node("Identity", [current], ["y"]))
    graph = helper.make_graph(
        nodes,
        "nnviz",
        [helper.make_tensor_value_info("x", elem, [None, network.sizes[0]])],
        [helper.make_tensor_value_info("y", elem, [None, network.sizes[-1]])],
        inits,
    )
    model = helper.make_model(graph, producer_name="nnviz", opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model


def _activation_nodes(
    act: Activation,
    z: str,
    out: str,
    nodes: list[onnx.NodeProto],
    inits: list[onnx.TensorProto],
    dtype: type,
    helper: ModuleType,
    numpy_helper: ModuleType,
) -> str:
    """Append the nodes computing `act(z)`; return the name of the result."""
    name = act.name

    def const(label: str, value: float) -> str:
        cname = f"{out}_{label}"
        inits.append(numpy_helper.from_array(np.array(value, dtype=dtype), cname))
        return cname

    def node(op: str, inputs: list[str], label: str, **attrs: Any) -> str:
        result = f"{out}_{label}"
        nodes.append(helper.make_node(op, inputs, [result], **attrs))
        return result

    # onnxruntime has no float64 kernels for Softplus, Softsign or LeakyRelu, so those are built from
    # elementary operators that every runtime implements for both precisions.
    simple = {"identity": "Identity", "tanh": "Tanh", "relu": "Relu"}
    if name in simple:
        nodes.append(helper.make_node(simple[name], [z], [out]))
    elif name == "sigmoid":
        scaled = z
        if act.params["slope"] != 1.0:
            scaled = node("Mul", [z, const("slope", act.params["slope"])], "scaled")
        nodes.append(helper.make_node("Sigmoid", [scaled], [out]))
    elif name == "softplus":  # max(z, 0) + log(1 + exp(-|z|)): never overflows
        small = node("Exp", [node("Neg", [node("Abs", [z], "abs")], "neg")], "exp")
        tail = node("Log", [node("Add", [const("one", 1.0), small], "sum")], "log")
        nodes.append(helper.make_node("Add", [node("Relu", [z], "relu"), tail], [out]))
    elif name == "softsign":
        denominator = node("Add", [const("one", 1.0), node("Abs", [z], "abs")], "denominator")
        nodes.append(helper.make_node("Div", [z, denominator], [out]))
    elif name == "leaky_relu":
        positive = node("Greater", [z, const("zero", 0.0)], "positive")
        leak = node("Mul", [z, const("alpha", act.params["alpha"])], "leak")
        nodes.append(helper.make_node("Where", [positive, z, leak], [out]))
    elif name == "swish":
        nodes.append(helper.make_node("Mul", [z, node("Sigmoid", [z], "gate")], [out]))
    elif name == "softmax":
        nodes.append(helper.make_node("Softmax", [z], [out], axis=-1))
    elif name == "maxout":  # the piece-major sums (batch, k·n) as (batch, k, n), then the max over k
        shape = f"{out}_shape"
        inits.append(numpy_helper.from_array(np.array([0, act.pieces, -1], dtype=np.int64), shape))
        pieces = node("Reshape", [z, shape], "pieces")
        nodes.append(helper.make_node("ReduceMax", [pieces], [out], axes=[1], keepdims=0))
    elif name == "step":
        # f(z) = 1 if z >= 0 else 0, as a cast of the comparison z >= 0.
        at_least_zero = node("GreaterOrEqual", [z, const("zero", 0.0)], "ge")
        to = helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
        nodes.append(helper.make_node("Cast", [at_least_zero], [out], to=to))
    else:
        raise ExportError(f"no ONNX form for the {name} activation")
    return out


def save_onnx(
    network: Network, path: str | os.PathLike[str], dtype: type = np.float32, scaler: Scaler | None = None
) -> None:
    atomic_write_bytes(path, onnx_model(network, dtype, scaler).SerializeToString())


#: what each export kind writes from a project, by file suffix: File > Export and `nnviz export` share it
PROJECT_EXPORTS: dict[str, str] = {
    ".onnx": "the model (ONNX, taking raw inputs)",
    ".npz": "the weights and biases (NumPy archive)",
    ".csv": "the training history (one row per epoch)",
}


def export_project(
    project: Any, path: str | os.PathLike[str], kind: str | None = None, dtype: type = np.float32
) -> None:
    """Write export `kind` (a key of PROJECT_EXPORTS; by default the suffix of `path`) of `project`.

    Every export is written atomically (temporary file, fsync, rename). `dtype` is the ONNX model's."""
    kind = kind or os.path.splitext(os.fspath(path))[1].lower()
    if kind == ".onnx":
        save_onnx(project.network, path, dtype, scaler=project.scaler)
    elif kind == ".npz":
        save_weights_npz(project.network, path)
    elif kind == ".csv":
        save_history_csv(project.history or {}, path)
    else:
        choices = ", ".join(PROJECT_EXPORTS)
        raise ExportError(f"{os.fspath(path)}: cannot tell what to export; the name must end in {choices}")
