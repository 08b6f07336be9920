"""Feature scaling: hand-worked values, constant features, the JSON form and its validation."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnviz.core.scaling import Scaler, ScalingError

X = np.array([[1.0, 10.0, 5.0], [3.0, 20.0, 5.0], [5.0, 60.0, 5.0]])


def test_standard_gives_zero_mean_unit_variance_by_hand():
    s = Scaler.fit(X, "standard")
    np.testing.assert_allclose(s.offset, [3.0, 30.0, 5.0])
    np.testing.assert_allclose(s.scale[:2], [np.sqrt(8 / 3), np.sqrt(1400 / 3)])
    assert s.scale[2] == 1.0  # constant feature: no division by zero
    np.testing.assert_allclose(s.transform(np.array([5.0, 30.0, 7.0])), [2 / np.sqrt(8 / 3), 0.0, 2.0])


def test_minmax_maps_training_rows_to_unit_interval():
    s = Scaler.fit(X, "minmax")
    np.testing.assert_allclose(s.transform(X), [[0, 0, 0], [0.5, 0.2, 0], [1, 1, 0]])


def test_none_is_identity():
    s = Scaler.fit(X, "none")
    np.testing.assert_array_equal(s.transform(X), X)


def test_transform_keeps_float32():
    s = Scaler.fit(X, "standard")
    assert s.transform(X.astype(np.float32)).dtype == np.float32


def test_unknown_method_and_wrong_width_are_refused():
    with pytest.raises(ScalingError, match="unknown scaling 'zscore'"):
        Scaler.fit(X, "zscore")
    with pytest.raises(ScalingError, match="fitted on 3 features, got 2"):
        Scaler.fit(X, "minmax").transform(np.zeros((4, 2)))


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 4)), elements=st.floats(-1e6, 1e6)))
def test_json_round_trip_is_exact(x):
    for method in ("standard", "minmax"):
        s = Scaler.fit(x, method)
        back = Scaler.from_json(s.to_json())
        np.testing.assert_array_equal(back.offset, s.offset)
        np.testing.assert_array_equal(back.scale, s.scale)
        np.testing.assert_array_equal(back.transform(x), s.transform(x))


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"method": "zscore", "offset": [0.0], "scale": [1.0]}, "method: expected one of"),
        ({"method": "standard", "offset": [0.0, 1.0], "scale": [1.0]}, "offset has 2 numbers but scale"),
        ({"method": "standard", "offset": [float("nan")], "scale": [1.0]}, r"offset\[0\]: expected a finite"),
        ({"method": "standard", "offset": [0.0], "scale": ["1"]}, r"scale\[0\]: expected a finite number"),
        ({"method": "standard", "offset": [0.0, 0.0], "scale": [1.0, 0.0]}, r"scale\[1\]: must be positive"),
        ({"method": "standard", "offset": [True], "scale": [1.0]}, r"offset\[0\]"),
        ({"method": "standard", "scale": [1.0]}, "offset: expected a non-empty list"),
        ([1, 2], "expected an object, got list"),
    ],
)
def test_bad_json_names_the_key(obj, message):
    with pytest.raises(ScalingError, match=message):
        Scaler.from_json(obj)
