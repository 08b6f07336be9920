"""What the user has picked on the canvas: a neuron, an edge or a whole layer.

A small immutable value, so views can compare selections and the Session can hold one without copies.
Layers are numbered as in `Trace` (0 is the input). An edge is named by its weight `W[layer][index, source]`:
from neuron `source` of layer `layer` to neuron `index` of layer `layer + 1`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["neuron", "edge", "layer"]
KINDS = ("neuron", "edge", "layer")


@dataclass(frozen=True)
class Selection:
    """One selected item; build it with `neuron()`, `edge()` or `layer()` rather than by hand."""

    kind: Kind
    layer: int
    index: int | None = None
    source: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"selection kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        wants_index = self.kind != "layer"
        wants_source = self.kind == "edge"
        if (self.index is not None) != wants_index or (self.source is not None) != wants_source:
            raise ValueError(f"a {self.kind} selection needs " + _needs(self.kind))
        if any(v is not None and v < 0 for v in (self.layer, self.index, self.source)):
            raise ValueError(f"selection numbers must not be negative: {self}")

    @classmethod
    def neuron(cls, layer: int, index: int) -> Selection:
        return cls("neuron", layer, index)

    @classmethod
    def edge(cls, k: int, target: int, source: int) -> Selection:
        """The edge whose weight is `W[k][target, source]`."""
        return cls("edge", k, target, source)

    @classmethod
    def whole_layer(cls, layer: int) -> Selection:
        return cls("layer", layer)

    def ends(self) -> tuple[int, int]:
        """An edge's (target, source): its weight is `W[layer][target, source]`."""
        if self.index is None or self.source is None:
            raise ValueError(f"a {self.kind} selection has no ends")
        return self.index, self.source

    def describe(self) -> str:
        """A short human label, e.g. for a status bar: `edge w[0][1][2]`."""
        if self.kind == "edge":
            return f"edge w[{self.layer}][{self.index}][{self.source}]"
        if self.kind == "neuron":
            return f"neuron {self.index} of layer {self.layer}"
        return f"layer {self.layer}"


def _needs(kind: str) -> str:
    return {
        "neuron": "a layer and an index, no source",
        "edge": "a layer (k of W[k]), an index (target) and a source",
        "layer": "a layer only",
    }[kind]
