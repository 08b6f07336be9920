"""Moving the selection over the network with the arrow keys, so the canvas can be used without a mouse.

Up and Down move within a column (the neuron above or below; on an edge, the neuron it comes from), Left
and Right move between layers (the same row, or the nearest). With Shift, a neuron steps onto its edges:
Shift+Right to the first edge leaving it, Shift+Left to the first edge arriving; on an edge Shift+Up/Down
changes the neuron it goes to, Left/Right goes to the neuron at either end. On a whole layer, Down enters its
first neuron. With nothing selected any arrow selects the first input neuron.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt

from nnviz.app.selection import Selection

Key = Qt.Key
ARROWS = (Key.Key_Up, Key.Key_Down, Key.Key_Left, Key.Key_Right)


def _clamp(value: int, size: int) -> int:
    return max(0, min(value, size - 1))


def next_selection(
    current: Selection | None, sizes: Sequence[int], key: Key, shift: bool = False
) -> Selection:
    """Where `key` (an arrow) moves the selection in a network of layer `sizes`."""
    last = len(sizes) - 1
    step = {Key.Key_Up: -1, Key.Key_Down: 1, Key.Key_Left: -1, Key.Key_Right: 1}[key]
    vertical = key in (Key.Key_Up, Key.Key_Down)
    if current is None:
        return Selection.neuron(0, 0)
    if current.kind == "layer":
        if vertical:
            return Selection.neuron(current.layer, 0)
        return Selection.whole_layer(_clamp(current.layer + step, last + 1))
    if current.kind == "neuron":
        layer, i = current.layer, current.index
        assert i is not None, "a neuron selection has its index (Selection checks)"
        if vertical:
            return Selection.neuron(layer, _clamp(i + step, sizes[layer]))
        if shift and step > 0 and layer < last:
            return Selection.edge(layer, 0, i)  # the first edge leaving it
        if shift and step < 0 and layer > 0:
            return Selection.edge(layer - 1, i, 0)  # the first edge arriving
        if shift:
            return current
        to = _clamp(layer + step, last + 1)
        return Selection.neuron(to, _clamp(i, sizes[to]))
    k, (j, i) = current.layer, current.ends()  # the edge W[k][j, i]
    if vertical and shift:
        return Selection.edge(k, _clamp(j + step, sizes[k + 1]), i)
    if vertical:
        return Selection.edge(k, j, _clamp(i + step, sizes[k]))
    return Selection.neuron(k, i) if step < 0 else Selection.neuron(k + 1, j)
