"""Axis ranges that follow live data without jittering: kept while the data fits, moved only when it must.

A plot that auto-ranges on every training frame shakes as the extremes wobble; one that never re-ranges
loses the data. `follow_range` keeps the shown range while the data stays inside it and still fills a good
part of it, and otherwise jumps to the data's span plus a margin, so small moves never change the axes.
"""

from __future__ import annotations

MARGIN = 0.1  # fraction of the data's span added on each side when the range moves
SHRINK_BELOW = 0.5  # the range shrinks once the data fills less than this fraction of it
MIN_SPAN = 1e-6  # a constant series (all weights zero) still gets a visible range


def follow_range(shown: tuple[float, float] | None, low: float, high: float) -> tuple[float, float]:
    """The range to show for data spanning [low, high], given the range shown now (None: nothing yet)."""
    span = max(high - low, MIN_SPAN)
    if shown is not None:
        lo, hi = shown
        if lo <= low and high <= hi and span >= SHRINK_BELOW * (hi - lo):
            return shown
    pad = MARGIN * span if high > low else max(abs(low), 1.0) * MARGIN
    return (low - pad, high + pad)
