"""Numbers and names as the panels write them (the math panel itself renders `nnviz.core.walkthrough`)."""

from __future__ import annotations


def num(x: float) -> str:
    """A result: 8 significant digits, the walk-through's precision."""
    return f"{x:.8g}"


def neuron(layer: int, index: int) -> str:
    """Neurons are named layer.index with the index counted from 1, as the canvas tooltips do."""
    return f"{layer}.{index + 1}"


def selection_name(selection) -> str:
    """A selection named the way the math panel names neurons: `neuron 1.3`, `edge 1.2 → 2.1`, `layer 2`."""
    k = selection.layer
    if selection.kind == "edge":
        return f"edge {neuron(k, selection.source)} → {neuron(k + 1, selection.index)}"
    if selection.kind == "neuron":
        return f"neuron {neuron(selection.layer, selection.index)}"
    return f"layer {selection.layer}"
