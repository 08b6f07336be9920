"""The .nnviz project file: exact round trips, kept unknown keys, errors that name the place, atomic saves."""

import copy
import json
import os
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnviz.core import document
from nnviz.core.document import (
    DocumentError,
    Project,
    dumps,
    load_project,
    parse_project,
    project_from_json,
    project_to_json,
    save_project,
)
from nnviz.core.network import Network
from nnviz.core.scaling import Scaler
from nnviz.core.training import TrainingConfig

CLASSIC = {
    "format": "nnviz",
    "version": 1,
    "network": {
        "layers": [
            {"size": 2},
            {"size": 2, "activation": "sigmoid"},
            {"size": 2, "activation": {"name": "sigmoid", "slope": 1.0}},
        ],
        "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
        "biases": [[0.35, 0.35], [0.60, 0.60]],
    },
    "training": {"loss": "mse", "optimizer": "sgd", "learning_rate": 0.5, "batch_size": 1},
}


def classic(**changes):
    obj = copy.deepcopy(CLASSIC)
    obj.update(changes)
    return obj


def test_design_example_reproduces_the_published_forward_pass():
    project = project_from_json(classic())
    np.testing.assert_allclose(project.network.forward([0.05, 0.10]), [[0.75136507, 0.772928465]], atol=5e-9)
    assert project.network.sizes == [2, 2, 2]


@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    activation=st.sampled_from(
        ["tanh", "relu", {"name": "sigmoid", "slope": 2.5}, {"name": "leaky_relu", "alpha": 0.2}]
    ),
    seed=st.integers(0, 2**32 - 1),
    dtype=st.sampled_from(["float64", "float32"]),
)
def test_round_trip_is_bit_exact(tmp_path_factory, sizes, activation, seed, dtype):
    net = Network.create(sizes, activation, init="uniform", seed=seed, dtype=dtype)
    path = tmp_path_factory.mktemp("rt") / "net.nnviz"
    save_project(Project(net), path)
    back = load_project(path).network
    assert back.dtype == net.dtype
    assert [a.to_json() for a in back.activations] == [a.to_json() for a in net.activations]
    for got, want in zip(back.weights + back.biases, net.weights + net.biases, strict=True):
        np.testing.assert_array_equal(got, want)


def test_unknown_keys_survive_a_round_trip_everywhere(tmp_path):
    obj = classic(
        comment="made by hand",
        future_section={"nested": [1, 2, {"x": None}]},
        scaler={"method": "standard", "offset": [0.1, 0.2], "scale": [1.5, 2.0], "note": "fitted on 4 rows"},
        dataset={"kind": "builtin", "name": "xor", "parameters": {"noise": 0.1}},
        history={"loss": [0.5, 0.25], "accuracy": [None, None], "wall_time": "n/a"},
    )
    obj["network"]["name"] = "my net"
    obj["network"]["layers"][1]["label"] = "hidden"
    obj["training"]["warmup"] = 3
    path = tmp_path / "p.nnviz"
    path.write_text(json.dumps(obj))
    project = load_project(path)
    assert project.extra == {"comment": "made by hand", "future_section": {"nested": [1, 2, {"x": None}]}}
    save_project(project, path)
    again = json.loads(path.read_text())
    obj["network"]["layers"][2]["activation"] = "sigmoid"  # default parameters are written as a bare name
    obj["training"] = {**TrainingConfig().to_json(), **obj["training"]}  # every setting is written out
    assert again == obj


def test_saved_training_scaler_history_and_dataset_are_read_back(tmp_path):
    scaler = Scaler.fit(np.array([[0.0, 1.0], [2.0, 5.0]]), "minmax")
    project = project_from_json(classic())
    project.scaler = scaler
    project.history = {"loss": [0.3, 0.2]}
    project.dataset = {"kind": "file", "path": "iris.csv", "targets": ["species"], "class_names": ["a", "b"]}
    save_project(project, tmp_path / "p.nnviz")
    back = load_project(tmp_path / "p.nnviz")
    np.testing.assert_array_equal(back.scaler.scale, scaler.scale)
    assert back.history == project.history
    assert back.dataset == project.dataset
    assert back.training == project.training


def test_floats_are_written_at_full_precision(tmp_path):
    project = project_from_json(classic())
    project.network.weights[0][0, 0] = 0.1 + 0.2  # 0.30000000000000004
    project.network.biases[1][1] = 1e-300
    save_project(project, tmp_path / "p.nnviz")
    text = (tmp_path / "p.nnviz").read_text()
    assert "0.30000000000000004" in text
    assert load_project(tmp_path / "p.nnviz").network.biases[1][1] == 1e-300


def _set(obj, dotted, value):
    *keys, last = dotted
    for key in keys:
        obj = obj[key]
    obj[last] = value


BAD_DOCUMENTS = [
    (("network", "weights", 1, 0), [0.1, 0.2, 0.3], r"network\.weights\[1\]\[0\]: expected 2 numbers, got 3"),
    (("network", "weights", 0, 1, 0), float("nan"), r"network\.weights\[0\]\[1\]\[0\]: nan is not a finite"),
    (("network", "weights", 0, 1, 1), float("inf"), r"network\.weights\[0\]\[1\]\[1\]: inf is not a finite"),
    (("network", "weights", 0, 0, 0), 10**400, r"network\.weights\[0\]\[0\]\[0\]: .* is not a finite"),
    (
        ("network", "weights", 0, 0, 0),
        "0.15",
        r"weights\[0\]\[0\]\[0\]: expected a number, got a str",
    ),
    (("network", "weights", 0, 0, 0), True, r"network\.weights\[0\]\[0\]\[0\]: expected a number, got true"),
    (("network", "weights", 0), [[0.1, 0.2]], r"network\.weights\[0\]: expected 2 rows, got 1"),
    (("network", "weights"), [[[0.1, 0.2], [0.1, 0.2]]], r"network\.weights: expected 2 weight matrices"),
    (("network", "biases", 1), [0.6], r"network\.biases\[1\]: expected 2 numbers, got 1"),
    (
        ("network", "biases", 1),
        {"a": 1},
        r"biases\[1\]: expected a list of 2 numbers, got an object",
    ),
    (("network", "layers", 1, "activation"), "sigmoidd", r"network\.layers\[1\]\.activation: unknown activ"),
    (("network", "layers", 1, "activation"), "softmax", r"network: softmax can only be the output layer"),
    (
        ("network", "layers", 2, "activation"),
        {"name": "sigmoid", "slope": 0},
        r"layers\[2\]\.activation: sig",
    ),
    (
        ("network", "layers", 0, "activation"),
        "relu",
        r"layers\[0\]\.activation: the input layer has",
    ),
    (
        ("network", "layers", 1, "size"),
        0,
        r"layers\[1\]\.size: expected a positive whole number, got 0",
    ),
    (("network", "layers", 1, "size"), 2.0, r"network\.layers\[1\]\.size: expected a positive whole number"),
    (("network", "layers", 1, "size"), 10**9, r"network\.layers: layer 1 has 1000000000 neurons"),
    (("network", "layers"), [{"size": 2}], r"network\.layers: expected a list of at least 2 layers"),
    (("network", "dtype"), "float16", r"network\.dtype: expected one of float64, float32"),
    (("version",), 2, r"version: the file is format version 2, written by a newer nnviz.*upgrade"),
    (("version",), 0, r"version: format version 0 is not supported"),
    (("version",), "1", r"version: expected a whole number, got a string"),
    (("format",), "keras", r'format: expected "nnviz", got "keras"'),
    (("network",), [], r"network: expected an object, got a list"),
    (("training", "learning_rate"), -0.5, r"training\.learning_rate: expected a positive number, got -0\.5"),
    (("training", "loss"), "hinge", r"training\.loss: expected one of mse, bce, cross_entropy"),
    (("training", "batch_size"), 0, r"training\.batch_size: expected a whole number ≥ 1, got 0"),
    (("training", "momentum"), 1.0, r"training\.momentum: expected a number in \[0, 1\)"),
    (("training", "shuffle"), "yes", r"training\.shuffle: expected true or false"),
    (("scaler",), {"method": "standard", "offset": [0.0], "scale": [1.0]}, r"scaler: scales 1 features but"),
    (
        ("scaler",),
        {"method": "standard", "offset": [0, 0], "scale": [1, -1]},
        r"scaler\.scale\[1\]: must be",
    ),
    (("history",), {"loss": [0.1, float("nan")]}, r"history\.loss\[1\]: expected a finite number or null"),
    (("dataset",), "iris.csv", r"dataset: expected an object, got a string"),
]


@pytest.mark.parametrize(("where", "value", "message"), BAD_DOCUMENTS)
def test_bad_documents_name_the_place_and_the_problem(where, value, message):
    obj = classic()
    _set(obj, where, value)
    with pytest.raises(DocumentError, match=message):
        project_from_json(obj)


def test_missing_required_parts_are_named():
    with pytest.raises(DocumentError, match="network: missing"):
        project_from_json({"format": "nnviz", "version": 1})
    obj = classic()
    del obj["network"]["biases"]
    with pytest.raises(DocumentError, match=r"network\.biases: missing"):
        project_from_json(obj)
    with pytest.raises(DocumentError, match=r"\(top level\): expected an object, got a list"):
        project_from_json([1])


def test_only_format_version_network_are_required():
    obj = classic()
    del obj["training"]
    project = project_from_json(obj)
    assert project.training is None
    assert project.scaler is None
    assert set(project_to_json(project)) == {"format", "version", "network"}


def test_migration_hook_upgrades_older_versions(monkeypatch):
    def v0_to_v1(obj):  # an imagined version 0 that called the section "net"
        obj = dict(obj, version=1)
        obj["network"] = obj.pop("net")
        return obj

    monkeypatch.setitem(document.MIGRATIONS, 0, v0_to_v1)
    old = classic(version=0)
    old["net"] = old.pop("network")
    assert project_from_json(old).network.sizes == [2, 2, 2]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "nnviz", "version": 1,', r"p\.nnviz: not valid JSON: .* line 1"),
        (b"\xff\xfe\x00garbage", r"p\.nnviz: not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, r"p\.nnviz: (JSON nested too deeply|.*expected an object)"),
        (
            b'{"format": "nnviz", "version": 1, "network": {"layers": []}}',
            r"network\.weights: missing",
        ),
    ],
)
def test_unreadable_files_give_one_clear_error(tmp_path, content, message):
    path = tmp_path / "p.nnviz"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        load_project(path)


def test_missing_file_folder_and_oversized_file(tmp_path, monkeypatch):
    with pytest.raises(DocumentError, match=r"nope\.nnviz: no such file"):
        load_project(tmp_path / "nope.nnviz")
    with pytest.raises(DocumentError, match="is a folder"):
        load_project(tmp_path)
    with pytest.raises(DocumentError, match="not a regular file"):
        load_project("/dev/zero")
    path = tmp_path / "big.nnviz"
    path.write_text(json.dumps(classic()))
    monkeypatch.setattr(document, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(document, "BYTES_PER_PARAMETER", 0)  # no room for the network's numbers either
    opened = []
    monkeypatch.setattr(type(path), "open", lambda *a, **k: opened.append(a) or pytest.fail("read"))
    with pytest.raises(DocumentError, match="larger than a project file can be"):
        load_project(path)
    assert not opened  # refused before reading


def test_save_replaces_atomically_and_keeps_permissions(tmp_path):
    path = tmp_path / "p.nnviz"
    path.write_text("old")
    path.chmod(0o640)
    save_project(project_from_json(classic()), path)
    assert load_project(path).network.sizes == [2, 2, 2]
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.nnviz"]  # no temporary left behind


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_crash_mid_save_leaves_the_old_file_whole(tmp_path, monkeypatch, failing):
    path = tmp_path / "p.nnviz"
    path.write_text("old contents")

    def boom(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, boom)
    with pytest.raises(DocumentError, match=r"cannot write .*No space left on device"):
        save_project(project_from_json(classic()), path)
    assert path.read_text() == "old contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.nnviz"]


def test_unsaveable_values_and_places_are_refused_without_touching_the_file(tmp_path):
    path = tmp_path / "p.nnviz"
    path.write_text("old contents")
    project = project_from_json(classic())
    project.history = {"loss": [float("nan")]}
    with pytest.raises(DocumentError, match="cannot save"):
        save_project(project, path)
    assert path.read_text() == "old contents"
    with pytest.raises(DocumentError, match="does not exist"):
        save_project(project_from_json(classic()), tmp_path / "missing" / "p.nnviz")
    with pytest.raises(DocumentError, match="is a folder"):
        save_project(project_from_json(classic()), tmp_path)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*prefix, i))


CLASSIC_PATHS = [p for p in _paths(CLASSIC) if p]


@given(where=st.sampled_from(CLASSIC_PATHS), value=JSON_VALUES)
def test_any_corruption_is_loaded_or_refused_with_a_document_error(where, value):
    obj = classic()
    _set(obj, where, value)
    try:
        project = project_from_json(obj)
    except DocumentError:
        return
    dumps(project_to_json(project))  # whatever loads can be saved again


@pytest.mark.parametrize(
    ("place", "value", "named"),
    [
        (("notes",), float("nan"), "notes"),
        (("training", "comment"), [1.0, float("inf")], "training.comment[1]"),
        (("dataset", "x"), [[0.5, float("-inf")]], "dataset.x[0][1]"),
        (("dataset", "class_names"), ["rose", "\ud800"], "dataset.class_names[1]"),
        (("view", "theirs"), {"deep": [[float("nan")]]}, "view.theirs.deep[0][0]"),
        (("history", "note"), {"\udfff": 1}, "history.note"),
    ],
)
def test_what_could_never_be_saved_is_refused_at_load_naming_its_key(place, value, named):
    """NaN, infinity (also 1e999 as read) and lone surrogates in kept values made Save fail later, with
    no key named, and the autosave write nothing: now the file is refused when it is opened."""
    obj = classic()
    section = obj
    for key in place[:-1]:
        section = section.setdefault(key, {})
    section[place[-1]] = value
    raw = json.dumps(obj).encode()  # json writes NaN/Infinity and \\ud800 escapes, as a hand edit could
    with pytest.raises(DocumentError, match=re.escape(named) + ".*cannot be saved"):
        parse_project(raw, "p.nnviz")


def test_every_project_that_loads_can_be_saved_again(tmp_path):
    obj = classic()
    obj["dataset"] = {"kind": "inline", "x": [[1e308, -1e-320]], "y": [0.5], "names": ["ok ✓"]}
    obj["view"] = {"pan": [1e6, -1e6], "mine": {"nested": [1, 2.5]}}
    project = parse_project(json.dumps(obj).encode(), "p.nnviz")
    save_project(project, tmp_path / "again.nnviz")
    assert json.loads((tmp_path / "again.nnviz").read_text())["view"]["mine"] == {"nested": [1, 2.5]}


def test_a_value_that_cannot_be_saved_is_named_in_the_error():
    project = project_from_json(classic())
    project.history = {"loss": [0.5, float("nan")]}
    with pytest.raises(DocumentError, match=r"cannot save: history\.loss\[1\]"):
        save_project(project, "/nonexistent/never-written.nnviz")
