"""Undoable architecture edits: each swaps the session's network for a reshaped copy (core.architecture).

The command keeps both networks whole, so undo restores every weight exactly as it was, including those of
a removed layer. When the input size changes, the session's data no longer fits and is set aside; undo
brings it back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from nnviz.app.edits.editable import Editable
from nnviz.core import architecture
from nnviz.core.activations import get_activation
from nnviz.core.network import Network, NetworkError


class ArchitectureCommand(QUndoCommand):
    """Replace the network by `new` (whose weights were derived from the current one)."""

    def __init__(self, session: Editable, new: Network, text: str) -> None:
        super().__init__(text)
        self.session = session
        self.old, self.new = session.network.copy(), new
        self.old_dataset = session.dataset
        fits = self.old_dataset is not None and self.old_dataset.n_features == new.sizes[0]
        self.new_dataset = self.old_dataset if fits else None

    def redo(self) -> None:
        self.session.apply_network(self.new.copy(), self.new_dataset)

    def undo(self) -> None:
        self.session.apply_network(self.old.copy(), self.old_dataset)


def edit_architecture(session: Editable, text: str, edit: Callable[..., Network], *args: Any) -> None:
    """Apply `edit(network, *args)` from nnviz.core.architecture as one undo step.

    Raises NetworkError (nothing pushed) when the edit is impossible, or when it would change the input
    size of a project whose feature scaling was fitted to the current inputs.
    """
    new = edit(session.network, *args)
    scaler = session.project.scaler
    if scaler is not None and scaler.n_features != new.sizes[0]:
        raise NetworkError(
            f"the project's feature scaling expects {scaler.n_features} inputs; "
            "choose a dataset to change the input layer"
        )
    session.undo_stack.push(ArchitectureCommand(session, new, text))


def add_neuron(session: Editable, layer: int) -> None:
    edit_architecture(session, f"add a neuron to layer {layer}", architecture.add_neuron, layer)


def remove_neuron(session: Editable, layer: int, index: int) -> None:
    text = f"remove neuron {layer}.{index + 1}"
    edit_architecture(session, text, architecture.remove_neuron, layer, index)


def resize_layer(session: Editable, layer: int, size: int) -> None:
    if size != session.network.sizes[layer]:
        edit_architecture(session, f"layer {layer}: {size} neurons", architecture.resize_layer, layer, size)


def insert_hidden_layer(session: Editable, position: int, size: int, activation: Any) -> None:
    text = f"insert a hidden layer of {size} at {position}"
    edit_architecture(session, text, architecture.insert_hidden_layer, position, size, activation)


def remove_hidden_layer(session: Editable, layer: int) -> None:
    edit_architecture(session, f"remove hidden layer {layer}", architecture.remove_hidden_layer, layer)


def set_activation(session: Editable, layer: int, activation: Any) -> None:
    """An activation that changes the layer's shape (maxout's number of pieces): the weights are reshaped."""
    new = get_activation(activation)
    text = f"set layer {layer} activation to {new.formula}"
    edit_architecture(session, text, architecture.set_activation, layer, new)
