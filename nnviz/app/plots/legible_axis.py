"""A vertical axis whose tick labels never run into each other, however short the plot.

pyqtgraph puts at least two and a quarter tick intervals on an axis whatever its length, and labels the
finer tick levels too when it judges there is room; in a 60-px loss plot of a 1366×768 laptop that wrote
"0 0.2 0.4 0.6 0.8 1.0" on top of each other. This axis keeps only the tick levels whose labels are at least
one and a half text lines apart, and when even the coarsest is closer, spaces the ticks 1, 2 or 5 × 10ⁿ
apart so that they are.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF

LINES_APART = 1.5  # the least distance between two tick labels, in text lines


class LegibleAxis(pg.AxisItem):
    def tickSpacing(self, minVal: float, maxVal: float, size: float):
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if self.orientation not in ("left", "right") or not levels or size <= 0 or not math.isfinite(span):
            return levels
        font = self.style.get("tickFont") or self.font()
        least = span * LINES_APART * QFontMetricsF(font).height() / size  # in data units
        kept = [level for level in levels if level[0] >= least]
        return kept or [(_nice_step(least), 0)]


def _nice_step(least: float) -> float:
    """The smallest 1, 2 or 5 × 10ⁿ that is at least `least`."""
    power = 10.0 ** math.floor(math.log10(least))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= least)
