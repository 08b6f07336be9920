"""Built-in datasets: the Playground's label rules, the teaching sets' hand-checkable answers, parameters."""

import os
import sys

import numpy as np
import pytest

from nnviz.core.datasets import DatasetError
from nnviz.core.datasets.builtin import BUILTINS, make_dataset
from nnviz.core.datasets.playground import transform
from nnviz.core.datasets.teaching import puzzle_piece_class

SMALL = {"font_digits": {"samples": 40}}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", list(BUILTINS))
def test_every_builtin_is_valid_deterministic_and_fits_its_default_network(name):
    spec = BUILTINS[name]
    first = make_dataset(name, seed=3, **SMALL.get(name, {}))
    again = make_dataset(name, seed=3, **SMALL.get(name, {}))
    np.testing.assert_array_equal(first.x, again.x)
    np.testing.assert_array_equal(first.y, again.y)
    assert first.task == spec.task
    assert first.x.dtype == np.float64
    assert np.isfinite(first.x).all()
    sizes = spec.network.sizes(first)
    assert sizes[0] == first.n_features
    softmax = spec.network.output_activation == "softmax"  # a neuron per class, two classes too
    assert sizes[-1] == (first.n_classes if softmax else first.n_outputs)
    if first.task == "classification":
        assert set(np.unique(first.y)) <= set(range(first.n_classes))
    assert spec.to_json()["name"] == name


def test_seeds_change_random_sets():
    assert not np.array_equal(
        make_dataset("spiral", seed=1, noise=0.2).x, make_dataset("spiral", seed=2, noise=0.2).x
    )


def test_circle_labels_follow_radius_without_noise():
    ds = make_dataset("circle", seed=0, samples=400)
    r = np.hypot(ds.x[:, 0], ds.x[:, 1])
    np.testing.assert_array_equal(ds.y, (r < 2.5).astype(int))
    assert r.max() <= 5
    assert not ((r > 2.5) & (r < 3.5)).any()


def test_xor_labels_by_sign_and_padding():
    ds = make_dataset("xor", seed=0)
    np.testing.assert_array_equal(ds.y, (ds.x[:, 0] * ds.x[:, 1] >= 0).astype(int))
    assert np.abs(ds.x).min() >= 0.3


def test_gaussian_centres():
    ds = make_dataset("gaussian", seed=0, samples=2000)
    np.testing.assert_allclose(ds.x[ds.y == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(ds.x[ds.y == 0].mean(axis=0), [-2, -2], atol=0.1)


def test_spiral_first_points_and_radius():
    ds = make_dataset("spiral", seed=0, samples=100)
    np.testing.assert_allclose(ds.x[0], [0, 0])  # i = 0: radius 0
    np.testing.assert_allclose(ds.x[1], [0.1 * np.sin(1.75 * 0.02 * 2 * np.pi), 0.1 * np.cos(0.07 * np.pi)])
    assert np.hypot(ds.x[:, 0], ds.x[:, 1]).max() < 5


def test_plane_and_multi_gaussian_values():
    ds = make_dataset("plane", seed=0)
    np.testing.assert_allclose(ds.y[:, 0], ds.x.sum(axis=1) / 10)
    mg = make_dataset("multi_gaussian", seed=0, samples=3000)
    assert mg.y.shape == (3000, 1)
    assert mg.y.min() >= -1
    assert mg.y.max() <= 1
    near = np.hypot(mg.x[:, 0] + 4, mg.x[:, 1] - 2.5) < 0.2  # the +1 bump at (-4, 2.5)
    assert (mg.y[near, 0] > 0.85).all()


def test_feature_transform_columns():
    points = np.array([[1.0, 2.0], [-0.5, 3.0]])
    got = transform(points, "x1, x2, x1², x2^2, x1·x2, sin(x1), sin(x2)")
    np.testing.assert_allclose(got[1], [-0.5, 3.0, 0.25, 9.0, -1.5, np.sin(-0.5), np.sin(3.0)])
    ds = make_dataset("circle", seed=0, features="x1^2,x2^2")
    assert ds.feature_names == ["x1^2", "x2^2"]
    assert (ds.x >= 0).all()


def test_even_odd_labels_are_the_last_bit():
    ds = make_dataset("even_odd", seed=0, bits=5)
    assert len(ds) == 32
    values = ds.x @ (2 ** np.arange(4, -1, -1))
    assert sorted(values) == list(range(32))
    np.testing.assert_array_equal(ds.y, (values % 2 == 0).astype(int))
    assert ds.class_names == ["odd", "even"]


@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        (("flat", "flat", "tab", "blank"), 0),
        (("tab", "blank", "flat", "flat"), 0),
        (("flat", "tab", "tab", "blank"), 1),
        (("tab", "blank", "tab", "blank"), 2),
        (("flat", "tab", "flat", "tab"), None),
        (("flat", "flat", "flat", "tab"), None),
    ],
)
def test_puzzle_piece_rules(sides, expected):
    assert puzzle_piece_class(sides) == expected


def test_puzzle_set_counts():
    ds = make_dataset("puzzle", seed=0, repeats=2)
    assert ds.x.shape == (128, 12)
    np.testing.assert_array_equal(np.bincount(ds.y), [32, 64, 32])
    np.testing.assert_array_equal(ds.x.reshape(-1, 4, 3).sum(axis=2), 1)  # one shape per side


def test_rose_lotus_and_line():
    rl = make_dataset("rose_lotus", seed=0)
    assert rl.x[rl.y == 0, 1].mean() < 0.3 < rl.x[rl.y == 1, 1].mean()
    ln = make_dataset("line", seed=0, slope=-1.0, intercept=0.5)
    np.testing.assert_array_equal(ln.y, (ln.x[:, 1] > -ln.x[:, 0] + 0.5).astype(int))


def test_font_digits_images_balanced_and_cached(tmp_path):
    ds = make_dataset("font_digits", seed=5, samples=50)
    assert ds.image_shape == (28, 28)
    assert ds.x.shape == (50, 784)
    assert ds.x.min() >= 0
    assert ds.x.max() <= 1
    np.testing.assert_array_equal(np.bincount(ds.y), [5] * 10)
    cached = list((tmp_path / "cache" / "nnviz").glob("stroke_digits_*.npz"))
    assert len(cached) == 1
    np.testing.assert_array_equal(make_dataset("font_digits", seed=5, samples=50).x, ds.x)
    assert len(list((tmp_path / "cache" / "nnviz").glob("*.npz"))) == 1
    # the digit is drawn in the middle: the border is (nearly) empty, the centre inked
    images = make_dataset("font_digits", seed=5, samples=50, noise=0.0).x.reshape(-1, 28, 28)
    assert images[:, :2].max() == 0
    assert images[:, 8:20, 8:20].sum(axis=(1, 2)).min() > 5


def test_digits8_is_shipped_and_needs_no_scikit_learn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    ds = make_dataset("digits8", seed=0)
    assert ds.x.shape == (1797, 64)
    assert ds.image_shape == (8, 8)
    assert (ds.x.min(), ds.x.max()) == (0.0, 1.0)
    np.testing.assert_array_equal(np.bincount(ds.y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])


def test_digits8_file_holds_scikit_learns_copy_of_the_uci_digits():
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    rng = np.random.default_rng(7)
    ds = make_dataset("digits8", seed=7)
    order = rng.permutation(len(digits.target))  # the rows are shuffled by the seed, as before
    np.testing.assert_array_equal(ds.x, digits.data[order] / 16.0)
    np.testing.assert_array_equal(ds.y, digits.target[order])


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("nope", {}, "no built-in dataset 'nope'"),
        ("spiral", {"bogus": 1}, "unknown parameter 'bogus'"),
        ("spiral", {"noise": 0.9}, r"noise must be in \[0.0, 0.5\]"),
        ("spiral", {"samples": "many"}, "samples must be int"),
        ("spiral", {"samples": 2.5}, "samples must be int"),
        ("spiral", {"noise": "nan"}, "finite"),
        ("spiral", {"features": "x3"}, "unknown input feature 'x3'"),
        ("spiral", {"features": ""}, "unknown input feature"),
        ("even_odd", {"bits": 40}, "bits must be in"),
    ],
)
def test_bad_parameters_are_clear_errors(name, params, message):
    with pytest.raises(DatasetError, match=message):
        make_dataset(name, seed=0, **params)


def test_text_parameters_from_the_command_line_are_converted():
    ds = make_dataset("spiral", seed=0, samples="100", noise="0.1")
    assert len(ds) == 100


def test_bad_seed():
    with pytest.raises(DatasetError, match="seed"):
        make_dataset("xor", seed=-1)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_in_place_of_the_digit_cache_is_regenerated_over(tmp_path):
    """The cache file is read like any data file: a FIFO there would block; it is treated as not cached."""
    first = make_dataset("font_digits", seed=6, samples=20)
    (cached,) = (tmp_path / "cache" / "nnviz").glob("stroke_digits_*.npz")
    cached.unlink()
    os.mkfifo(cached)
    np.testing.assert_array_equal(make_dataset("font_digits", seed=6, samples=20).x, first.x)
    assert cached.is_file()
