"""Training insight docks (confusion matrix, predicted-vs-true, weight histograms), for issue 5."""

from __future__ import annotations


def install_insight_docks(window, session, training) -> None:
    """Add the insight docks to `window` (none yet)."""
