"""Every message between the GUI and the training process, both ways: one frozen dataclass each.

The GUI's `TrainingController` sends `Command`s down one pipe, in order; the process (`engine.serve`) applies
every waiting one between two minibatches, so no edit is lost, reordered or torn. It answers with `Event`s on
the other pipe. Everything here pickles (the `spawn` start method pickles what a process gets, and the pipes
pickle every message), so only plain data and core types appear in the fields.

Commands, GUI → process:
    Load           train this network on this data from now on (paused)
    Start, Pause   run or stop the minibatch loop
    StepBatch      one minibatch, then paused
    StepEpoch      run until the current epoch is complete, then paused
    SetWeight      W[layer][row, column] = value, in place, before the next minibatch
    SetBias        b[layer][row] = value, likewise
    SetConfig      change hyper-parameters (TrainingConfig field names)
    SetPace        train at most so many epochs a second (None: flat out)
    Ack            the GUI has drawn the last snapshot: the next may come (paces snapshots; not counted)
    Shutdown       say `Bye` and end the process

Events, process → GUI:
    Snapshot       the trainer's state (parameters, counters, new epochs' statistics)
    Failed         a command could not be applied or the run diverged: training paused, the message says why
    RunningChanged training started or stopped
    Bye            the last event: the process is ending as asked
"""

from __future__ import annotations

from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeAlias

import numpy as np

from nnviz.core.datasets.base import Task
from nnviz.core.network import Network
from nnviz.core.runs import Checkpoint
from nnviz.core.training import EpochStats, TrainingConfig

# A data set goes to the process as raw bytes in pieces of this size (see DataFollows).
CHUNK_BYTES = 4 * 1024 * 1024


# -- what the process trains on ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainingData:
    """What the worker trains on: already scaled features, targets as the Trainer wants them."""

    x: np.ndarray
    y: np.ndarray
    task: Task = "regression"
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None


@dataclass(frozen=True)
class DataFollows:
    """Sent in place of the data in a `Load`: the arrays follow on the pipe as raw bytes, CHUNK_BYTES at a
    time, written from the buffers and read into the new arrays. Pickling a 60,000-image set copied all of it
    at once, on the GUI thread (seconds); this copies nothing whole, on neither side."""

    task: Task
    #: (dtype, shape) of x, y, x_test and y_test in that order; None where there is no such array
    layout: tuple[tuple[str, tuple[int, ...]] | None, ...]

    @classmethod
    def of(cls, data: TrainingData) -> DataFollows:
        arrays = (data.x, data.y, data.x_test, data.y_test)
        return cls(data.task, tuple(None if a is None else (a.dtype.str, a.shape) for a in arrays))


def send_data(connection: Connection, data: TrainingData) -> None:
    """The arrays of `data`, as `DataFollows.of(data)` announced them."""
    for array in (data.x, data.y, data.x_test, data.y_test):
        if array is not None:
            raw = np.ascontiguousarray(array).data.cast("B")
            for start in range(0, len(raw), CHUNK_BYTES):
                connection.send_bytes(raw[start : start + CHUNK_BYTES])


def receive_data(connection: Connection, header: DataFollows) -> TrainingData:
    """The data set `send_data` sends, read straight into its arrays."""
    arrays: list[np.ndarray | None] = []
    for entry in header.layout:
        if entry is None:
            arrays.append(None)
            continue
        array = np.empty(entry[1], dtype=np.dtype(entry[0]))
        raw, filled = array.data.cast("B"), 0
        while filled < len(raw):
            filled += connection.recv_bytes_into(raw, filled)
        arrays.append(array)
    x, y, x_test, y_test = arrays
    assert x is not None  # DataFollows.of always lists x and y
    assert y is not None
    return TrainingData(x, y, header.task, x_test, y_test)


# -- commands: GUI → process ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Load:
    """Train `network` on `data` from now on, paused. `data` None keeps the data set the process has; on the
    pipe a `DataFollows` stands in for it and the arrays follow as raw bytes."""

    network: Network
    config: TrainingConfig
    data: TrainingData | DataFollows | None


@dataclass(frozen=True)
class Start:
    """Train until paused."""


@dataclass(frozen=True)
class Pause:
    """Stop after the current minibatch."""


@dataclass(frozen=True)
class StepBatch:
    """One minibatch, then paused."""


@dataclass(frozen=True)
class StepEpoch:
    """Train until the epoch under way is complete, then pause."""


@dataclass(frozen=True)
class SetWeight:
    """W[layer][row, column] = value: the edge from neuron `column` of layer `layer` to neuron `row` of the
    next, applied in place before the next minibatch."""

    layer: int
    row: int
    column: int
    value: float


@dataclass(frozen=True)
class SetBias:
    """b[layer][row] = value: the bias of neuron `row` of layer `layer` + 1."""

    layer: int
    row: int
    value: float


@dataclass(frozen=True)
class SetConfig:
    """Hyper-parameters by TrainingConfig field name, applied at the next minibatch boundary."""

    changes: dict[str, Any]


@dataclass(frozen=True)
class SetPace:
    """Train at most this many epochs a second, minibatches spread evenly (None: as fast as possible)."""

    epochs_per_second: float | None


@dataclass(frozen=True)
class Ack:
    """The GUI has drawn the last snapshot; the next may be sent. Not one of the user's commands: neither side
    counts it in `commands_applied` / `commands_sent`."""


@dataclass(frozen=True)
class Shutdown:
    """Say `Bye` and end the process (read between two minibatches)."""


Command: TypeAlias = (
    Load | Start | Pause | StepBatch | StepEpoch | SetWeight | SetBias | SetConfig | SetPace | Ack | Shutdown
)


def counted(command: Command) -> bool:
    """Whether `command` counts in `commands_applied`: every one but the acknowledgement, on both sides alike,
    so the GUI can tell which of its commands a snapshot has seen."""
    return not isinstance(command, Ack)


# -- events: process → GUI --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """The trainer's state at one moment. Every array is a private copy: the receiver may keep it."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    epoch: int  # completed epochs
    step: int  # minibatch updates so far
    samples_seen: int
    batch_loss: float | None  # mean minibatch loss since the previous snapshot (None: no step since)
    new_epochs: list[EpochStats] = field(default_factory=list)  # epochs finished since the previous one
    samples_per_second: float = 0.0
    running: bool = False
    commands_applied: int = 0  # how many commands (acknowledgements aside) the engine has applied, in order
    config: TrainingConfig | None = None
    #: checkpoints the run's recorder kept since the previous snapshot (epochs counted from the load)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    #: on the pipe only: where in shared memory the weights and biases are (training/shared_parameters.py)
    parameters: Any = None
    #: in the window only: the forward pass of the input shown, made by the relay thread (a ShownTrace)
    shown_trace: Any = None


@dataclass(frozen=True)
class Failed:
    """Training paused because of what `message` says (a bad command, a diverging run)."""

    message: str


@dataclass(frozen=True)
class RunningChanged:
    """Training started (True) or stopped (False)."""

    running: bool


@dataclass(frozen=True)
class Bye:
    """The process is ending as asked: nothing follows."""


Event: TypeAlias = Snapshot | Failed | RunningChanged | Bye
