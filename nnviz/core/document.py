"""The `.nnviz` project file: read, validate, write atomically.

The format is a contract (docs/architecture.md) described key by key in docs/file-format.md. Reading validates
everything before anything is built, and every error names the place and the problem
(`network.weights[1][0]: expected 2 numbers, got 3`), because the file may have been edited by hand or by
another tool. Keys this version does not know are kept verbatim and written back, at the top level and
inside the `network`, `training` and `scaler` sections and each layer entry, so a file written by a newer
nnviz (or annotated by a person) loses nothing on a round trip through this one. Writes go to a temporary
file in the same folder, flushed and fsynced, then renamed over the target: a crash mid-save leaves either
the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np

from nnviz.core.activations import ActivationError, get_activation
from nnviz.core.atomic_file import WriteError, atomic_write_text
from nnviz.core.input_file import open_regular
from nnviz.core.network import Network, NetworkError, check_sizes
from nnviz.core.numbers import is_finite_number, is_number, is_whole
from nnviz.core.runs import Run, RunError, run_to_json, runs_from_json
from nnviz.core.scaling import Scaler, ScalingError
from nnviz.core.training import CONFIG_RULES, TrainingConfig

FORMAT = "nnviz"
VERSION = 1
# What a project file may hold besides its network's numbers (the runs' checkpoints, the history, settings):
# four long runs of 784-128-64-10 (109k parameters) are about 210 MB. A larger file is read only when the
# network its start declares needs the room (see `byte_limit`), so a wrong file (a video, a disk image) of
# more than this is refused before it is read into memory.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: the most text one parameter takes in the file ("-1.2345678901234567e-300, " is 26 characters)
BYTES_PER_PARAMETER = 32
#: the start of a file read to find the declared layers before the rest (1,000 maxout layers fit)
HEAD_BYTES = 256 * 1024
DTYPES = ("float64", "float32")
_NETWORK_KEYS = ("layers", "weights", "biases", "dtype")
_LAYER_KEYS = ("size", "activation")
_TOP_KEYS = ("format", "version", "network", "training", "dataset", "history", "scaler", "view", "runs")
#: the view state's known keys; `selection.kind` names and the loss plot's x axes
VIEW_KEYS = ("zoom", "pan", "selection", "step", "loss_plot")
SELECTION_KINDS = ("neuron", "edge", "layer")
LOSS_PLOT_AXES = ("step", "epoch")

# Upgrades of older files: MIGRATIONS[v] turns a version-v document into a version-(v+1) one. Version 1 is
# the first, so the table is empty; a format change adds an entry here rather than a branch in the parser.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


class DocumentError(ValueError):
    """A project file or document that cannot be read or written; the message names the place at fault."""


@dataclass
class Project:
    """One open document: the network and what travels with it.

    `training` holds the hyper-parameters (or None); `dataset` a reference to the data (built-in name and
    parameters, or file path, target columns and class names), kept as a dict; `history` per-epoch metric
    lists, kept as a dict; `scaler` the input scaling the network was trained with. `extra` holds unknown
    top-level keys, `section_extra` unknown keys inside sections by path (`"network"`, `"training"`,
    `"scaler"`, `"network.layers[1]"`); both are written back verbatim. `view` is how the window last showed
    the project (zoom and pan, selection, stepper position, loss plot axis), kept as a validated dict.
    """

    network: Network
    training: TrainingConfig | None = None
    dataset: dict[str, Any] | None = None
    history: dict[str, Any] | None = None
    scaler: Scaler | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    section_extra: dict[str, dict[str, Any]] = field(default_factory=dict)
    view: dict[str, Any] | None = None
    #: training runs with their checkpoints (nnviz/core/runs.py)
    runs: list[Run] = field(default_factory=list)
    #: what was left out while reading (a damaged checkpoint), for the reader to be told
    warnings: list[str] = field(default_factory=list)


# -- validation helpers -----------------------------------------------------------------------------------
def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


# The types json.loads gives numbers (bool, a subclass of int, is deliberately not here).
_JSON_NUMBERS = frozenset({int, float})


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentError(f"{path}: expected an object, got {_kind(value)}")
    return value


def _list(value: Any, path: str, length: int, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise DocumentError(f"{path}: expected a list of {length} {what}, got {_kind(value)}")
    if len(value) != length:
        raise DocumentError(f"{path}: expected {length} {what}, got {len(value)}")
    return value


def _finite_vector(value: Any, path: str, length: int) -> np.ndarray:
    """A list of exactly `length` finite numbers, as float64."""
    _list(value, path, length, "numbers")
    # Fast path for the common, valid case (a big network has ~10^5 numbers); the loop names the culprit.
    if all(type(v) in _JSON_NUMBERS for v in value):
        try:
            array = np.array(value, dtype=np.float64)
            if np.isfinite(array).all():
                return array
        except OverflowError:
            pass
    for i, v in enumerate(value):
        if not is_number(v):
            raise DocumentError(f"{path}[{i}]: expected a number, got {_kind(v)}")
        if not is_finite_number(v):
            raise DocumentError(f"{path}[{i}]: {v!r} is not a finite number")
    raise AssertionError("unreachable: the fast path refused a valid vector")


def _finite_matrix(value: Any, path: str, n_rows: int, n_cols: int) -> np.ndarray:
    rows = _list(value, path, n_rows, "rows")
    matrix = np.empty((n_rows, n_cols))
    for j, row in enumerate(rows):
        matrix[j] = _finite_vector(row, f"{path}[{j}]", n_cols)
    return matrix


def _extras(obj: Mapping[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in known}


# -- reading ----------------------------------------------------------------------------------------------
def project_from_json(obj: Any) -> Project:
    """Validate a parsed document and build the Project (older versions are migrated first)."""
    obj = _object(obj, "(top level)")
    if obj.get("format") != FORMAT:
        raise DocumentError(
            f'format: expected "{FORMAT}", got {json.dumps(obj.get("format"))} (not a project)'
        )
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentError(f"version: expected a whole number, got {_kind(version)}")
    if version > VERSION:
        raise DocumentError(
            f"version: the file is format version {version}, written by a newer nnviz; "
            f"this nnviz reads versions up to {VERSION}: please upgrade nnviz"
        )
    while version < VERSION:
        if version not in MIGRATIONS:
            raise DocumentError(f"version: format version {version} is not supported (no upgrade known)")
        obj = MIGRATIONS[version](obj)
        version += 1
    if "network" not in obj:
        raise DocumentError("network: missing (it is required)")
    section_extra: dict[str, dict[str, Any]] = {}
    network = _network_from_json(_object(obj["network"], "network"), section_extra)
    training = None
    if obj.get("training") is not None:
        section = _object(obj["training"], "training")
        training = training_from_json(section, "training")
        section_extra["training"] = _extras(section, tuple(CONFIG_RULES))
    scaler = None
    if obj.get("scaler") is not None:
        section = _object(obj["scaler"], "scaler")
        try:
            scaler = Scaler.from_json(section)
        except ScalingError as e:
            raise DocumentError(f"scaler.{e}") from None
        if scaler.n_features != network.sizes[0]:
            raise DocumentError(
                f"scaler: scales {scaler.n_features} features but the network has {network.sizes[0]} inputs"
            )
        section_extra["scaler"] = _extras(section, ("method", "offset", "scale"))
    dataset = None if obj.get("dataset") is None else _dataset(_object(obj["dataset"], "dataset"))
    history = None if obj.get("history") is None else _history(_object(obj["history"], "history"))
    view = None if obj.get("view") is None else _view(_object(obj["view"], "view"), network.sizes)
    warnings: list[str] = []
    try:
        runs = runs_from_json(obj["runs"], warnings) if obj.get("runs") is not None else []
    except RunError as e:
        raise DocumentError(str(e)) from None
    for key, value in obj.items():
        if key != "network":  # the network's numbers are checked above; its unknown keys below
            _check_saveable(value, key)
    for where, extra in section_extra.items():
        _check_saveable(extra, where)
    return Project(
        network,
        training,
        dataset,
        history,
        scaler,
        _extras(obj, _TOP_KEYS),
        {k: v for k, v in section_extra.items() if v},
        view,
        runs,
        warnings,
    )


def _network_from_json(net: dict[str, Any], section_extra: dict[str, dict[str, Any]]) -> Network:
    for key in ("layers", "weights", "biases"):
        if key not in net:
            raise DocumentError(f"network.{key}: missing (it is required)")
    layers = net["layers"]
    if not isinstance(layers, list) or len(layers) < 2:
        raise DocumentError("network.layers: expected a list of at least 2 layers (input and output)")
    sizes, activations = [], []
    for k, entry in enumerate(layers):
        path = f"network.layers[{k}]"
        layer = _object(entry, path)
        size = layer.get("size")
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise DocumentError(f"{path}.size: expected a positive whole number, got {json.dumps(size)}")
        sizes.append(size)
        if k == 0:
            if "activation" in layer:
                raise DocumentError(f"{path}.activation: the input layer has no activation")
        else:
            if "activation" not in layer:
                raise DocumentError(f"{path}.activation: missing (every layer after the input needs one)")
            try:
                activations.append(get_activation(layer["activation"]))
            except ActivationError as e:
                raise DocumentError(f"{path}.activation: {e}") from None
        if extra := _extras(layer, _LAYER_KEYS):
            section_extra[path] = extra
    try:
        check_sizes(sizes, [a.pieces for a in activations])
    except NetworkError as e:
        raise DocumentError(f"network.layers: {e}") from None
    n_layers = len(sizes) - 1
    weight_rows = _list(net["weights"], "network.weights", n_layers, "weight matrices (one per layer)")
    bias_rows = _list(net["biases"], "network.biases", n_layers, "bias vectors (one per layer)")
    weights, biases = [], []
    for k in range(n_layers):
        rows = sizes[k + 1] * activations[k].pieces  # a maxout layer has one row per piece per neuron
        weights.append(_finite_matrix(weight_rows[k], f"network.weights[{k}]", rows, sizes[k]))
        biases.append(_finite_vector(bias_rows[k], f"network.biases[{k}]", rows))
    dtype = net.get("dtype", "float64")
    if dtype not in DTYPES:
        raise DocumentError(f"network.dtype: expected one of {', '.join(DTYPES)}, got {json.dumps(dtype)}")
    try:
        network = Network(weights, biases, activations, dtype)
    except NetworkError as e:
        raise DocumentError(f"network: {e}") from None
    if extra := _extras(net, _NETWORK_KEYS):
        section_extra["network"] = extra
    return network


def check_training_values(values: Mapping[str, Any], where: str) -> None:
    """Raise DocumentError naming `where.key` for the first known training value that is out of range."""
    for key, (ok, wanted) in CONFIG_RULES.items():
        if key in values and not _passes(ok, values[key]):
            raise DocumentError(f"{where}.{key}: expected {wanted}, got {json.dumps(values[key])}")


def _passes(ok: Callable[[Any], bool], value: Any) -> bool:
    try:
        return ok(value)
    except (OverflowError, TypeError):  # an integer too large for a float; a list where a name belongs
        return False


def training_from_json(section: Mapping[str, Any], where: str = "training") -> TrainingConfig:
    """The TrainingConfig of a `training` section; unknown keys are left to the caller."""
    check_training_values(section, where)
    return TrainingConfig(**{k: v for k, v in section.items() if k in CONFIG_RULES})


def _dataset(dataset: dict[str, Any]) -> dict[str, Any]:
    """The data reference, kept as a dict; its naming keys must be text (every view shows them)."""
    for key in ("kind", "name", "path"):
        if key in dataset and not isinstance(dataset[key], str):
            raise DocumentError(f"dataset.{key}: expected a string, got {_kind(dataset[key])}")
    return dataset


def _history(history: dict[str, Any]) -> dict[str, Any]:
    """Per-epoch lists of numbers (null where a metric does not apply, e.g. accuracy in regression)."""
    for key, values in history.items():
        if not isinstance(values, list):
            continue  # unknown non-list entries are kept verbatim
        for i, v in enumerate(values):
            if v is not None and not is_finite_number(v):
                raise DocumentError(f"history.{key}[{i}]: expected a finite number or null, got {_kind(v)}")
    return history


def _view(view: dict[str, Any], sizes: list[int]) -> dict[str, Any]:
    """The optional view state; every key is optional, unknown keys are kept (see docs/file-format.md)."""
    if "zoom" in view and not (is_finite_number(view["zoom"]) and view["zoom"] > 0):
        raise DocumentError(f"view.zoom: expected a positive number, got {json.dumps(view['zoom'])}")
    if "pan" in view:
        _finite_vector(view["pan"], "view.pan", 2)
    if "predict_first" in view and not isinstance(view["predict_first"], bool):
        raise DocumentError(f"view.predict_first: expected true/false, got {_kind(view['predict_first'])}")
    if "step" in view and not _whole(view["step"]):
        raise DocumentError(f"view.step: expected a whole number >= 0, got {json.dumps(view['step'])}")
    if view.get("selection") is not None:
        _selection(_object(view["selection"], "view.selection"), sizes)
    if "loss_plot" in view:
        plot = _object(view["loss_plot"], "view.loss_plot")
        if "x_axis" in plot and plot["x_axis"] not in LOSS_PLOT_AXES:
            wanted = " or ".join(f'"{a}"' for a in LOSS_PLOT_AXES)
            raise DocumentError(f"view.loss_plot.x_axis: expected {wanted}, got {json.dumps(plot['x_axis'])}")
        if "log_scale" in plot and not isinstance(plot["log_scale"], bool):
            raise DocumentError(
                f"view.loss_plot.log_scale: expected true/false, got {_kind(plot['log_scale'])}"
            )
    return view


def _check_saveable(value: Any, where: str) -> None:
    """Refuse at load what could be read but never written back, naming its key: NaN and ±Infinity
    (JSON has no such numbers, but Python reads them, and 1e999 as infinity) and text that is not
    Unicode (a lone surrogate escape such as "\\ud800"). Iterative: kept values may nest deeply."""
    stack = [(value, where)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            raise DocumentError(
                f"{where}: {value} cannot be saved in a project file (JSON has no NaN or infinity)"
            )
        if isinstance(value, str):
            _check_text(value, where)
        elif isinstance(value, dict):
            for k, v in value.items():
                _check_text(k, where)
                stack.append((v, f"{where}.{k}"))
        elif isinstance(value, list):
            stack.extend(
                (v, f"{where}[{i}]")
                for i, v in enumerate(value)
                if not (isinstance(v, int) or (isinstance(v, float) and math.isfinite(v)))
            )


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise DocumentError(
            f"{where}: text with an unpaired surrogate (\\u{ord(text[e.start]):04x}) cannot be saved"
        ) from None


def _whole(value: Any) -> TypeGuard[int]:
    return is_whole(value) and value >= 0


def _selection(selection: dict[str, Any], sizes: list[int]) -> None:
    """A neuron (`layer`, `index`), an edge (`layer` k, `index` j, `source` i: the weight W[k][j][i]) or a
    whole `layer`, numbered as in the network (layer 0 is the input); it must exist in this network."""
    kind = selection.get("kind")
    if kind not in SELECTION_KINDS:
        wanted = ", ".join(SELECTION_KINDS)
        raise DocumentError(f"view.selection.kind: expected one of {wanted}, got {json.dumps(kind)}")
    layer = _below(selection, "layer", len(sizes) - 1 if kind == "edge" else len(sizes))
    if kind == "neuron":
        _below(selection, "index", sizes[layer])
    elif kind == "edge":
        _below(selection, "index", sizes[layer + 1])
        _below(selection, "source", sizes[layer])


def _below(selection: dict[str, Any], key: str, limit: int) -> int:
    value = selection.get(key)
    if not _whole(value) or value >= limit:
        raise DocumentError(
            f"view.selection.{key}: expected a whole number below {limit} for this network, "
            f"got {json.dumps(value)}"
        )
    return value


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a `.nnviz` file; every failure is a DocumentError naming the file."""
    path = Path(path)
    try:
        with open_regular(path) as f:  # a device or pipe could stream forever
            size = os.fstat(f.fileno()).st_size
            limit = MAX_FILE_BYTES
            if size > limit:  # only a large network's file may be larger: read its layers first
                head = f.read(HEAD_BYTES).decode("utf-8", errors="ignore")
                limit = byte_limit(declared_parameters(_early_layers(head)))
                if size > limit:
                    raise DocumentError(
                        f"{path}: {size / 1e6:.0f} MB is larger than a project file can be "
                        f"({limit / 1e6:.0f} MB for the network it declares); refusing to read it"
                    )
                f.seek(0)
            raw = f.read(size + 1)  # read(n) allocates n bytes at once: the real size, not the limit
            if len(raw) > size:  # it grew since fstat
                raw += f.read(limit + 1 - len(raw))
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except OSError as e:
        raise DocumentError(f"{path}: cannot read: {e.strerror or e}") from None
    if len(raw) > limit:
        raise DocumentError(f"{path}: larger than {limit / 1e6:.0f} MB; refusing to read it")
    return parse_project(raw, str(path))


def byte_limit(parameters: int) -> int:
    """The largest project file read (and written) for a network of `parameters` numbers."""
    return MAX_FILE_BYTES + BYTES_PER_PARAMETER * parameters


def declared_parameters(layers: Any) -> int:
    """The weights and biases `network.layers` declares (0 when it is not a list of sized layers, or its
    sizes are beyond the limits: such a file is refused when parsed)."""
    sizes = _declared_sizes(layers)
    if sizes is None:
        return 0
    pieces = []
    for layer in layers[1:]:
        try:
            pieces.append(get_activation(layer.get("activation")).pieces)
        except ActivationError:
            pieces.append(1)
    try:
        check_sizes(sizes, pieces)
    except NetworkError:
        return 0
    return sum((n + 1) * m * k for n, m, k in zip(sizes[:-1], sizes[1:], pieces, strict=True))


_SPACE = re.compile(r"[ \t\n\r]*")


def _skip_space(text: str, pos: int) -> int:
    """The position after the JSON whitespace (if any) that starts at `pos`."""
    space = _SPACE.match(text, pos)
    return space.end() if space else pos


def _early_layers(text: str) -> Any:
    """`network.layers` decoded on its own, before the rest of the document, when only scalar values come
    before it (nnviz writes `format`, `version`, then `network` with `layers` first); else None.

    Its sizes are checked before the weights are parsed: a file declaring a layer of 1,000,000 neurons
    is refused at once, instead of after parsing (and holding) hundreds of megabytes of numbers."""
    decoder = json.JSONDecoder()
    pos = 0
    try:
        for wanted in ("network", "layers"):  # the top-level object, then the network object
            pos = _skip_space(text, pos)
            if text[pos : pos + 1] != "{":
                return None
            pos += 1
            while True:
                pos = _skip_space(text, pos)
                if text[pos : pos + 1] != '"':
                    return None
                key, pos = decoder.raw_decode(text, pos)
                pos = _skip_space(text, pos)
                if text[pos : pos + 1] != ":":
                    return None
                pos = _skip_space(text, pos + 1)
                if key == wanted:
                    break
                if text[pos : pos + 1] in "{[":  # a nested value first: left to the full parse
                    return None
                _, pos = decoder.raw_decode(text, pos)
                pos = _skip_space(text, pos)
                if text[pos : pos + 1] != ",":
                    return None
                pos += 1
        return decoder.raw_decode(text, pos)[0] if text[pos : pos + 1] == "[" else None
    except (ValueError, RecursionError):  # malformed: the full parse names the place
        return None


def _declared_sizes(layers: Any) -> list[int] | None:
    """The sizes of `network.layers` read early, or None when it is not a list of positive sizes."""
    if not isinstance(layers, list) or len(layers) < 2 or not all(isinstance(x, dict) for x in layers):
        return None
    sizes = [layer.get("size") for layer in layers]
    return sizes if all(_whole(n) and n > 0 for n in sizes) else None


def _check_declared_sizes(layers: Any) -> None:
    """Refuse layer sizes beyond the limits (check_sizes); anything malformed is left to the full parse."""
    sizes = _declared_sizes(layers)
    if sizes is not None:
        try:
            check_sizes(sizes)
        except NetworkError as e:
            raise DocumentError(f"network.layers: {e}") from None


def parse_project(raw: bytes, source: str) -> Project:
    """A project from the bytes of a file; errors start with `source` (the file's name)."""
    try:
        text = raw.decode("utf-8")
        _check_declared_sizes(_early_layers(text))
        obj = json.loads(text)
    except UnicodeDecodeError as e:
        raise DocumentError(f"{source}: not UTF-8 text (byte {e.start}); not a project file") from None
    except DocumentError as e:
        raise DocumentError(f"{source}: {e}") from None
    except json.JSONDecodeError as e:
        where = f"line {e.lineno} column {e.colno}"
        raise DocumentError(f"{source}: not valid JSON: {e.msg} at {where}") from None
    except RecursionError:
        raise DocumentError(f"{source}: JSON nested too deeply") from None
    try:
        return project_from_json(obj)
    except DocumentError as e:
        raise DocumentError(f"{source}: {e}") from None


# -- writing ----------------------------------------------------------------------------------------------
def project_to_json(project: Project) -> dict[str, Any]:
    """The document as plain JSON values (floats exact: Python writes the shortest repr that round-trips)."""
    net = project.network
    layers: list[dict[str, Any]] = [{"size": net.sizes[0]}]
    layers += [
        {"size": n, "activation": a.to_json()} for n, a in zip(net.sizes[1:], net.activations, strict=True)
    ]
    extra = project.section_extra
    for k, layer in enumerate(layers):
        layer.update(extra.get(f"network.layers[{k}]", {}))
    network: dict[str, Any] = {
        "layers": layers,
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
    }
    if net.dtype != np.float64:
        network["dtype"] = str(net.dtype)
    network.update(extra.get("network", {}))
    obj: dict[str, Any] = {"format": FORMAT, "version": VERSION, "network": network}
    if project.training is not None:
        obj["training"] = {**project.training.to_json(), **extra.get("training", {})}
    if project.dataset is not None:
        obj["dataset"] = project.dataset
    if project.history is not None:
        obj["history"] = project.history
    if project.scaler is not None:
        obj["scaler"] = {**project.scaler.to_json(), **extra.get("scaler", {})}
    if project.view is not None:
        obj["view"] = project.view
    if project.runs:
        obj["runs"] = [run_to_json(run) for run in project.runs]
    obj.update({k: v for k, v in project.extra.items() if k not in _TOP_KEYS})
    return obj


def project_text(document: dict[str, Any]) -> str:
    """The file's text for `document` (a `project_to_json`), or a DocumentError when `load_project` would
    refuse it as too large for its network: no file is written that cannot be opened again."""
    text = dumps(document)
    network = document.get("network")
    limit = byte_limit(declared_parameters(network.get("layers") if isinstance(network, dict) else None))
    size = len(text) if 4 * len(text) <= limit else len(text.encode("utf-8"))
    if size > limit:
        raise DocumentError(
            f"cannot save: the project would be {size / 1e6:.0f} MB, more than a project file of this "
            f"network can be ({limit / 1e6:.0f} MB). Delete training runs you no longer need (View ▸ Runs) "
            "and save again, or keep the network with File ▸ Export."
        )
    return text


def dumps(obj: Any) -> str:
    """JSON text laid out for people: objects indented, number lists on one line, matrices a row a line.
    A value JSON cannot hold (NaN, infinity, a lone surrogate) is a DocumentError naming its key."""
    return _dump(obj, 0, "") + "\n"


def _dump(value: Any, depth: int, where: str) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict) and value:
        items = [
            f"{inner}{_leaf(str(k), where)}: {_dump(v, depth + 1, f'{where}.{k}'.lstrip('.'))}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and value and isinstance(value[0], list):
        rows = [inner + _dump(v, depth + 1, f"{where}[{i}]") for i, v in enumerate(value)]
        return "[\n" + ",\n".join(rows) + f"\n{pad}]"
    return _leaf(value, where)


def _leaf(value: Any, where: str) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except (ValueError, TypeError) as e:  # NaN or infinity, a lone surrogate, a value that is not JSON
        if isinstance(value, list):
            for i, item in enumerate(value):
                _leaf(item, f"{where}[{i}]")
        raise DocumentError(f"cannot save: {where or '(top level)'}: {e}") from None
    return text


def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write the project atomically: the old file stays whole until the new one is complete on disk."""
    text = project_text(project_to_json(project))
    try:
        atomic_write_text(path, text)
    except WriteError as e:
        raise DocumentError(str(e)) from None
