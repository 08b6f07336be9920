"""load_npz and load_idx: valid files, and the clear errors for lying headers and mismatched counts."""

import gzip
import struct

import numpy as np
import pytest

from nnviz.core.datasets import DatasetError
from nnviz.core.datasets.files import load_idx, load_npz


def idx_bytes(array: np.ndarray, type_code: int = 0x08) -> bytes:
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def test_npz_classification_with_names(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.arange(6.0).reshape(3, 2), y=np.array([1, 0, 1]), class_names=np.array(["no", "yes"]))
    ds = load_npz(path)
    assert ds.task == "classification"
    assert ds.class_names == ["no", "yes"]
    np.testing.assert_array_equal(ds.x, [[0, 1], [2, 3], [4, 5]])


def test_npz_string_labels_images_and_regression(tmp_path):
    np.savez(tmp_path / "s.npz", X=np.zeros((3, 2, 2), np.uint8), y=np.array(["b", "a", "b"]))
    ds = load_npz(tmp_path / "s.npz")
    assert ds.class_names == ["a", "b"]
    np.testing.assert_array_equal(ds.y, [1, 0, 1])
    assert ds.image_shape == (2, 2)
    np.savez(tmp_path / "r.npz", x=np.ones((2, 3)), y=np.array([0.5, 1.5]))
    reg = load_npz(tmp_path / "r.npz")
    assert reg.task == "regression"
    assert reg.y.shape == (2, 1)


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"X": np.ones((2, 2))}, "needs arrays 'X' and 'y'"),
        ({"X": np.ones((2, 2)), "y": np.ones(3)}, "one label or target row per X row"),
        ({"X": np.array([[1.0, np.nan]]), "y": np.ones(1)}, r"X: not finite \(nan\) at index \[0, 1\]"),
        ({"X": np.ones((2, 1)), "y": np.array([0, -1])}, "must not be negative"),
        ({"X": np.ones((1, 1)), "y": np.array([3]), "class_names": np.array(["a"])}, "1 class names"),
        ({"X": np.array([["a"]]), "y": np.ones(1)}, "X must be a numeric table"),
    ],
)
def test_npz_errors(tmp_path, arrays, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(DatasetError, match=message):
        load_npz(path)


def test_npz_refuses_pickles_and_non_archives(tmp_path):
    path = tmp_path / "p.npz"
    np.savez(path, X=np.array([{"a": 1}], dtype=object), y=np.ones(1))
    with pytest.raises(DatasetError, match=r"p\.npz: not a readable \.npz archive"):
        load_npz(path)
    np.save(tmp_path / "a.npy", np.ones(3))
    with pytest.raises(DatasetError, match=r"not an \.npz archive"):
        load_npz(tmp_path / "a.npy")
    with pytest.raises(DatasetError, match="no such file"):
        load_npz(tmp_path / "missing.npz")


@pytest.mark.parametrize("gzipped", [False, True])
def test_idx_images_and_labels(tmp_path, gzipped):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4) * 10
    labels = np.array([7, 2], dtype=np.uint8)
    opener = gzip.open if gzipped else open
    with opener(tmp_path / "img", "wb") as f:
        f.write(idx_bytes(images))
    with opener(tmp_path / "lab", "wb") as f:
        f.write(idx_bytes(labels))
    ds = load_idx(tmp_path / "img", tmp_path / "lab")
    assert ds.image_shape == (3, 4)
    np.testing.assert_allclose(ds.x, images.reshape(2, -1) / 255)
    np.testing.assert_array_equal(ds.y, [7, 2])
    assert ds.class_names == [str(d) for d in range(8)]
    unlabeled = load_idx(tmp_path / "img")
    assert unlabeled.y.shape == (2, 0)


def test_idx_float_images(tmp_path):
    (tmp_path / "f").write_bytes(idx_bytes(np.array([[1.5, -2.0]], dtype=np.float32), 0x0D))
    np.testing.assert_array_equal(load_idx(tmp_path / "f").x, [[1.5, -2.0]])


def test_idx_header_that_lies_about_its_size(tmp_path):
    data = bytearray(idx_bytes(np.zeros((3, 2, 2), np.uint8)))
    data[7] = 5  # claims 5 images, holds 3
    (tmp_path / "img").write_bytes(bytes(data))
    with pytest.raises(
        DatasetError, match=r"img: the header says \(5, 2, 2\) \(20 bytes of data\) but the file"
    ):
        load_idx(tmp_path / "img")
    (tmp_path / "long").write_bytes(idx_bytes(np.zeros((1, 2, 2), np.uint8)) + b"extra")
    with pytest.raises(DatasetError, match="holds more"):
        load_idx(tmp_path / "long")


def test_idx_label_count_mismatch_and_bad_magic(tmp_path):
    (tmp_path / "img").write_bytes(idx_bytes(np.zeros((3, 2, 2), np.uint8)))
    (tmp_path / "lab").write_bytes(idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(DatasetError, match="4 labels for 3 images"):
        load_idx(tmp_path / "img", tmp_path / "lab")
    (tmp_path / "junk").write_bytes(b"PK\x03\x04 not idx")
    with pytest.raises(DatasetError, match="bad magic number"):
        load_idx(tmp_path / "junk")
    (tmp_path / "empty").write_bytes(b"")
    with pytest.raises(DatasetError, match="not an IDX file"):
        load_idx(tmp_path / "empty")
    (tmp_path / "gz").write_bytes(gzip.compress(idx_bytes(np.zeros((2, 2), np.uint8)))[:-6])
    with pytest.raises(DatasetError, match="gz"):
        load_idx(tmp_path / "gz")


@pytest.mark.parametrize(
    ("stored", "kept"),
    [(np.float32, np.float32), (np.uint8, np.float32), (np.int16, np.float32),
     (np.float64, np.float64), (np.int64, np.float64)],
)  # fmt: skip
def test_image_sets_stay_float32_where_float32_holds_them_exactly(tmp_path, stored, kept):
    """A 60,000-image set as float64 took 376 MB (and a conversion) where 188 MB hold it exactly."""
    x = (np.arange(24).reshape(4, 6) * 3).astype(stored)
    np.savez(tmp_path / "d.npz", X=x, y=np.array([0, 1, 0, 1]))
    data = load_npz(tmp_path / "d.npz")
    assert data.x.dtype == kept
    np.testing.assert_array_equal(data.x, x.astype(np.float64))


def test_a_float64_network_trains_on_float32_features_exactly_as_on_float64_ones():
    from nnviz.core.network import Network
    from nnviz.core.training import Trainer, TrainingConfig

    rng = np.random.default_rng(0)
    x = rng.random((40, 5)).astype(np.float32)
    y = rng.integers(0, 3, 40)
    nets = []
    for features in (x, x.astype(np.float64)):
        net = Network.create([5, 4, 3], activation="tanh", output_activation="softmax", seed=1)
        Trainer(net, TrainingConfig(batch_size=8, seed=2), "classification").fit(features, y, 3)
        nets.append(net)
    for a, b in zip(nets[0].weights + nets[0].biases, nets[1].weights + nets[1].biases, strict=True):
        assert a.dtype == np.float64
        np.testing.assert_array_equal(a, b)
