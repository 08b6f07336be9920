"""Fuzzing every loader: random bytes and random mutations of valid files end in a DatasetError or a valid
Dataset, never in any other exception (HYPOTHESIS_PROFILE=thorough runs thousands of cases)."""

import gzip
import io
import struct

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnviz.core.datasets import Dataset, DatasetError
from nnviz.core.datasets.files import load_csv, load_idx, load_npz


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def valid_csv() -> bytes:
    return b"a,b,label\n1,2.5,cat\n-3,4e2,dog\n5,6,cat\n"


def valid_npz() -> bytes:
    out = io.BytesIO()
    np.savez(out, X=np.arange(6.0).reshape(3, 2), y=np.array([0, 1, 0]), class_names=np.array(["a", "b"]))
    return out.getvalue()


def valid_idx() -> bytes:
    images = np.arange(12, dtype=np.uint8).reshape(3, 2, 2)
    return bytes([0, 0, 8, 3]) + struct.pack(">3I", 3, 2, 2) + images.tobytes()


@st.composite
def mutated(draw, original: bytes):
    """A valid file with a few random byte flips, insertions, deletions or a truncation."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 8))]
        else:
            del data[at:]
    return bytes(data)


def assert_clean(load, path, data: bytes):
    path.write_bytes(data)
    try:
        result = load(path)
    except DatasetError:
        return
    assert isinstance(result, Dataset)
    assert len(result.x) == len(result.y)
    assert np.isfinite(result.x).all()


CSV_TEXT = st.text(alphabet=',;\t\n\r"0123456789.-+eEinfatlbcd \x00é', max_size=200).map(str.encode)


def csv_loader(path):
    return load_csv(path, "label", chunk_bytes=16)


@given(
    data=st.one_of(
        st.binary(max_size=300),
        CSV_TEXT,
        CSV_TEXT.map(lambda body: b"a,b,label\n" + body),
        mutated(valid_csv()),
    )
)
def test_csv_never_raises_anything_else(folder, data):
    assert_clean(csv_loader, folder / "f.csv", data)


@given(data=st.one_of(st.binary(max_size=300), mutated(valid_npz())))
def test_npz_never_raises_anything_else(folder, data):
    assert_clean(load_npz, folder / "f.npz", data)


@given(data=st.one_of(st.binary(max_size=100), mutated(valid_idx()), mutated(gzip.compress(valid_idx()))))
def test_idx_never_raises_anything_else(folder, data):
    assert_clean(load_idx, folder / "f.idx", data)


@given(labels=st.one_of(st.binary(max_size=40), mutated(bytes([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]))))
def test_idx_labels_never_raise_anything_else(folder, labels):
    (folder / "images").write_bytes(valid_idx())
    assert_clean(lambda path: load_idx(folder / "images", path), folder / "labels", labels)
