"""Axis ranges that follow live data without jittering: kept while the data fits, moved only when it must.

A plot that auto-ranges on every training frame shakes as the extremes wobble; one that never re-ranges
loses the data. `follow_range` keeps the shown range while the data stays inside it and still fills a good
part of it, and otherwise jumps to the data's span plus a margin, so small moves never change the axes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg

MARGIN = 0.1  # fraction of the data's span added on each side when the range moves
SHRINK_BELOW = 0.5  # the range shrinks once the data fills less than this fraction of it
MIN_SPAN = 1e-6  # a constant series (all weights zero) still gets a visible range
# The widest range shown: its width, its margin and pyqtgraph's own arithmetic on it stay finite. Data beyond
# (±1e308, ±inf) sits at the edge; the numbers themselves are in the labels and tooltips.
REACH = sys.float_info.max / 8


# pyqtgraph divides an axis's span into tick spacings; a span of a few subnormals (weights of 5e-324) makes
# that spacing 0 and its axis paint divides by zero. No view is allowed to zoom that far in.
MIN_VIEW_SPAN = 1e-290


def keep_span_drawable(plot: pg.PlotItem | pg.PlotWidget) -> None:
    """Give a plot's view a minimum span (MIN_VIEW_SPAN) so auto-ranging on subnormal data stays paintable."""
    plot.setLimits(minXRange=MIN_VIEW_SPAN, minYRange=MIN_VIEW_SPAN)


def within_reach(values: np.ndarray | Sequence[float] | float) -> np.ndarray:
    """Values clipped to ±REACH (±inf to the ends, NaN to 0): safe ends and points for any range or plot."""
    return np.clip(np.nan_to_num(np.asarray(values, dtype=float), nan=0.0), -REACH, REACH)


def plottable(values: np.ndarray) -> np.ndarray:
    """Values with ±inf and NaN made NaN, which pyqtgraph leaves out of curves, bars and auto-ranges (an
    infinite point makes its bounding box NaN)."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, np.nan)


def follow_range(shown: tuple[float, float] | None, low: float, high: float) -> tuple[float, float]:
    """The range to show for data spanning [low, high], given the range shown now (None: nothing yet);
    always finite, however extreme the data (see REACH)."""
    low, high = (float(v) for v in within_reach([low, high]))
    span = max(high - low, MIN_SPAN)
    if shown is not None:
        lo, hi = shown
        if lo <= low and high <= hi and span >= SHRINK_BELOW * (hi - lo):
            return shown
    pad = MARGIN * span if high > low else max(abs(low), 1.0) * MARGIN
    return (low - pad, high + pad)
