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
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.core.datasets import Dataset, DatasetError
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
