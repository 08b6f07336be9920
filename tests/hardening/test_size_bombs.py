"""Small files that declare or imply huge sizes: class labels, class counts, long labels and lines, zip
bombs, array headers and layer sizes. Each is refused with the limit in its message, and refused before
the size it declares is allocated: the checks here are of the memory a reader allocates (tracemalloc's
peak), never of time. A reader that keeps what it read allocates at most about twice what it keeps.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import numpy as np
import pytest

from nnviz.app.dialogs import csv_import
from nnviz.core import document, stepping
from nnviz.core.dataset_ref import reference_to_dataset
from nnviz.core.datasets import DatasetError
from nnviz.core.datasets import files as files_module
from nnviz.core.datasets.base import MAX_CLASSES, MAX_NAME_CHARS
from nnviz.core.datasets.csv_reader import MAX_LINE_BYTES
from nnviz.core.datasets.files import load_csv, load_idx, load_npz
from nnviz.core.document import DocumentError, parse_project
from nnviz.core.network import MAX_LAYERS, Network

MB = 1 << 20


def _peak(call):
    """(result or raised exception, peak bytes allocated while calling)."""
    tracemalloc.start()
    try:
        try:
            result = call()
        except Exception as e:
            result = e
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- class labels and classes ------------------------------------------------------------------------------


def test_an_inline_class_label_of_ten_million_is_refused_without_naming_every_class():
    """Was: a name built for each of 10,000,001 classes (77 s and 7.5 GB in the window)."""
    ref = {"kind": "inline", "task": "classification", "x": [[0], [1], [2], [3]], "y": [0, 10000000, 1, 0]}
    error, peak = _peak(lambda: reference_to_dataset(ref))
    assert isinstance(error, DatasetError)
    assert f"at most {MAX_CLASSES} classes" in str(error)
    assert peak < 1 * MB


def test_npz_integer_label_beyond_the_class_limit(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.zeros((3, 2)), y=np.array([0, 1, 5_000_000]))
    error, peak = _peak(lambda: load_npz(path))
    assert isinstance(error, DatasetError)
    assert f"at most {MAX_CLASSES} classes" in str(error)
    assert peak < 1 * MB


def test_npz_label_of_2_to_the_64_minus_1_is_not_read_as_minus_1(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.zeros((2, 2)), y=np.array([0, 2**64 - 1], dtype=np.uint64))
    with pytest.raises(DatasetError, match="18446744073709551615 is too large"):
        load_npz(path)


def test_csv_with_more_classes_than_the_limit(tmp_path):
    """Was: 20,000 classes in a 200 KB CSV cost gigabytes downstream (an output neuron per class)."""
    path = tmp_path / "many.csv"
    path.write_text("x,label\n" + "".join(f"{i},c{i}\n" for i in range(20_000)))
    error, peak = _peak(lambda: load_csv(path, "label"))
    assert isinstance(error, DatasetError)
    assert f"more than {MAX_CLASSES} different class labels" in str(error)
    assert peak < 16 * MB


def test_csv_class_label_of_5_mb(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"x,label\n1,a\n2," + b"b" * (5 * MB) + b"\n3,a\n")
    error, peak = _peak(lambda: load_csv(path, "label", chunk_bytes=MB))
    assert isinstance(error, DatasetError)
    assert "line 3, column 'label'" in str(error)
    assert f"at most {MAX_NAME_CHARS} are allowed" in str(error)
    assert len(str(error)) < 300  # the label is not echoed whole
    assert peak < 24 * MB


def test_csv_column_name_longer_than_the_limit(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("x," + "n" * 100_000 + ",y\n1,2,3\n")
    with pytest.raises(
        DatasetError, match=f"line 1: a column name of 100000 characters .*at most {MAX_NAME_CHARS}"
    ):
        load_csv(path, "y")


def test_npz_string_labels_longer_than_the_limit(tmp_path):
    path = tmp_path / "d.npz"
    np.savez(path, X=np.zeros((2, 1)), y=np.array(["a", "b" * 100_000]))
    with pytest.raises(DatasetError, match=f"at most {MAX_NAME_CHARS} characters"):
        load_npz(path)


# -- archives and declared sizes ---------------------------------------------------------------------------


def _npz_with(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _npy_header(shape, dtype="<f8") -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, {"descr": dtype, "fortran_order": False, "shape": shape})
    return out.getvalue()


def test_npz_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    """A 64 MiB array of zeros deflates to about 64 KB; with the limit lowered to 16 MiB the archive must be
    refused from its .npy header, without unpacking (was: a 2.3 MB archive held 7.5 GB)."""
    monkeypatch.setattr(files_module, "MAX_DATA_BYTES", 16 * MB)
    path = tmp_path / "bomb.npz"
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((8 * MB // 8, 8)))
    _npz_with(path, {"X.npy": buffer.getvalue(), "y.npy": _y_bytes(MB)})
    assert path.stat().st_size < MB
    error, peak = _peak(lambda: load_npz(path))
    assert isinstance(error, DatasetError)
    assert "at most 16 MiB are read" in str(error)
    assert peak < 2 * MB


def _y_bytes(rows: int) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(rows, dtype=np.int64))
    return buffer.getvalue()


def test_npz_header_declaring_a_huge_shape_is_refused_before_allocating(tmp_path):
    """A few bytes claiming a 10^12-element array (numpy would allocate it before finding the data short)."""
    path = tmp_path / "claims.npz"
    _npz_with(path, {"X.npy": _npy_header((1_000_000, 1_000_000)), "y.npy": _y_bytes(3)})
    error, peak = _peak(lambda: load_npz(path))
    assert isinstance(error, DatasetError)
    assert "MiB are read" in str(error)
    assert peak < 1 * MB


def test_npz_members_beyond_the_limit_and_unused_members_are_not_read(tmp_path):
    path = tmp_path / "many.npz"
    _npz_with(path, {f"m{i}.npy": b"" for i in range(1_001)}, zipfile.ZIP_STORED)
    with pytest.raises(DatasetError, match="1001 archive members; at most 1000"):
        load_npz(path)
    # a member nnviz does not use may be anything, even a huge claim: it is never read
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((4, 2)))
    _npz_with(path, {"X.npy": buffer.getvalue(), "y.npy": _y_bytes(4), "junk.npy": _npy_header((10**9,))})
    assert len(load_npz(path)) == 4


def test_idx_header_declaring_more_than_the_limit(tmp_path):
    path = tmp_path / "big-images-idx3-ubyte"
    path.write_bytes(b"\0\0\x08\x03" + np.array([100_000, 100, 100], ">u4").tobytes())
    error, peak = _peak(lambda: load_idx(path))
    assert isinstance(error, DatasetError)
    assert "MiB are read" in str(error)
    assert peak < 1 * MB


def _network_text(sizes, weights="[]") -> str:
    layers = [{"size": sizes[0]}] + [{"size": n, "activation": "tanh"} for n in sizes[1:]]
    return json.dumps({"format": "nnviz", "version": 1, "network": {"layers": layers}})[:-2] + (
        f', "weights": {weights}, "biases": []}}}}'
    )


def test_a_declared_layer_of_a_million_neurons_is_refused_before_the_weights_are_parsed(monkeypatch):
    """Was: 20 s and 3.6 GB to parse the weights of a 200 MB file before the size check refused it."""
    text = _network_text([2, 1_000_000, 1], "[" + ",".join(["[0.5, 0.5]"] * 100_000) + "]")
    monkeypatch.setattr(document.json, "loads", lambda *a, **k: pytest.fail("parsed the whole file"))
    with pytest.raises(DocumentError, match=r"network\.layers: layer 1 has 1000000 neurons; at most 10000 "):
        parse_project(text.encode(), "big.nnviz")


def test_the_early_size_check_leaves_other_layouts_to_the_full_parse():
    """Keys in another order, or a nested value before `network`, are parsed whole (same refusal)."""
    text = json.dumps(
        {
            "view": {},
            "format": "nnviz",
            "version": 1,
            "network": {
                "weights": [],
                "biases": [],
                "layers": [{"size": 2}, {"size": 10**6, "activation": "tanh"}],
            },
        }
    )
    with pytest.raises(DocumentError, match="at most 10000 "):
        parse_project(text.encode(), "p.nnviz")


def test_more_layers_than_the_limit_are_refused_from_the_declaration(monkeypatch):
    """Was: a 20,000-layer network took more than 300 s to open."""
    monkeypatch.setattr(document.json, "loads", lambda *a, **k: pytest.fail("parsed the whole file"))
    with pytest.raises(DocumentError, match=f"20000 layers; at most {MAX_LAYERS}"):
        parse_project(_network_text([2] * 20_000).encode(), "deep.nnviz")


def test_the_stepper_reads_the_layer_sizes_once_not_once_per_layer(monkeypatch):
    """Network.sizes builds a list over all layers; reading it per layer made step-through set-up
    quadratic in depth (the bulk of the 300 s for 20,000 layers)."""
    reads = []
    real = Network.sizes.fget
    monkeypatch.setattr(Network, "sizes", property(lambda self: reads.append(1) or real(self)))
    net = Network.create([2] * 200, "tanh", seed=0)
    reads.clear()
    stepping.ForwardStepper(net, np.zeros(2), np.zeros(2), "mse")
    assert len(reads) < 10


# -- long lines ----------------------------------------------------------------------------------------


def test_a_line_longer_than_the_limit_is_refused_and_cancel_is_polled_within_it(tmp_path):
    """Was: one 800 MB line took 122 s (the unfinished line re-copied and re-searched on every read) with
    Cancel never polled. Now each read is searched alone, Cancel is polled before every read, and the line
    is refused once MAX_LINE_BYTES of it have been read."""
    path = tmp_path / "long.csv"
    path.write_bytes(b"a,y\n" + b"1" * (MAX_LINE_BYTES + MB) + b",2\n")
    polls = []
    error, peak = _peak(lambda: load_csv(path, "y", cancel=lambda: polls.append(1) and False, chunk_bytes=MB))
    assert isinstance(error, DatasetError)
    assert f"line 2: longer than {MAX_LINE_BYTES >> 20} MiB" in str(error)
    assert len(polls) >= MAX_LINE_BYTES // MB  # every 1 MiB read, inside the line
    assert peak < 3 * MAX_LINE_BYTES


def test_cancel_stops_a_load_inside_one_long_line(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"a,y\n" + b"1" * (4 * MB))
    polls = []
    with pytest.raises(DatasetError, match="cancelled"):
        load_csv(path, "y", cancel=lambda: polls.append(1) or len(polls) > 2, chunk_bytes=MB // 4)
    assert len(polls) == 3


def test_a_header_line_longer_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "h.csv"
    path.write_bytes(b"a" * (MAX_LINE_BYTES + 10))
    error, peak = _peak(lambda: load_csv(path, "y"))
    assert isinstance(error, DatasetError)
    assert "line 1: longer than" in str(error)
    assert peak < 2 * MAX_LINE_BYTES + MB


def test_the_import_preview_reads_a_bounded_head_of_a_single_line_file(tmp_path):
    """Was: a 50 MB single-line CSV hung the import preview (the whole line read, a column per cell)."""
    path = tmp_path / "one.csv"
    path.write_bytes(b"1," * (3 * MB))
    error, peak = _peak(lambda: csv_import.read_preview(str(path)))
    assert isinstance(error, DatasetError)
    assert "first line is longer than" in str(error)
    assert peak < 3 * csv_import.PREVIEW_BYTES


def test_the_import_preview_refuses_more_columns_than_it_offers(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(5_000)) + "\n")
    with pytest.raises(
        DatasetError, match=f"5000 columns; this dialog offers at most {csv_import.MAX_DIALOG_COLUMNS}"
    ):
        csv_import.read_preview(str(path))


# -- what a reader keeps against what it allocates ------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "npz", "idx"])
def test_a_reader_allocates_at_most_about_twice_what_it_keeps(tmp_path, kind):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20_000, 50))
    y = rng.integers(0, 10, 20_000)
    if kind == "csv":
        path = tmp_path / "d.csv"
        np.savetxt(
            path,
            np.column_stack([x, y]),
            delimiter=",",
            header=",".join([f"f{i}" for i in range(50)] + ["t"]),
            comments="",
        )
        read = lambda: load_csv(path, "t", chunk_bytes=MB)  # noqa: E731
    elif kind == "npz":
        path = tmp_path / "d.npz"
        np.savez_compressed(path, X=x, y=y)
        read = lambda: load_npz(path)  # noqa: E731
    else:
        path = tmp_path / "d-images-idx3-ubyte"
        pixels = rng.integers(0, 256, (20_000, 25, 25), dtype=np.uint8)
        path.write_bytes(b"\0\0\x08\x03" + np.array(pixels.shape, ">u4").tobytes() + pixels.tobytes())
        read = lambda: load_idx(path)  # noqa: E731
    data, peak = _peak(read)
    kept = data.x.nbytes + data.y.nbytes
    assert peak < 2.2 * kept, f"{kind}: allocated {peak / MB:.1f} MiB to keep {kept / MB:.1f} MiB"


def test_a_small_project_is_read_without_allocating_the_size_limit(tmp_path):
    """`read(MAX_FILE_BYTES + 1)` allocated 200 MB up front for any project, however small."""
    from nnviz.core.document import load_project, save_project
    from nnviz.core.examples import load_example

    path = tmp_path / "classic.nnviz"
    save_project(load_example("classic"), path)
    project, peak = _peak(lambda: load_project(path))
    assert project.network.sizes == [2, 2, 2]
    assert peak < 2 * MB


def test_an_empty_or_too_wide_npz_is_refused_before_naming_its_features(tmp_path):
    """0 rows of 30,000 columns built 30,000 feature names for an empty set; more features than a layer can
    have cannot be a network's inputs."""
    path = tmp_path / "d.npz"
    np.savez(path, X=np.zeros((0, 30_000)), y=np.zeros(0, dtype=np.int64))
    with pytest.raises(DatasetError, match=r"no data: 0 rows"):
        load_npz(path)
    np.savez(path, X=np.zeros((1, 10_001), dtype=np.uint8), y=np.zeros(1, dtype=np.int64))
    with pytest.raises(DatasetError, match="10001 features; at most 10000 "):
        load_npz(path)


def test_npz_member_declaring_more_than_it_holds_is_refused_reading_what_it_holds(tmp_path):
    """NumPy's reader allocates the declared array before finding the data short."""
    path = tmp_path / "short.npz"
    _npz_with(path, {"X.npy": _npy_header((4096, 4096)) + bytes(64), "y.npy": _y_bytes(4096)})
    error, peak = _peak(lambda: load_npz(path))
    assert isinstance(error, DatasetError)
    assert "declares (4096, 4096) float64 but holds 64 bytes" in str(error)
    assert peak < 2 * MB


def test_a_forward_pass_over_a_large_batch_holds_a_bounded_slice_of_a_wide_layer():
    """A decision map (4,096 grid points) through a 100,000-wide layer allocated 6.6 GB (z and f(z) for all
    points at once); the window took 94 s to open 2-100000-1 with 2-D data. Here 2-5000-1: 330 MB at once
    before, slices of 4,194,304 values (32 MB) now, and the same outputs."""
    net = Network.create([2, 5000, 1], "tanh", "sigmoid", seed=0)
    grid = np.random.default_rng(0).normal(size=(4096, 2))
    out, peak = _peak(lambda: net.forward(grid))
    assert out.shape == (4096, 1)
    assert peak < 100 * MB
    for i in range(0, 4096, 512):
        np.testing.assert_allclose(out[i], net.forward(grid[i])[0], rtol=1e-12)
