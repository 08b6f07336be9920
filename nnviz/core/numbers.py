"""Numbers written for a learner: a chosen count of significant digits, no exponent for everyday sizes, and
sums whose shown terms add up exactly to the shown result.

Rounding every term and the result on their own can leave them a unit apart in the last digit
(0.0075 + 0.02 + 0.35 adds up, but 0.123456785 + 0.1 at 8 digits would not). `sum_parts` rounds the result
to the nearest, then rounds each term down or up — whichever makes the shown terms add up to it, choosing the
terms closest to halfway — so every term stays within one unit of its true value and the sum can be checked
by hand.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any, TypeGuard

import numpy as np

DIGITS = (4, 8)
#: extra decimals `sum_parts` may show so that terms that have lines of their own stay rounded to the nearest
GUARD_DIGITS = 2
# positional notation inside this range, scientific outside it
_SMALLEST_PLAIN, _LARGEST_PLAIN = -6, 9


def is_number(value: Any) -> TypeGuard[int | float]:
    """An int or float, not a bool: a number as JSON or TOML reads it (`true` and `false` read as bools,
    which Python counts as ints)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_whole(value: Any) -> TypeGuard[int]:
    """A whole number (Python's or NumPy's int), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def is_finite_number(value: Any) -> TypeGuard[int | float]:
    """`is_number` and finite: not NaN or infinity (which Python's JSON reader accepts), nor an int too large
    for a float."""
    try:
        return is_number(value) and math.isfinite(value)
    except OverflowError:
        return False


def _exponent(x: float) -> int:
    return math.floor(math.log10(abs(x)))


def decimals_for(x: float, digits: int) -> int:
    """Decimal places that show `x` with `digits` significant digits (may be negative for large numbers)."""
    return digits - 1 - _exponent(x) if x else digits


def plain(d: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: `0.35`, `-0.019049119`, `100`."""
    if not d.is_finite():
        return "nan" if d.is_nan() else "−inf" if d < 0 else "inf"
    if d and not _SMALLEST_PLAIN <= d.adjusted() < _LARGEST_PLAIN:
        return format(d.normalize(), "e").replace("e+", "e").replace("-", "−")
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text.replace("-", "−")


def _quantize(x: float, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return Decimal(x).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def fmt(x: float, digits: int = 8) -> str:
    """`x` with `digits` significant digits: `0.59326999`, `0.3775`, `1.2e-07` for the very small."""
    if not math.isfinite(x):
        return "inf" if x > 0 else "−inf" if x < 0 else "nan"  # as the canvas and inspector write them
    if x == 0:
        return "0"
    if not _SMALLEST_PLAIN <= _exponent(x) < _LARGEST_PLAIN:
        mantissa, _, exp = f"{x:.{digits - 1}e}".partition("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exp)}".replace("-", "−")
    return plain(_quantize(x, decimals_for(x, digits)))


def sum_parts(
    values: list[float], total: float, digits: int = 8, keep_terms: bool = False
) -> tuple[list[Decimal], Decimal]:
    """The terms and the result of `total = Σ values` as shown: the result rounded to `digits` significant
    digits, every term to the same decimal places, adding up exactly (each term within one unit of its
    value). With `keep_terms` every term keeps its own `digits` significant digits and the result as many
    decimals as the finest term (for terms shown on lines of their own). Falls back to rounding each term
    to the nearest when the values do not add up to `total`."""
    nonzero = [abs(v) for v in [total, *values] if v and math.isfinite(v)]
    plain_range = all(_SMALLEST_PLAIN <= _exponent(v) < _LARGEST_PLAIN for v in nonzero)
    if not nonzero or not plain_range or not all(math.isfinite(v) for v in [total, *values]):
        # inf, nan or sizes written with an exponent: each rounded on its own
        return [Decimal(f"{v:.{digits}g}") for v in values], Decimal(f"{total:.{digits}g}")
    places = decimals_for(total, digits) if total else decimals_for(max(nonzero), digits)
    if keep_terms:
        places = max([places, *(decimals_for(v, digits) for v in values if v)])
        # a guard digit or two often lets every term and the result be rounded to the nearest and still add up
        for extra in range(GUARD_DIGITS + 1):
            nearest = [_quantize(v, places + extra) for v in values]
            if sum(nearest) == _quantize(total, places + extra):
                return nearest, _quantize(total, places + extra)
    unit = Decimal(1).scaleb(-places)
    shown_total = _quantize(total, places)
    with localcontext() as ctx:
        ctx.prec = 80
        exact = [Decimal(v) for v in values]
        low = [e.quantize(unit, rounding=ROUND_FLOOR) for e in exact]
        missing = int((shown_total - sum(low)) / unit)
        if not 0 <= missing <= len(values):
            return [_quantize(v, places) for v in values], shown_total
        # the terms whose remainder is closest to a whole unit are the ones rounded up
        by_remainder = sorted(range(len(values)), key=lambda n: exact[n] - low[n], reverse=True)
        up = set(by_remainder[:missing])
        return [low[n] + unit if n in up else low[n] for n in range(len(values))], shown_total
