"""Checking a step's goal against what the window shows now: the Session (network, trace, stepper) and the
epochs training has reported.

Conditions that name something the network no longer has (the student removed the neuron) are simply not
met: a goal never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from nnviz.app.session import Session
from nnviz.core.activations import ActivationError, get_activation
from nnviz.core.training import EpochStats
from nnviz.lessons.format import Condition, Goal, neuron_at, weight_at


@dataclass
class TrainingRecord:
    """The epochs the trainer has finished since it (re)started on the network shown, and the epoch count
    when the current step was entered (`epochs_at_least` and `within_epochs` count from there: a step's
    "train 50 epochs" means 50 more, whatever earlier steps trained)."""

    epochs: list[EpochStats] = field(default_factory=list)
    step_start: int = 0

    @property
    def epoch(self) -> int:
        return self.epochs[-1].epoch if self.epochs else 0

    def add(self, epochs: list[EpochStats]) -> None:
        """Epochs from a snapshot; numbers that start again from 1 mean the trainer was restarted (a new
        data split reloads it without a new network)."""
        if epochs and epochs[0].epoch <= self.epoch:
            self.restart()
        self.epochs.extend(epochs)

    def restart(self) -> None:
        """A new network went to the trainer: its epochs count from 0 again."""
        self.epochs.clear()
        self.step_start = 0


def goal_met(goal: Goal, session: Session, training: TrainingRecord) -> bool:
    return all(_met(c, session, training) for c in goal.conditions)


def _met(condition: Condition, session: Session, training: TrainingRecord) -> bool:
    a, net = condition.args, session.network
    try:
        match condition.kind:
            case "weight":
                k, j, i = weight_at(a["weight"])
                return _within(float(net.weights[k][j, i]), a)
            case "bias":
                layer, j = neuron_at(a["bias"])
                return _within(float(net.biases[layer - 1][j]), a)
            case "output":
                return _within(float(session.trace.output[0][a["output"] - 1]), a)
            case "hidden_neurons_at_most":
                return sum(net.sizes[1:-1]) <= a["hidden_neurons_at_most"]
            case "stepped_to":
                layer, j = neuron_at(a["stepped_to"])
                return bool(session.stepper.computed[layer][j])
            case "activation":
                return _same_activation(net.activations[a["layer"] - 1], a["activation"])
            case "epochs_at_least":
                return training.epoch - training.step_start >= a["epochs_at_least"]
            case "accuracy":
                value = _metric(training.epochs[-1:], "accuracy", a.get("on", "test"))
                return bool(value) and value[0] >= a["accuracy"]
            case "loss":
                return _loss_met(a, training)
    except IndexError:  # the network changed shape under the lesson
        return False
    return False


def _within(value: float, args: Mapping[str, Any]) -> bool:
    return args.get("min", -float("inf")) <= value <= args.get("max", float("inf"))


def _same_activation(activation, wanted) -> bool:
    try:
        spec = get_activation(wanted)
    except ActivationError:
        return False
    return activation.name == spec.name if isinstance(wanted, str) else activation == spec


def _metric(epochs: list[EpochStats], name: str, split: str) -> list[float]:
    """The metric of each epoch on the split, leaving out epochs that have none (no test set)."""
    attribute = f"test_{name}" if split == "test" else name
    values = (getattr(stats, attribute) for stats in epochs)
    return [v for v in values if v is not None]


def _loss_met(args: Mapping[str, Any], training: TrainingRecord) -> bool:
    split = args.get("on", "test")
    if "within_epochs" not in args:
        latest = _metric(training.epochs[-1:], "loss", split)
        return bool(latest) and latest[0] <= args["loss"]
    last = training.step_start + args["within_epochs"]
    window = [s for s in training.epochs if training.step_start < s.epoch <= last]
    return any(v <= args["loss"] for v in _metric(window, "loss", split))
