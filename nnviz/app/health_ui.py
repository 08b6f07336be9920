"""Network health on the canvas (dead/saturated units, per-layer gradient size): being built for issue 5."""

from __future__ import annotations


def install_health_ui(window, session, training) -> None:
    """Show network health on `window`'s canvas (nothing yet)."""
