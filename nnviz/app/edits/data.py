"""Undoable data changes: an imported file, painted points or a built-in set with new parameters become the
project's data in one undo step, with the network's input and output resized to fit.

The command keeps the whole before and after (network, data reference, scaling, training set-up, history and
the loaded samples), so undo brings back the previous network and data exactly, and the document counts as
modified until it is saved (docs/architecture.md, rules 2 and 6).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtGui import QUndoCommand

from nnviz.app.edits.editable import DataState, Editable
from nnviz.core import architecture
from nnviz.core.datasets.base import Dataset
from nnviz.core.scaling import Scaler


class UseDataCommand(QUndoCommand):
    """Swap the session's data state for `new`; undo swaps the old one back."""

    def __init__(self, session: Editable, new: DataState, text: str) -> None:
        super().__init__(text)
        self.session, self.old, self.new = session, DataState.of(session), new

    def redo(self) -> None:
        self.session.apply_data(self.new)

    def undo(self) -> None:
        self.session.apply_data(self.old)


def natural_output(data: Dataset) -> tuple[int, str, str]:
    """(outputs, output activation, loss) for the data: one sigmoid output and binary cross-entropy for two
    classes, softmax and cross-entropy for more, identity and mse for regression."""
    if data.task == "classification":
        n_classes = len(data.class_names or []) or int(data.y.max()) + 1
        return (1, "sigmoid", "bce") if n_classes <= 2 else (n_classes, "softmax", "cross_entropy")
    return data.y.reshape(len(data.y), -1).shape[1], "identity", "mse"


def state_for_data(
    session: Editable, data: Dataset, scaler: Scaler | None, reference: dict[str, Any]
) -> DataState:
    """The current network resized to the data (weights kept where shapes allow), the training set-up's loss
    matched to the new output, and no history (the old curves belong to other data)."""
    n_out, output, loss = natural_output(data)
    network = architecture.fit_to_dataset(session.network, data.n_features, n_out, output)
    training = session.project.training
    if training is not None:
        training = dataclasses.replace(training, loss=loss)
    return DataState(network, reference, scaler, training, None, data)


def use_data(
    session: Editable, data: Dataset, scaler: Scaler | None, reference: dict[str, Any], text: str
) -> None:
    """Make `data` the project's data as one undo step (see the module docstring)."""
    session.undo_stack.push(UseDataCommand(session, state_for_data(session, data, scaler, reference), text))
