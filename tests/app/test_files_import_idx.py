"""IDX files (MNIST's format), gzipped or not, import everywhere data imports: a data reference or
`load_file`, `nnviz train --data`, a drop on the window and File ▸ Import. The images file finds its labels
file beside it by MNIST's naming (`train-images-idx3-ubyte` → `train-labels-idx1-ubyte`)."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from nnviz.cli import main
from nnviz.core.dataset_ref import load_file, reference_to_dataset
from nnviz.core.datasets.files import idx_labels_for, is_idx
from nnviz.core.document import load_project
from tests.app.dropping import drop

RNG = np.random.default_rng(0)
PIXELS = RNG.integers(0, 256, (12, 3, 3), dtype=np.uint8)
LABELS = (np.arange(12) % 3).astype(np.uint8)


def _idx(array: np.ndarray) -> bytes:
    code = {np.dtype(np.uint8): 0x08}[array.dtype]
    return b"\0\0" + bytes([code, array.ndim]) + np.array(array.shape, ">u4").tobytes() + array.tobytes()


@pytest.fixture(params=["", ".gz"], ids=["plain", "gzip"])
def mnist(tmp_path, request) -> Path:
    """`train-images-idx3-ubyte[.gz]` and its labels file, in tmp_path; the images path."""
    suffix = request.param
    for name, array in (("train-images-idx3-ubyte", PIXELS), ("train-labels-idx1-ubyte", LABELS)):
        data = _idx(array)
        (tmp_path / (name + suffix)).write_bytes(gzip.compress(data) if suffix else data)
    return tmp_path / ("train-images-idx3-ubyte" + suffix)


def _check(data) -> None:
    assert data.task == "classification"
    assert data.image_shape == (3, 3)
    np.testing.assert_allclose(data.x, PIXELS.reshape(12, 9) / 255.0)
    np.testing.assert_array_equal(data.y, LABELS)
    assert data.class_names == ["0", "1", "2"]


def test_idx_names_are_recognised():
    for name in ("train-images-idx3-ubyte", "t10k-labels.idx1-ubyte.gz", "digits.idx", "A-IMAGES-IDX3-UBYTE"):
        assert is_idx(name), name
    for name in ("data.csv", "ubyte.npz", "idx3.txt", "train.gz"):
        assert not is_idx(name), name


def test_the_labels_file_is_found_beside_the_images(mnist):
    assert idx_labels_for(mnist) == str(mnist).replace("images-idx3", "labels-idx1")
    assert idx_labels_for(mnist.with_name("other-idx3-ubyte")) is None


def test_load_file_and_a_data_reference_read_idx(mnist):
    """Was: "name the target column(s) of the CSV file" — no path read IDX though the README said so."""
    _check(load_file(str(mnist), []))
    _check(reference_to_dataset({"kind": "file", "path": mnist.name}, mnist.parent))


def test_images_without_a_labels_file_are_inputs_only(mnist):
    Path(idx_labels_for(mnist)).unlink()
    data = load_file(str(mnist), [])
    assert data.x.shape == (12, 9)
    assert data.y.shape == (12, 0)


def test_train_with_idx_data(mnist, tmp_path, capsys):
    out, start = tmp_path / "trained.nnviz", tmp_path / "start.nnviz"
    assert (
        main(
            [
                "new",
                "--layers",
                "9,4,3",
                "--activation",
                "tanh",
                "--output-activation",
                "softmax",
                "-o",
                str(start),
            ]
        )
        == 0
    )
    code = main(
        [
            "train",
            str(start),
            "--data",
            str(mnist),
            "--epochs",
            "1",
            "--loss",
            "cross_entropy",
            "--test-fraction",
            "0",
            "-o",
            str(out),
        ]
    )
    _, err = capsys.readouterr()
    assert code == 0, err
    project = load_project(out)
    assert project.network.sizes[0] == 9
    assert project.dataset["path"] == mnist.name
    assert project.dataset["class_names"] == ["0", "1", "2"]


def test_dropped_idx_images_become_the_data(window, mnist):
    assert drop(window, mnist)
    _check(window.session.dataset)
    assert window.session.network.sizes[0] == 9
    assert window.session.network.sizes[-1] == 3


def test_file_import_reads_idx(window, mnist, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(mnist), ""))
    window.project_ui.import_csv_action.trigger()
    _check(window.session.dataset)


def test_saving_elsewhere_copies_the_labels_with_the_images(mnist, tmp_path, monkeypatch):
    """Large data from outside the project's folder is copied next to it; IDX images need their labels file
    copied too, under the name that pairs them, or the saved project reopens without classes."""
    from nnviz.core import dataset_ref

    monkeypatch.setattr(dataset_ref, "EMBED_LIMIT", 10)
    data = load_file(str(mnist), [])
    project_folder = tmp_path / "project"
    project_folder.mkdir()
    ref, note = dataset_ref.portable_reference(
        {"kind": "file", "path": str(mnist)}, data, None, project_folder
    )
    assert "copied" in note
    _check(reference_to_dataset(ref, project_folder))
