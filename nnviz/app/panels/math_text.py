"""Numbers and names as the panels write them (the math panel itself renders `nnviz.core.walkthrough`)."""

from __future__ import annotations

from nnviz.core.names import Names


def num(x: float) -> str:
    """A result: 8 significant digits, the walk-through's precision."""
    return f"{x:.8g}"


def parameter_name(network, names: Names, k: int, row: int, i: int | None = None) -> str:
    """`w5` / `b_h1` for weights[k][row, i] / biases[k][row] (i None); a maxout row names its piece."""
    n, pieces = network.sizes[k + 1], network.activations[k].pieces
    j, piece = (row % n, row // n) if pieces > 1 else (row, None)
    return str(names.bias(k + 1, j, piece) if i is None else names.weight(k + 1, j, i, piece))


def selection_name(selection, names: Names) -> str:
    """A selection in the one naming scheme: `weight w5 (h1 → o1)`, `h1 (hidden layer 1, neuron 1)`,
    `output layer`."""
    k = selection.layer
    if selection.kind == "edge":
        return f"weight {names.describe_weight(k + 1, selection.index, selection.source)}"
    if selection.kind == "neuron":
        return names.describe_neuron(k, selection.index)
    return names.layer_name(k)
