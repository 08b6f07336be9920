"""The decimated curve history keeps memory bounded and each stored point the mean of what it replaced."""

import numpy as np
import pytest

from nnviz.app.plots.curve_history import DecimatedHistory


def test_short_history_is_kept_verbatim():
    h = DecimatedHistory(8)
    for i in range(5):
        h.append(i, 10.0 * i)
    np.testing.assert_array_equal(h.x, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(h.y, [0, 10, 20, 30, 40])


def test_a_million_points_stay_within_capacity_and_keep_the_mean():
    h = DecimatedHistory(64)
    y = np.random.default_rng(0).random(1_000_000)
    for i, v in enumerate(y):
        h.append(i, v)
    assert len(h) <= 64
    assert np.all(np.diff(h.x) > 0)
    covered = len(h) * h.stride  # raw points summarised so far (any remainder is still pending)
    assert h.x[-1] == covered - 1
    # every stored point summarises the same number of raw points, so their mean is the raw mean
    np.testing.assert_allclose(h.y.mean(), y[:covered].mean(), rtol=1e-12)


def test_merging_averages_neighbours_hand_worked():
    h = DecimatedHistory(4)
    for i, v in enumerate([1.0, 3.0, 5.0, 7.0, 9.0]):
        h.append(i, v)
    # full at 4 points; the fifth halves them to (1, 2.0), (3, 6.0) and stride 2 holds 9 pending
    np.testing.assert_array_equal(h.x, [1, 3])
    np.testing.assert_array_equal(h.y, [2.0, 6.0])
    h.append(5, 11.0)
    np.testing.assert_array_equal(h.x, [1, 3, 5])
    np.testing.assert_array_equal(h.y, [2.0, 6.0, 10.0])


def test_odd_capacity_is_refused():
    with pytest.raises(ValueError, match="even"):
        DecimatedHistory(5)
