"""Reading a number typed by a person or written in a file, the same way everywhere.

Python's `float()` and `int()` accept `1_000` (digit grouping in source code); NumPy's readers, JSON and the
other tools a CSV or a command line comes from do not, and a stray underscore is more often a typo than a
thousands separator. So nnviz refuses it in every field: the command line, the CSV reader, the inspector.
"""

from __future__ import annotations

import math
from typing import Any


def read_float(text: str) -> float:
    """`float(text)` without Python's `1_000` digit grouping (ValueError, as float() raises)."""
    if "_" in text:
        raise ValueError(f"could not convert string to float: {text!r}")
    return float(text)


def read_int(text: str) -> int:
    """`int(text)` without Python's `1_000` digit grouping (ValueError, as int() raises)."""
    if "_" in text:
        raise ValueError(f"invalid literal for int(): {text!r}")
    return int(text)


def finite_float(value: Any) -> float | None:
    """A number read from JSON as a float, or None when it is not a finite number: a bool, a string, NaN,
    or an integer too large for a float (JSON allows 10**400; float() raises OverflowError on it)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def short_repr(value: Any, limit: int = 40) -> str:
    """`repr(value)` cut to `limit` characters for a one-line message (10**400 has 401 digits)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
