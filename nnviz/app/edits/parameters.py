"""Undoable edits of the document (docs/architecture.md, rule 2): every change to a network goes through one
of these.

Commands that carry the same `gesture` token (one slider drag, one canvas drag) and touch the same
parameter merge into one undo step that restores the value from before the gesture began.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from nnviz.app.edits.editable import Editable
from nnviz.app.panels.math_text import parameter_name
from nnviz.core.activations import Activation

# Qt merges only commands with equal, non-negative ids; one per kind of edit.
_WEIGHT_ID, _BIAS_ID, _ACTIVATION_ID, _TRAINING_ID = 1, 2, 3, 4


class _ParameterCommand(QUndoCommand):
    """Set one value from `old` to `new`; subclasses say which value (`key`) and how to apply it."""

    command_id = -1

    def __init__(self, session: Editable, key: tuple, old: Any, new: Any, gesture: object, text: str) -> None:
        super().__init__(text)
        self.session, self.key, self.old, self.new, self.gesture = session, key, old, new, gesture

    def id(self) -> int:
        return self.command_id if self.gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, type(self)) or other.gesture is not self.gesture or other.key != self.key:
            return False
        self.new = other.new
        self.setText(other.text())
        return True

    def redo(self) -> None:
        self.apply(self.new)

    def undo(self) -> None:
        self.apply(self.old)

    def apply(self, value: Any) -> None:
        raise NotImplementedError


class SetWeightCommand(_ParameterCommand):
    """W[k][j, i]: the edge from neuron i of layer k to neuron j of layer k + 1."""

    command_id = _WEIGHT_ID

    def __init__(
        self, session: Editable, k: int, j: int, i: int, old: float, new: float, gesture: object = None
    ) -> None:
        text = f"set weight {parameter_name(session.network, session.names, k, j, i)} to {new:.4g}"
        super().__init__(session, (k, j, i), old, new, gesture, text)

    def apply(self, value: float) -> None:
        k, j, i = self.key
        self.session.apply_weight(k, j, i, value)


class SetBiasCommand(_ParameterCommand):
    """b[k][j]: the bias of neuron j of layer k + 1."""

    command_id = _BIAS_ID

    def __init__(
        self, session: Editable, k: int, j: int, old: float, new: float, gesture: object = None
    ) -> None:
        super().__init__(
            session,
            (k, j),
            old,
            new,
            gesture,
            f"set bias {parameter_name(session.network, session.names, k, j)} to {new:.4g}",
        )

    def apply(self, value: float) -> None:
        k, j = self.key
        self.session.apply_bias(k, j, value)


class SetActivationCommand(_ParameterCommand):
    """The activation (and its parameters) of layer k + 1."""

    command_id = _ACTIVATION_ID

    def __init__(
        self, session: Editable, k: int, old: Activation, new: Activation, gesture: object = None
    ) -> None:
        super().__init__(session, (k,), old, new, gesture, f"set layer {k + 1} activation to {new.formula}")

    def apply(self, value: Activation) -> None:
        self.session.apply_activation(self.key[0], value)


class SetTrainingCommand(_ParameterCommand):
    """The training settings and the data split, each a (TrainingConfig or None, test fraction or None)
    pair; the key is the set of settings changed, so one spin box's drag merges and another's does not."""

    command_id = _TRAINING_ID
    keeps_network = True  # allowed while a checkpoint is viewed: settings for the next run

    def __init__(self, session: Editable, old: tuple, new: tuple, gesture: object = None) -> None:
        before = session.training_config.to_json()  # what was in effect, had the project no settings
        changed = {k: v for k, v in new[0].to_json().items() if before.get(k) != v}
        if new[1] != old[1]:
            changed["test_fraction"] = new[1]
        text = "set " + ", ".join(f"{k.replace('_', ' ')} to {_shown(v)}" for k, v in changed.items())
        super().__init__(session, tuple(changed), old, new, gesture, text)

    def apply(self, value: tuple) -> None:
        self.session.apply_training(*value)


def _shown(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


class ApplyUpdateCommand(QUndoCommand):
    """The walk-through's update `w⁺ = w − η·∂E/∂w` applied to every weight (and bias) at once: one undo
    step. The old and new parameters are copies, so undo and redo never depend on later edits."""

    def __init__(self, session: Editable, weights: list, biases: list, text: str) -> None:
        super().__init__(text)
        self.session = session
        net = session.network
        self.old = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
        self.new = ([w.copy() for w in weights], [b.copy() for b in biases])

    def redo(self) -> None:
        self.session.apply_parameters(*self.new)

    def undo(self) -> None:
        self.session.apply_parameters(*self.old)
