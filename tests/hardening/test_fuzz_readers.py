"""Hostile bytes against every reader: the only allowed outcomes are a valid object or a clean error.

Project files must end in a `Project` or a `DocumentError`; CSV, NPZ and IDX in a `Dataset` or a
`DatasetError`. Any other exception (IndexError, MemoryError, a NumPy warning turned error...) fails the
test. The default (`ci`) profile runs a few dozen cases per attack; the full-strength run is
`HYPOTHESIS_PROFILE=thorough python -m pytest -m slow tests/hardening` (2,000 cases per reader).
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.core.dataset_ref import reference_to_dataset
from nnviz.core.datasets import Dataset, DatasetError
from nnviz.core.datasets.base import MAX_CLASSES, MAX_NAME_CHARS
from nnviz.core.datasets.files import load_csv, load_idx, load_npz
from nnviz.core.document import DocumentError, Project, dumps, load_project, project_to_json
from nnviz.core.examples import load_example

STRENGTHS = [pytest.param("ci", id="ci"), pytest.param("thorough", id="thorough", marks=pytest.mark.slow)]
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _write(folder: str, name: str, data: bytes) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


def _outcome(read, error: type[Exception]):
    """(result, None) or (None, message of the expected clean error); anything else propagates."""
    try:
        return read(), None
    except error as e:
        return None, str(e)


def _mutate(data: bytes, draw) -> bytes:
    """A valid file with a few bytes flipped, a slice cut out, or cut short."""
    buf = bytearray(data)
    kind = draw(st.sampled_from(["flip", "cut", "truncate", "insert"]))
    at = draw(st.integers(0, max(len(buf) - 1, 0)))
    if kind == "flip" and buf:
        for _ in range(draw(st.integers(1, 8))):
            buf[draw(st.integers(0, len(buf) - 1))] = draw(st.integers(0, 255))
    elif kind == "cut":
        del buf[at : at + draw(st.integers(1, 64))]
    elif kind == "truncate":
        del buf[at:]
    else:
        buf[at:at] = draw(st.binary(min_size=1, max_size=32))
    return bytes(buf)


# -- project files -------------------------------------------------------------------------------------

_VALID_PROJECT = dumps(project_to_json(load_example("xor"))).encode()
_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**400), 10**400), st.floats(), st.text(max_size=8)
)
_json = st.recursive(
    _json_leaf,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
)


def _replace_random_node(obj, draw, depth=0):
    """The valid document with one node (anywhere in the tree) swapped for arbitrary JSON."""
    if (depth > 0 and draw(st.integers(0, 3)) == 0) or not isinstance(obj, (dict, list)) or not obj:
        return draw(_json)
    keys = list(obj.keys()) if isinstance(obj, dict) else list(range(len(obj)))
    key = draw(st.sampled_from(keys))
    obj[key] = _replace_random_node(obj[key], draw, depth + 1)
    return obj


@st.composite
def hostile_projects(draw) -> bytes:
    attack = draw(st.sampled_from(["bytes", "mutate", "node", "nest", "huge"]))
    if attack == "bytes":
        return draw(st.binary(max_size=512))
    if attack == "mutate":
        return _mutate(_VALID_PROJECT, draw)
    if attack == "node":
        return json.dumps(_replace_random_node(json.loads(_VALID_PROJECT), draw)).encode()
    if attack == "nest":
        depth = draw(st.integers(10, 200_000))
        return ("[" * depth + "]" * depth).encode()
    number = draw(st.sampled_from(["1e999", "-1e999", "1" * 5000, "NaN", "Infinity", "1e308"]))
    return _VALID_PROJECT.replace(b"0.", number.encode() + b"0.", 1)


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(raw=hostile_projects())
def test_project_reader_gives_a_project_or_a_document_error(strength, raw):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "fuzz.nnviz", raw)
        project, message = _outcome(lambda: load_project(path), DocumentError)
        if message is not None:
            assert "fuzz.nnviz" in message
        else:
            assert isinstance(project, Project)


# -- CSV -----------------------------------------------------------------------------------------------

_VALID_CSV = b"x1,x2,label\n0.5,1.5,cat\n-2,3e2,dog\n1,1,cat\n"
_csv_cell = st.one_of(
    st.sampled_from(["", "nan", "inf", "-inf", "1e999", "1" * 400, '"a,b"', '"', "x", "0x10", " 3 "]),
    st.floats().map(repr),
    st.text(max_size=6),
)


@st.composite
def hostile_csvs(draw) -> bytes:
    attack = draw(st.sampled_from(["bytes", "mutate", "cells"]))
    if attack == "bytes":
        return draw(st.binary(max_size=512))
    if attack == "mutate":
        return _mutate(_VALID_CSV, draw)
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(_csv_cell, min_size=0, max_size=width + 1), max_size=6))
    header = ",".join(["x1", "x2", "label"][:width] if width <= 3 else ["x1", "x2", "label", "w"])
    return (header + "\n" + "\n".join(",".join(r) for r in rows)).encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(raw=hostile_csvs())
def test_csv_reader_gives_a_dataset_or_a_dataset_error(strength, raw):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "fuzz.csv", raw)
        data, message = _outcome(lambda: load_csv(path, targets="label"), DatasetError)
        if message is not None:
            assert message
        else:
            assert isinstance(data, Dataset)
            assert np.isfinite(data.x).all()


# -- NPZ -----------------------------------------------------------------------------------------------


def _npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


_VALID_NPZ = _npz_bytes(X=np.arange(12.0).reshape(4, 3), y=np.array([0, 1, 1, 0]))
_array = st.one_of(
    st.lists(st.floats(), max_size=12).map(np.array),
    st.lists(st.integers(-(2**63), 2**63 - 1), max_size=12).map(lambda v: np.array(v, dtype=np.int64)),
    st.lists(st.text(max_size=4), max_size=6).map(np.array),
    st.integers(0, 3).map(lambda d: np.zeros((2,) * d)),
    st.just(np.array([{"code": 1}], dtype=object)),  # needs pickle: must be refused
)


@st.composite
def hostile_npzs(draw) -> bytes:
    attack = draw(st.sampled_from(["bytes", "mutate", "arrays"]))
    if attack == "bytes":
        return draw(st.binary(max_size=512))
    if attack == "mutate":
        return _mutate(_VALID_NPZ, draw)
    names = draw(st.lists(st.sampled_from(["X", "x", "y", "Y", "feature_names", "class_names"]), max_size=4))
    arrays = {name: draw(_array) for name in names}
    try:
        return _npz_bytes(**arrays)
    except ValueError:  # numpy refuses some ragged combinations itself
        return _VALID_NPZ


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(raw=hostile_npzs())
def test_npz_reader_gives_a_dataset_or_a_dataset_error(strength, raw):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "fuzz.npz", raw)
        data, message = _outcome(lambda: load_npz(path), DatasetError)
        if message is not None:
            assert "fuzz.npz" in message
        else:
            assert isinstance(data, Dataset)


# -- IDX -----------------------------------------------------------------------------------------------


def _idx(type_code: int, dims: tuple[int, ...], payload: bytes) -> bytes:
    return bytes([0, 0, type_code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims) + payload


_VALID_IMAGES = _idx(0x08, (3, 2, 2), bytes(range(12)))
_VALID_LABELS = _idx(0x08, (3,), bytes([0, 1, 2]))


@st.composite
def hostile_idx_pairs(draw) -> tuple[bytes, bytes]:
    attack = draw(st.sampled_from(["bytes", "mutate", "header", "gzip"]))
    if attack == "bytes":
        return draw(st.binary(max_size=256)), draw(st.binary(max_size=64))
    if attack == "mutate":
        return _mutate(_VALID_IMAGES, draw), _mutate(_VALID_LABELS, draw)
    if attack == "header":
        dims = tuple(draw(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4)))
        code = draw(st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x07, 0xFF]))
        return _idx(code, dims, draw(st.binary(max_size=64))), _VALID_LABELS
    return _mutate(gzip.compress(_VALID_IMAGES), draw), _VALID_LABELS


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(pair=hostile_idx_pairs())
def test_idx_reader_gives_a_dataset_or_a_dataset_error(strength, pair):
    with tempfile.TemporaryDirectory() as folder:
        images, labels = _write(folder, "img.idx", pair[0]), _write(folder, "lab.idx", pair[1])
        data, message = _outcome(lambda: load_idx(images, labels), DatasetError)
        if message is not None:
            assert ".idx" in message
        else:
            assert isinstance(data, Dataset)
            assert len(data.x) == len(data.y)


def test_idx_with_a_zero_dimension_is_a_clean_error(tmp_path):
    """Found by the thorough run: dims (0, 0) made numpy's reshape raise a bare ValueError."""
    images = _write(str(tmp_path), "img.idx", _idx(0x08, (0, 0), b""))
    with pytest.raises(DatasetError, match="empty set of images"):
        load_idx(images)


# -- size bombs: declared sizes far beyond the file's, checked by the memory a read allocates -------------


def _bounded_outcome(read, error: type[Exception], file_bytes: int):
    """`_outcome` of `read`, after checking its tracemalloc peak: at most 2.5x what a loaded dataset keeps,
    plus a small multiple of the file's own size (a block of text and its parse) and a 1 MiB read buffer,
    never a declared size."""
    tracemalloc.start()
    try:
        result, message = _outcome(read, error)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    kept = result.x.nbytes + result.y.nbytes if isinstance(result, Dataset) else 0
    assert peak <= 2.5 * kept + 8 * file_bytes + (2 << 20), (
        f"allocated {peak} bytes for {message or 'a load'}"
    )
    return result, message


_huge = st.one_of(st.integers(0, 16), st.integers(0, 2**32 - 1), st.integers(2**32, 2**62))


@st.composite
def declaring_npzs(draw) -> bytes:
    """An archive whose X header declares any shape (up to 2^62 per axis) of any dtype, over a few bytes."""
    header = io.BytesIO()
    shape = tuple(draw(st.lists(_huge, min_size=0, max_size=3)))
    dtype = draw(st.sampled_from(["<f8", "<i8", "|u1", "<U1000000", "|S3000", "<f2"]))
    np.lib.format.write_array_header_1_0(header, {"descr": dtype, "fortran_order": False, "shape": shape})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as z:
        z.writestr("X.npy", header.getvalue() + draw(st.binary(max_size=64)))
        z.writestr("y.npy", _npz_member(np.zeros(draw(st.integers(0, 4)), dtype=np.int64)))
    return buffer.getvalue()


def _npz_member(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(raw=declaring_npzs())
def test_npz_declared_sizes_cost_nothing_before_refusal(strength, raw):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "bomb.npz", raw)
        _bounded_outcome(lambda: load_npz(path), DatasetError, len(raw))


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(
    dims=st.lists(_huge.filter(lambda n: n < 2**32), min_size=1, max_size=4),
    code=st.sampled_from([8, 9, 11, 12, 13, 14]),
)
def test_idx_declared_sizes_cost_nothing_before_refusal(strength, dims, code):
    raw = _idx(code, tuple(dims), bytes(64))
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "bomb-images-idx3-ubyte", raw)
        _bounded_outcome(lambda: load_idx(path), DatasetError, len(raw))


@st.composite
def label_bombs(draw) -> bytes:
    """Many classes, long labels and long lines, in few rows."""
    classes = draw(st.integers(1, 3000))
    label_bytes = draw(st.integers(1, 2000))
    long_cell = draw(st.integers(0, 200_000))
    rows = [f"{i},{'L' * label_bytes}{i % classes}" for i in range(draw(st.integers(1, 3000)))]
    at = draw(st.integers(0, len(rows) - 1))
    rows[at] = "9" * long_cell + rows[at]
    return ("x,label\n" + "\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(raw=label_bombs(), chunk=st.sampled_from([1 << 12, 1 << 16, 1 << 22]))
def test_csv_classes_labels_and_lines_are_bounded(strength, raw, chunk):
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "bomb.csv", raw)
        data, _ = _bounded_outcome(lambda: load_csv(path, "label", chunk_bytes=chunk), DatasetError, len(raw))
        if data is not None:
            assert data.n_classes <= MAX_CLASSES
            assert max(map(len, data.class_names)) <= MAX_NAME_CHARS


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(sizes=st.lists(_huge.map(lambda n: max(n, 1)), min_size=2, max_size=50), depth=st.integers(0, 3000))
def test_project_declared_sizes_are_refused_before_the_weights(strength, sizes, depth):
    """Declared layer sizes (any, up to 2^62) and depth (up to 3,050 layers) over no weights at all."""
    sizes = sizes + [2] * depth
    layers = [{"size": sizes[0]}] + [{"size": n, "activation": "tanh"} for n in sizes[1:]]
    raw = json.dumps(
        {"format": "nnviz", "version": 1, "network": {"layers": layers, "weights": [], "biases": []}}
    )
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "bomb.nnviz", raw.encode())
        _, message = _bounded_outcome(lambda: load_project(path), DocumentError, len(raw))
        assert message is not None


@pytest.mark.parametrize("strength", STRENGTHS)
@FUZZ
@given(labels=st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=8))
def test_inline_class_labels_are_bounded(strength, labels):
    ref = {"kind": "inline", "task": "classification", "x": [[0.0]] * len(labels), "y": labels}
    data, _ = _bounded_outcome(lambda: reference_to_dataset(ref), DatasetError, 1000)
    if data is not None:
        assert data.n_classes <= MAX_CLASSES
