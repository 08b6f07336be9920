"""Undoable edits of the project's runs: train from a checkpoint (a branch), rename a run, delete one.

Training itself grows runs without undo steps (as it changes the weights); these are the user's own edits,
each one QUndoCommand on the session's stack, so Ctrl+Z restores the network and the run list as they were.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand

from nnviz.core.network import Network
from nnviz.core.runs import Run


class BranchCommand(QUndoCommand):
    """The network becomes a checkpoint's; the next run trained records where it came from (`parent`).
    Undo puts back the network and the run list as they were before (the branch's own run goes too)."""

    def __init__(self, session: Any, log: Any, network: Network, parent: dict[str, Any]) -> None:
        super().__init__(f"train from {parent['run']} at epoch {parent['epoch']}")
        self.session, self.log, self.parent = session, log, parent
        self.old, self.new = session.project.network.copy(), network
        self.old_runs = list(session.project.runs)

    def redo(self) -> None:
        self.log.parent_of_next = self.parent
        self.session.apply_network(self.new.copy(), self.session.dataset)

    def undo(self) -> None:
        self.log.parent_of_next = None
        self.session.project.runs = list(self.old_runs)
        self.session.apply_network(self.old.copy(), self.session.dataset)
        self.log.runs_changed.emit()


class RenameRunCommand(QUndoCommand):
    """A new name for a run (allowed while a checkpoint is viewed: the network is not touched)."""

    keeps_network = True

    def __init__(self, log: Any, run: Run, name: str) -> None:
        super().__init__(f"rename {run.name} to {name}")
        self.log, self.run, self.names = log, run, (run.name, name)

    def redo(self) -> None:
        self.run.name = self.names[1]
        self.log.runs_changed.emit()

    def undo(self) -> None:
        self.run.name = self.names[0]
        self.log.runs_changed.emit()


class DeleteRunCommand(QUndoCommand):
    """Remove a run and its checkpoints from the project; undo puts it back in its place."""

    def __init__(self, session: Any, log: Any, run: Run) -> None:
        super().__init__(f"delete {run.name}")
        self.session, self.log, self.run = session, log, run
        self.index = next(i for i, r in enumerate(session.project.runs) if r is run)

    def redo(self) -> None:
        runs = self.session.project.runs
        self.session.project.runs = [r for r in runs if r is not self.run]
        self.log.runs_changed.emit()

    def undo(self) -> None:
        runs = list(self.session.project.runs)
        runs.insert(self.index, self.run)
        self.session.project.runs = runs
        self.log.runs_changed.emit()


def rename_run(session: Any, log: Any, run: Run, name: str) -> str:
    """Rename `run` as one undo step; returns why not ("" when done): names must be unique and not blank."""
    name = name.strip()
    if not name:
        return "a run needs a name"
    if any(r.name == name and r is not run for r in session.project.runs):
        return f"there is already a run called {name!r}"
    if name != run.name:
        session.undo_stack.push(RenameRunCommand(log, run, name))
    return ""
