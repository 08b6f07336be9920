"""Comparing parameter arrays chunk by chunk gives what comparing them whole gives."""

import numpy as np
import pytest

from nnviz.core import array_diff
from nnviz.core.array_diff import changed_positions, equal_arrays


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(array_diff, "CHUNK", 5)  # so the small arrays here span several chunks


def arrays(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(4, 7)), rng.normal(size=(3, 4)), rng.normal(size=3)]


def test_equal_arrays_agrees_with_numpy_on_equal_different_and_misshapen_arrays():
    a = arrays()[0]
    b = a.copy()
    assert equal_arrays(a, b)
    b[3, 6] = np.nextafter(b[3, 6], 1.0)  # the last number, in the last chunk
    assert not equal_arrays(a, b)
    assert not equal_arrays(a, a.reshape(7, 4))
    nan = np.array([1.0, np.nan])
    assert equal_arrays(nan, nan)  # the same array: not read
    assert equal_arrays(nan, nan.copy()) == np.array_equal(nan, nan.copy())


def test_changed_positions_lists_every_change_in_order_with_its_array():
    old = arrays()
    new = [a.copy() for a in old]
    new[0][3, 5] += 1.0
    new[0][0, 1] -= 1.0
    new[2][2] = 0.5
    assert changed_positions(old, new, limit=10) == [(0, 0, 1), (0, 3, 5), (2, 2)]
    assert changed_positions(old, [a.copy() for a in old], limit=10) == []


def test_changed_positions_gives_none_past_the_limit_or_for_other_shapes():
    old = arrays()
    moved = [a + 1.0 for a in old]
    assert changed_positions(old, moved, limit=27) is None  # 28 weights in the first layer alone
    assert len(changed_positions(old, moved, limit=43)) == 43
    assert changed_positions(old, old[:2], limit=100) is None
    assert changed_positions(old, [old[0].T, old[1], old[2]], limit=100) is None


def test_an_array_compared_with_itself_is_not_read():
    old = arrays()
    old[0][2, 2] = np.nan  # read, it would differ from itself (NaN equals nothing)
    new = [old[0], old[1].copy(), old[2]]
    new[1][1, 1] = 9.0
    assert changed_positions(old, new, limit=10) == [(1, 1, 1)]
    assert changed_positions([old[0].copy()], [old[0].copy()], limit=10) == [(0, 2, 2)]  # copies are read
