"""The one GUI-side model: the open project, its undo stack, the current sample, trace, stepper, selection.

Views observe a Session through its signals and never own state (docs/architecture.md, rule 2). Every edit of
the document is a QUndoCommand pushed on `undo_stack` (see `nnviz.app.edits`); the commands call the
`apply_*` methods, which mutate the network and re-run the forward pass at once, so every view shows the
edited network within the same event-loop turn.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from shiboken6 import isValid

from nnviz.app.canvas.layout import guess_image_shape
from nnviz.app.edits.architecture import set_activation
from nnviz.app.edits.changes import EVERYTHING, ParameterChange
from nnviz.app.edits.editable import DataState
from nnviz.app.edits.parameters import (
    ApplyUpdateCommand,
    SetActivationCommand,
    SetBiasCommand,
    SetTrainingCommand,
    SetWeightCommand,
)
from nnviz.core.activations import Activation, get_activation
from nnviz.core.array_diff import equal_arrays
from nnviz.core.dataset_ref import portable_reference, reference_to_dataset
from nnviz.core.datasets.base import Dataset, DatasetError
from nnviz.core.document import Project, save_project
from nnviz.core.losses import LossError, as_target_matrix
from nnviz.core.names import TEACHING, Names
from nnviz.core.network import Network, NetworkError, Trace
from nnviz.core.numbers import is_number
from nnviz.core.stepping import ForwardStepper, ShownSample, ShownTrace
from nnviz.core.training import ConfigError, TrainingConfig


class Session(QObject):
    """The open document and everything derived from it for display."""

    #: a new network (structure may differ): views rebuild from scratch.
    network_changed = Signal()
    #: weights, biases or an activation changed in place (same structure); payload: a ParameterChange
    #: (nnviz.app.edits.changes) saying which weight or bias, or EVERYTHING.
    parameters_changed = Signal(object)
    #: the forward pass was re-run (new input or new parameters): `trace` is fresh.
    trace_changed = Signal()
    #: payload: the new Selection, or None.
    selection_changed = Signal(object)
    #: the stepper moved or was rebuilt: `stepper.position` / `stepper.current` are fresh.
    step_changed = Signal()
    #: the input sample or target changed (payload-free: read `input` / `target`).
    input_changed = Signal()
    #: the training settings or the data split changed (read `training_config` / `test_fraction`).
    training_changed = Signal()
    #: teaching or general names were chosen (read `names`).
    naming_changed = Signal()
    #: the window shows a training checkpoint (payload: its epoch) or, with None, the network as it is now.
    viewing_changed = Signal(object)
    #: an edit was refused while a checkpoint is shown (payload: why, for the status bar).
    edit_refused = Signal(str)
    #: another document replaced the open one (`set_project`), after the signals that redraw the views.
    project_opened = Signal()

    def __init__(self, project: Project, path: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = _GuardedStack(self)
        self._viewed: Network | None = None  # a checkpoint shown instead of the network (read-only)
        self.viewed_epoch: int | None = None
        self.selection: Any = None
        self.step_note = ""
        self.naming_scheme = TEACHING
        #: the input shown and its activations, for a forward pass made off the GUI thread (see _rerun)
        self.shown: ShownSample | None = None
        self._load(project, path)

    def close(self) -> None:
        """Delete the undo history now, while every command's Python object is alive.

        The stack owns its commands, but each is also a Python object: if Python's garbage collector cleared
        one first, Qt would later delete a freed command (a crash in `QUndoStack::clear`). So the history is
        deleted by the stack, silently (views may be half torn down), before anything else goes: when the
        window closes, and when the session is finalized (the collector finalizes before it clears)."""
        stack = getattr(self, "undo_stack", None)  # None if __init__ failed before making it
        if stack is not None and isValid(stack):
            was_blocked = stack.blockSignals(True)
            stack.clear()
            stack.blockSignals(was_blocked)

    def __del__(self) -> None:
        self.close()

    # -- the document ----------------------------------------------------------------------------------------
    def _load(self, project: Project, path: str | None, dataset: Dataset | None = None) -> None:
        self._viewed = self.viewed_epoch = None
        self.project = project
        self.path = path
        self.dataset, self.data_note = (dataset, "") if dataset is not None else _dataset_of(project, path)
        self.sample_index = 0
        if (
            self.dataset is not None
            and len(self.dataset)
            and self.dataset.n_features == self.network.sizes[0]
        ):
            self.input = self.dataset.x[0].astype(np.float64)
            self.target: np.ndarray | None = _target_row(self.dataset, 0)
        else:
            self.dataset = None
            self.input = np.zeros(self.network.sizes[0])
            self.target = None
        self.undo_stack.clear()
        # clear() leaves the clean state alone when the stack holds no commands: after training (trained
        # weights are unsaved work without an undo step: resetClean) a newly opened file would look modified.
        self.undo_stack.setClean()
        self.selection = None
        self._rerun(keep_position=False)

    def set_project(self, project: Project, path: str | None = None, dataset: Dataset | None = None) -> None:
        """Open another document: everything is rebuilt and the undo history starts afresh.

        `dataset`: data the user has just loaded themselves (an import), used instead of the reference."""
        self._load(project, path, dataset)
        self.viewing_changed.emit(None)
        self.network_changed.emit()
        self.selection_changed.emit(None)
        self.input_changed.emit()
        self.trace_changed.emit()
        self.step_changed.emit()
        self.project_opened.emit()

    def save(self, path: str) -> str:
        """Write the project to `path` (atomically) and make it the document's file; returns what was done
        with file data to keep it readable from there ("" if nothing; see `portable_reference`).

        Raises DocumentError or OSError, leaving the document as it was."""
        project, note = self.project_for(os.path.dirname(os.path.abspath(path)))
        save_project(project, path)
        self.project.dataset, self.path = project.dataset, path
        return note

    def project_for(self, folder: str | os.PathLike, copy: bool = True) -> tuple[Project, str]:
        """(the project as a file in `folder` should hold it, a note): its data reference made readable from
        there by `portable_reference` (large data copied into `folder`, or with `copy=False` named by its
        absolute path). The document itself is not changed."""
        old_folder = os.path.dirname(os.path.abspath(self.path)) if self.path else None
        reference, note = portable_reference(self.project.dataset, self.dataset, old_folder, folder, copy)
        return dataclasses.replace(self.project, dataset=reference), note

    @property
    def network(self) -> Network:
        """The network every view shows: the project's, or the checkpoint being viewed."""
        return self.project.network if self._viewed is None else self._viewed

    # -- viewing a checkpoint (the training timeline) --------------------------------------------------------
    def view_checkpoint(self, network: Network, epoch: int) -> None:
        """Show `network` (a checkpoint of the project's network: same shapes) read-only, as of `epoch`.

        Edits are refused while it shows (see `_GuardedStack`); an undo or redo, or a new network, first
        returns to now. The project's network is untouched: training snapshots still reach it."""
        self._viewed, self.viewed_epoch = network, epoch
        self.viewing_changed.emit(epoch)
        self._parameters_edited(EVERYTHING)

    def back_to_now(self) -> None:
        """Show the project's network again (nothing happens when no checkpoint is shown)."""
        if self._viewed is not None:
            self._viewed = self.viewed_epoch = None
            self.viewing_changed.emit(None)
            self._parameters_edited(EVERYTHING)

    @property
    def image_shape(self) -> tuple[int, int] | None:
        if self.dataset is not None and self.dataset.image_shape is not None:
            rows, columns = self.dataset.image_shape
            return rows, columns
        return guess_image_shape(self.network.sizes[0])

    @property
    def output_names(self) -> list[str] | None:
        """The data's class names when they name the output neurons one by one (0–9, red rose, …)."""
        data = self.dataset
        if data is None or data.task != "classification" or len(data.class_names) != self.network.sizes[-1]:
            return None
        return list(data.class_names)

    @property
    def predict_first(self) -> bool:
        """Neurons past the inputs show "?" until the step-through computes them (the project's
        `view.predict_first`), so a class can predict before it sees."""
        return bool((self.project.view or {}).get("predict_first", False))

    def set_predict_first(self, on: bool) -> None:
        self.project.view = {**(self.project.view or {}), "predict_first": bool(on)}
        self.step_changed.emit()

    def known(self) -> list[np.ndarray] | None:
        """Per layer, which neurons' values may be shown: all (None) unless predict first hides those the
        step-through has not computed yet."""
        return self.stepper.computed if self.predict_first else None

    @property
    def names(self) -> Names:
        """The names every view gives the network's neurons, weights and biases (nnviz.core.names)."""
        return Names(self.network.sizes, self.naming_scheme)

    def set_naming_scheme(self, scheme: str) -> None:
        """`teaching` (i1, h1, w1 for small networks) or `general` (layer, neuron, W⁽ℓ⁾ⱼᵢ)."""
        self.naming_scheme = scheme
        self.naming_changed.emit()

    @property
    def training_config(self) -> TrainingConfig:
        """The project's training settings (defaults with the natural loss when it has none or they are not
        a usable set)."""
        training = self.project.training
        if isinstance(training, TrainingConfig):
            return training
        if isinstance(training, dict):
            with contextlib.suppress(ConfigError, TypeError):
                return TrainingConfig.from_json(training)
        return TrainingConfig(loss=self.loss_name)

    @property
    def test_fraction(self) -> float | None:
        """The fraction of the data held out for testing, as the user chose it (None: not chosen)."""
        value = self.project.dataset.get("test_fraction") if isinstance(self.project.dataset, dict) else None
        if is_number(value) and 0 <= value < 1:
            return float(value)
        return None

    @property
    def loss_name(self) -> str:
        """The project's training loss, or the natural one for the output activation."""
        training = self.project.training
        name = training.get("loss") if isinstance(training, dict) else getattr(training, "loss", None)
        if name:
            return name
        return "cross_entropy" if self.network.output_activation.name == "softmax" else "mse"

    # -- the sample ------------------------------------------------------------------------------------------
    def set_input(self, values: Any) -> None:
        """Use `values` (raw, before the project's scaling) as the current sample."""
        x = np.asarray(values, dtype=np.float64).reshape(-1)
        if x.shape != (self.network.sizes[0],) or not np.isfinite(x).all():
            raise NetworkError(f"the input needs {self.network.sizes[0]} finite numbers")
        self.input = x
        self.input_changed.emit()
        self._rerun(keep_position=True)

    def set_target(self, target: Any) -> None:
        """The target for the loss and the backward pass (a class index or one value per output), or None."""
        self.target = None if target is None else np.asarray(target)
        self.input_changed.emit()
        self._rerun(keep_position=True)

    def set_sample(self, index: int) -> None:
        """Show dataset sample `index` (wrapping around) as input and target."""
        if self.dataset is None:
            return
        self.sample_index = index % len(self.dataset)
        self.input = self.dataset.x[self.sample_index].astype(np.float64)
        self.target = _target_row(self.dataset, self.sample_index)
        self.input_changed.emit()
        self._rerun(keep_position=True)

    def target_matrix(self) -> np.ndarray:
        """The target as a (1, outputs) row: a class index becomes one-hot. Raises LossError if unusable."""
        t = np.asarray(self.target)
        n_out = self.network.sizes[-1]
        return as_target_matrix(t.reshape(1) if t.ndim == 0 and n_out > 1 else t.reshape(1, -1), n_out)

    @property
    def network_input(self) -> np.ndarray:
        """The input as the network sees it: after the project's feature scaling, if any."""
        scaler = self.project.scaler
        return self.input if scaler is None else scaler.transform(self.input.reshape(1, -1))[0]

    # -- selection -------------------------------------------------------------------------------------------
    def set_selection(self, selection: Any) -> None:
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)

    # -- raw mutators (called by the undo commands only) --------------------------------------------------
    def apply_weight(self, k: int, j: int, i: int, value: float) -> None:
        self.back_to_now()  # an undo or redo while viewing: it is the project's network that changes
        old = float(self.network.weights[k][j, i])
        self.network.set_weight(k, j, i, value)
        self._parameters_edited(ParameterChange.weight(k, j, i, old, float(value)))

    def apply_bias(self, k: int, j: int, value: float) -> None:
        self.back_to_now()  # an undo or redo while viewing: it is the project's network that changes
        old = float(self.network.biases[k][j])
        self.network.set_bias(k, j, value)
        self._parameters_edited(ParameterChange.bias(k, j, old, float(value)))

    def apply_activation(self, k: int, activation: Activation) -> None:
        self.back_to_now()  # an undo or redo while viewing: it is the project's network that changes
        self.network.activations[k] = activation
        self._parameters_edited(EVERYTHING)

    def apply_network(self, network: Network, dataset: Dataset | None) -> None:
        """Swap in a network of another shape (an architecture command); `dataset` must fit its input."""
        self.back_to_now()
        if network.sizes[0] != self.network.sizes[0] or dataset is not self.dataset:
            self.dataset, self.sample_index = dataset, 0
            self.input = np.zeros(network.sizes[0]) if dataset is None else dataset.x[0].astype(np.float64)
            self.target = None if dataset is None else _target_row(dataset, 0)
        self.project.network = network
        self.selection = None
        self.network_changed.emit()
        self.selection_changed.emit(None)
        self.input_changed.emit()
        self._rerun(keep_position=False)

    def apply_data(self, state: DataState) -> None:
        """Swap in other data with the network fitted to it (a data command)."""
        p = self.project
        p.dataset, p.scaler, p.training = state.reference, state.scaler, state.training
        p.history = state.history
        self.data_note = ""
        self.apply_network(state.network.copy(), state.dataset)

    def apply_training(self, config: TrainingConfig | None, test_fraction: float | None) -> None:
        """Set the training settings and the data split (a training-settings command)."""
        self.project.training = config
        reference = self.project.dataset
        if isinstance(reference, dict) and reference.get("test_fraction") != test_fraction:
            reference = {k: v for k, v in reference.items() if k != "test_fraction"}
            if test_fraction is not None:
                reference["test_fraction"] = test_fraction
            self.project.dataset = reference
        self.training_changed.emit()

    def apply_parameters(self, weights: Any, biases: Any, made: ShownTrace | None = None) -> bool:
        """Make `weights` and `biases` the network's, without copying them (`Network.take_parameters`: the
        caller gives them up): a training snapshot or the walk-through's update. False (and no signal) when
        they are the values the network has already. `made`: their forward pass of the input shown, if it
        was done elsewhere (`shown.trace(weights, biases)`)."""
        network = self.project.network  # never a checkpoint being viewed
        pairs = zip(network.weights + network.biases, [*weights, *biases], strict=True)
        if all(equal_arrays(target, source) for target, source in pairs):
            return False  # e.g. the paused snapshot that follows loading, or echoes an edit: nothing new
        network.take_parameters(weights, biases)
        self.undo_stack.resetClean()  # trained weights are unsaved work, though no undo step holds them
        if self._viewed is None:  # else the views keep the checkpoint; "back to now" shows these
            self._parameters_edited(EVERYTHING, made)
        return True

    def _parameters_edited(self, change: ParameterChange, made: ShownTrace | None = None) -> None:
        self.parameters_changed.emit(change)
        self._rerun(keep_position=True, made=made)

    # -- edits (undoable) ------------------------------------------------------------------------------------
    @property
    def update_ready(self) -> bool:
        """The step-through has shown the update (its update or new-loss steps): it can be applied."""
        step = self.stepper.current
        return self.stepper.has_backward and step is not None and step.kind in ("update", "new_loss")

    def apply_update(self) -> None:
        """Apply the step-through's update `w⁺ = w − η·∂E/∂w` (biases too unless "update biases" is off) to
        the network, as one undo step."""
        config, grads, net = self.training_config, self.stepper.gradients, self.stepper.network
        assert grads is not None, "the update is applied once the step-through has shown it (update_ready)"
        lr = config.learning_rate
        weights = [w - lr * g for w, g in zip(net.weights, grads.weights, strict=True)]
        biases = [
            b - lr * g if config.update_biases else b for b, g in zip(net.biases, grads.biases, strict=True)
        ]
        names = self.names
        last = len(net.weights)
        span = f"{names.weight(1, 0, 0)}…{names.weight(last, net.sizes[-1] - 1, net.sizes[-2] - 1)}"
        text = f"apply the update (η = {lr:g}) to {span}" + (
            " and the biases" if config.update_biases else ""
        )
        self.undo_stack.push(ApplyUpdateCommand(self, weights, biases, text))

    def edit_weight(self, k: int, j: int, i: int, value: float, gesture: object = None) -> None:
        """Set W[k][j, i]; edits sharing a `gesture` token (one slider drag) merge into one undo step."""
        old = float(self.network.weights[k][j, i])
        if float(value) != old:
            self.undo_stack.push(SetWeightCommand(self, k, j, i, old, float(value), gesture))

    def edit_bias(self, k: int, j: int, value: float, gesture: object = None) -> None:
        old = float(self.network.biases[k][j])
        if float(value) != old:
            self.undo_stack.push(SetBiasCommand(self, k, j, old, float(value), gesture))

    def edit_activation(self, k: int, spec: Any, gesture: object = None) -> None:
        """Change the activation of layer k + 1 (name or `{"name": ..., parameter: value}`)."""
        new = get_activation(spec)
        old = self.network.activations[k]
        if new != old:
            if new.kind.output_only and k != len(self.network.weights) - 1:
                raise NetworkError(f"{new.name} can only be the output layer's activation")
            if new.pieces != old.pieces:  # maxout's pieces are rows of weights: a change of shape
                set_activation(self, k + 1, new)
                return
            self.undo_stack.push(SetActivationCommand(self, k, old, new, gesture))

    def edit_training(self, changes: dict[str, Any], gesture: object = None) -> None:
        """Change training settings (by TrainingConfig field name, and `test_fraction`) as an undoable edit;
        edits of the same settings sharing a `gesture` (one spin-box drag) merge into one undo step.
        Raises ConfigError for a bad value."""
        changes = dict(changes)
        fraction = changes.pop("test_fraction", self.test_fraction)
        config = TrainingConfig.from_json({**self.training_config.to_json(), **changes})
        old, new = (self.project.training, self.test_fraction), (config, fraction)
        if new[0] != self.training_config or new[1] != old[1]:
            self.undo_stack.push(SetTrainingCommand(self, old, new, gesture))

    # -- the forward pass and the stepper -------------------------------------------------------------------
    def _rerun(self, keep_position: bool, made: ShownTrace | None = None) -> None:
        """A new stepper and trace for the network and input shown; `made`: the forward pass already done
        for them elsewhere (a training snapshot's, on the relay thread), used if it is for `shown`."""
        position = self.stepper.position if keep_position else 0
        x = self.network_input
        self._show(x)
        trace = made.trace if made is not None and made.sample is self.shown else None
        # Parameters near the float limit (typed, or kept from a diverging run) overflow to inf or NaN on
        # the way: those are the true values of the pass, shown as such, not warnings.
        with np.errstate(over="ignore", invalid="ignore"):
            self.stepper: ForwardStepper = self._make_stepper(x, trace)
        self.trace = self.stepper.trace  # one forward pass for both (13 ms at 14.2M weights)
        self.stepper.go_to(min(position, len(self.stepper.steps)))
        self.trace_changed.emit()
        self.step_changed.emit()

    def _show(self, x: np.ndarray) -> None:
        """Keep `shown` for this input and network: a new object only when they changed (see ShownSample)."""
        net, old = self.network, self.shown
        activations = tuple(net.activations)
        if (
            old is None
            or old.activations != activations
            or old.dtype != net.dtype
            or not equal_arrays(old.x, x)
        ):
            self.shown = ShownSample(x.copy(), activations, net.dtype)

    def _make_stepper(self, x: np.ndarray, trace: Trace | None = None) -> ForwardStepper:
        """With a target, the backward pass too; when it cannot be done, the forward pass and a note why.
        The stepper reads the network shown itself, not a copy: every change of it makes a new stepper."""
        self.step_note = ""
        if self.target is not None:
            try:
                return ForwardStepper(self.network, x, self.target, self.loss_name, copy=False, trace=trace)
            except (LossError, NetworkError) as exc:
                self.step_note = f"no backward pass: {exc}"
        return ForwardStepper(self.network, x, copy=False, trace=trace)

    def _moved(self) -> None:
        self.step_changed.emit()

    def step_neuron(self) -> None:
        self.stepper.step_neuron()
        self._moved()

    def step_layer(self) -> None:
        self.stepper.step_layer()
        self._moved()

    def run_to_end(self) -> None:
        self.stepper.run_to_end()
        self._moved()

    def step_back(self) -> None:
        self.stepper.back()
        self._moved()

    def reset_steps(self) -> None:
        self.stepper.reset()
        self._moved()

    def go_to_step(self, position: int) -> None:
        """Jump to step `position` of the pass (clamped to its length), e.g. as a saved view had it."""
        self.stepper.go_to(max(0, min(position, len(self.stepper.steps))))
        self._moved()


class _GuardedStack(QUndoStack):
    """The undo stack, refusing edits while a checkpoint is viewed: an edit of a past epoch has no clear
    meaning (change the past? the present?), so the user is told how to get either one instead (back to
    now, or train from here). Commands with `keeps_network` (training settings) are let through."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._session = session

    def push(self, command: Any) -> None:
        session = self._session
        if session.viewed_epoch is None or getattr(command, "keeps_network", False):
            super().push(command)
            return
        session.edit_refused.emit(
            f"Viewing epoch {session.viewed_epoch} is read-only: Back to now (Esc) to edit the network, "
            "or Train from here to branch"
        )
        session.parameters_changed.emit(EVERYTHING)  # editors showing the refused value: back


def _target_row(dataset: Dataset, index: int) -> np.ndarray:
    y = dataset.y[index]
    return np.asarray(y, dtype=np.int64 if dataset.task == "classification" else np.float64)


def _dataset_of(project: Project, path: str | None) -> tuple[Dataset | None, str]:
    """The samples the project refers to, or None and why not (a missing file must not stop the window)."""
    if not isinstance(project.dataset, dict):
        return None, ""
    folder = os.path.dirname(os.path.abspath(path)) if path else None
    outside = _data_outside_folder(project.dataset, folder)
    if outside:
        return None, (
            f"the project names data outside its folder ({outside}); it was not read. "
            "Open the data yourself if you trust it."
        )
    try:
        return reference_to_dataset(project.dataset, folder), ""
    except (DatasetError, OSError, ValueError) as exc:
        return None, f"the project's data could not be loaded: {exc}"


def _data_outside_folder(reference: dict, folder: str | None) -> str:
    """The data path of a file reference when it leaves the project's folder, else "".

    A project from a stranger must not make the window read files the user never chose (`/etc/...`,
    `../../secret.csv`): only data inside the project's folder (after resolving `..` and links) is read
    automatically on opening."""
    if reference.get("kind") != "file" or not isinstance(reference.get("path"), str):
        return ""
    base = Path(folder or os.getcwd()).resolve()
    target = (base / reference["path"]).resolve()
    return "" if target.is_relative_to(base) else reference["path"]
