"""What an edit of the parameters changed, carried by `Session.parameters_changed`.

A weight or bias edit knows exactly which value it set, so it says so: the training UI then sends just that
edit to the trainer, and the canvas redraws just that edge, instead of each comparing the whole network with
an older copy to find it. Anything else (a training snapshot, the walk-through's update of every weight, an
activation) says `EVERYTHING`: any weight or bias may have changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class ParameterChange:
    """One weight W[layer][row, column] (`indices` (row, column)) or bias b[layer][row] (`indices` (row,))
    set from `old` to `new`; or, with `kind` "everything", any of the parameters."""

    kind: Literal["weight", "bias", "everything"]
    layer: int = 0
    indices: tuple[int, ...] = ()
    old: float = 0.0
    new: float = 0.0

    @classmethod
    def weight(cls, layer: int, row: int, column: int, old: float, new: float) -> ParameterChange:
        return cls("weight", layer, (row, column), old, new)

    @classmethod
    def bias(cls, layer: int, row: int, old: float, new: float) -> ParameterChange:
        return cls("bias", layer, (row,), old, new)


#: any weight or bias may have changed (views redraw all of them; the trainer is sent every difference)
EVERYTHING = ParameterChange("everything")
