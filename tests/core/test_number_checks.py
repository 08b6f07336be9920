"""The checks every reader of hand-edited files uses for "a number" (nnviz.core.numbers)."""

import math

import numpy as np
import pytest

from nnviz.core.numbers import is_finite_number, is_number, is_whole
from nnviz.core.training import ConfigError, TrainingConfig


@pytest.mark.parametrize(
    ("value", "number", "whole", "finite"),
    [
        (3, True, True, True),
        (2.5, True, False, True),
        (np.int64(4), False, True, False),  # a NumPy int is whole (sizes computed with NumPy)
        (True, False, False, False),  # JSON's true: a bool, which Python counts as an int
        (math.nan, True, False, False),
        (-math.inf, True, False, False),
        (10**400, True, True, False),  # no float holds it: not an OverflowError
        ("3", False, False, False),
        (None, False, False, False),
    ],
)
def test_what_counts_as_a_number(value, number, whole, finite):
    assert is_number(value) is number
    assert is_whole(value) is whole
    assert is_finite_number(value) is finite


def test_a_learning_rate_too_large_for_a_float_is_a_clear_error_not_an_overflow():
    """It raised OverflowError from math.isfinite before the settings shared these checks."""
    with pytest.raises(ConfigError, match="learning_rate"):
        TrainingConfig.from_json({"learning_rate": 10**400})
