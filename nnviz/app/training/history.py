"""The loss history travels with the project: epochs trained in the window are appended to the project's
`history` (so a save keeps them, as `nnviz train` does), and a project's saved history is drawn in the loss
plot when it is opened.

Epochs keep counting across runs and files (`epoch` N+1 follows the N already recorded); the optional `step`
list records each epoch's minibatch count on the same running scale, so the plot's step axis can draw the
saved curves too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from nnviz.app.plots.loss_plot import EPOCH_SERIES
from nnviz.core.history import column, extend_history, numbers
from nnviz.core.numbers import is_number


class HistoryRecorder(QObject):
    """Connect after the training UI: its reload (which clears the plot) must run before `show_history`."""

    def __init__(self, session: Any, training: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.training = session, training
        self._step_base = 0  # steps recorded before the worker's current count began
        self._epoch_base = 0  # epochs recorded before it
        self._last_step = 0  # the worker's step count at its previous snapshot
        self._last_epoch = 0
        self.runs = training.runs  # the project's runs grow with the same epochs
        training.controller.snapshot_ready.connect(self._on_snapshot)
        session.network_changed.connect(self._on_network_changed)
        self._on_network_changed()

    def _on_network_changed(self) -> None:
        """The worker starts counting again: later steps go after the recorded ones; show the history."""
        history = self.session.project.history or {}
        steps = numbers(history, "step")
        self._step_base, self._last_step = (int(max(steps)) if steps else 0), 0
        epochs = numbers(history, "epoch")
        self._epoch_base = int(max(epochs)) if epochs else len(column(history, "loss"))
        self._last_epoch = 0
        self.runs.restart(self._epoch_base)
        self.training.loss_plot.origin = (self._epoch_base, self._step_base)
        self.show_history()

    def _on_snapshot(self, snap: Any) -> None:
        if self.training.is_stale(snap):  # epochs of the run before the project was opened
            return
        if snap.step < self._last_step:  # the run was reset: its count restarted
            self._step_base += self._last_step
            self._epoch_base += self._last_epoch
            self.runs.restart(self._epoch_base)
            self.training.loss_plot.origin = (self._epoch_base, self._step_base)
        self._last_step, self._last_epoch = snap.step, snap.epoch
        self.runs.add(snap)
        if not snap.new_epochs:
            return
        steps = [self._step_base + s.steps for s in snap.new_epochs]
        project = self.session.project
        project.history = extend_history(project.history, snap.new_epochs, columns={"step": steps})

    def show_history(self) -> None:
        """Draw the project's recorded epochs in the loss plot (after the training UI cleared it)."""
        history = self.session.project.history
        if not isinstance(history, dict) or not isinstance(history.get("loss"), list):
            return
        plot = self.training.loss_plot
        n = len(history["loss"])
        epochs = _column(history, "epoch", n) if "epoch" in history else list(range(1, n + 1))
        steps = _column(history, "step", n)
        for name, field, *_ in EPOCH_SERIES:
            values = _column(history, field, n)
            for i, value in enumerate(values):
                if value is None or epochs[i] is None:
                    continue
                plot.by_epoch[name].append(epochs[i], value)
                if steps[i] is not None:
                    plot.by_step[name].append(steps[i], value)
        plot.redraw()


def _column(history: dict[str, Any], key: str, n: int) -> list[Any]:
    """history[key] as n entries (None where missing or not a number)."""
    values = column(history, key)
    return [v if is_number(v) else None for v in values[:n]] + [None] * max(0, n - len(values))
