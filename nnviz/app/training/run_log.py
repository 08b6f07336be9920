"""Training in the window records runs, as `nnviz train` does: the project's current run grows as it trains.

Each load of the network into the training process (opening a file, an architecture edit, a branch) starts a
run; it joins the project's `runs` at its first epoch, named "run N" with the settings it trains with, and
from then on every snapshot adds its epochs and the checkpoints the process kept (nnviz/core/runs.py). This
side keeps them with a recorder of its own fed the same checkpoints in the same order, so it thins them as the
process did. When training pauses, the parameters shown are the run's last checkpoint. Save and autosave
write the runs with the project.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from nnviz.core.runs import Checkpoint, Run, RunRecorder, flatten


class RunLog(QObject):
    """Grows the project's current run from the training snapshots (`add`); `restart` begins a new one."""

    #: the project's runs changed: a run began, grew, or was renamed, removed or restored
    runs_changed = Signal()

    def __init__(self, session: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._recorder: RunRecorder | None = None
        self.run: Run | None = None  # the run training adds to, once it has an epoch
        self._start = 0
        #: where the next run branches from ({"run": name, "epoch": N}), set by "Train from here"
        self.parent_of_next: dict[str, Any] | None = None

    def restart(self, start: int) -> None:
        """The process starts counting again at the project's epoch `start`: the next epoch opens a run."""
        self._recorder, self.run, self._start = None, None, start

    def add(self, snap: Any) -> None:
        """One snapshot (not stale): its epochs and checkpoints go to the current run."""
        if self.run is None and not snap.new_epochs:
            return  # a run begins with its first epoch
        session = self.session
        if self.run is not None and not any(r is self.run for r in session.project.runs):
            self._recorder = self.run = None  # the user deleted it: later epochs make a new run
        if self.run is None:
            self._recorder = RunRecorder(session.project.network, self._start)
            self.run = self._recorder.new_run(session.project.runs, session.project.network)
            self.run.parent, self.parent_of_next = self.parent_of_next, None
            session.project.runs = [*session.project.runs, self.run]
        recorder, run = self._recorder, self.run
        assert recorder is not None, "a run is recorded by its recorder"
        for stats in snap.new_epochs:
            recorder.add_epoch(stats)
        for checkpoint in snap.checkpoints:
            recorder.checkpoints.keep(Checkpoint(self._start + checkpoint.epoch, checkpoint.parameters))
        if snap.new_epochs:
            run.history = recorder.history
        if snap.config is not None:
            run.training = snap.config.to_json()
        if snap.running:
            run.checkpoints = list(recorder.checkpoints.kept)
        else:  # paused: what is shown is where the run ends for now
            last = self._start + snap.epoch
            run.checkpoints = recorder.checkpoints.ending_at(last, lambda: flatten(snap.weights, snap.biases))
        self.runs_changed.emit()
