"""The trainer's own process: it owns the Trainer and its copy of the parameters while training runs.

Why a process and not only a thread: the GUI's painting and the trainer's minibatch loop are both Python
holding the GIL, so in one process each starves the other (measured: the window trained at 0.18-0.23 of the
headless rate and its event loop stalled up to 88 ms). In a child process the trainer has a core of its own.

`serve(commands, events)` is the child's main loop. Commands arrive in order on one pipe as `(name, args)`;
the engine applies every waiting command before each minibatch, so no edit is lost, reordered or torn.
Events go back on the other pipe: `("snapshot", Snapshot)`, `("failed", message)`, `("running", bool)`, and
`("bye", None)` before it exits. A snapshot is sent at most ~30 times a second, only after the GUI
acknowledged the previous one ("ack") and at least as long after as the GUI was busy with it, so a fast
trainer is never slowed by drawing and a slow GUI never falls behind a backlog of stale frames.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from nnviz.app.training.shared_parameters import ParameterWriter
from nnviz.core.losses import LossError, get_loss
from nnviz.core.network import Network, NetworkError
from nnviz.core.threads import limit_blas_threads
from nnviz.core.training import (
    ConfigError,
    DivergenceError,
    EpochStats,
    PreparedData,
    Trainer,
    TrainingConfig,
    TrainingError,
    accuracy_of,
    evaluate,
)

SNAPSHOT_INTERVAL = 1 / 30  # seconds: what the eye can use
# ...but a GUI that was slow once (start-up, a dialog) must not freeze the display for as long.
MAX_SNAPSHOT_GAP = 0.25
# Minibatches larger than this would make a single step (and so a pause) slow on big inputs.
MAX_BATCH_SIZE = 4096
RATE_WINDOW = 0.25  # seconds of training averaged into the reported samples/s
# A data set goes to the process as raw bytes in pieces of this size (see DataFollows).
CHUNK_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class TrainingData:
    """What the worker trains on: already scaled features, targets as the Trainer wants them."""

    x: np.ndarray
    y: np.ndarray
    task: str = "regression"
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None


@dataclass(frozen=True)
class DataFollows:
    """Sent in place of the data in a `load` command: the arrays follow on the pipe as raw bytes, CHUNK_BYTES
    at a time, written from the buffers and read into the new arrays. Pickling a 60,000-image set copied all
    of it at once, on the GUI thread (seconds); this copies nothing whole, on neither side."""

    task: str
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
            raw = memoryview(np.ascontiguousarray(array)).cast("B")
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
        raw, filled = memoryview(array).cast("B"), 0
        while filled < len(raw):
            filled += connection.recv_bytes_into(raw, filled)
        arrays.append(array)
    x, y, x_test, y_test = arrays
    return TrainingData(x, y, header.task, x_test, y_test)


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
    #: on the pipe only: where in shared memory the weights and biases are (training/shared_parameters.py)
    parameters: Any = None


def bounded(config: TrainingConfig) -> TrainingConfig:
    return replaced(config, batch_size=min(config.batch_size, MAX_BATCH_SIZE))


def replaced(config: TrainingConfig, **changes: Any) -> TrainingConfig:
    """`config` with `changes`, validated (ConfigError names an unknown or out-of-range setting)."""
    return TrainingConfig.from_json({**config.to_json(), **changes})


class TrainingEngine:
    """The training state machine; `emit(kind, payload)` sends an event to the GUI."""

    def __init__(self, emit: Callable[[str, Any], None]) -> None:
        self._emit = emit
        self.running = False
        self._trainer: Trainer | None = None
        self._config = TrainingConfig()  # the trainer's config with every queued change applied
        self._data: TrainingData | None = None
        self._refused: tuple[Network, TrainingConfig, TrainingData] | None = None
        self._prepared: PreparedData | None = None
        self._epoch_target: int | None = None  # step-epoch: run until this many epochs are complete
        self._order = np.empty(0, dtype=np.int64)
        self._cursor = 0
        self._rng = np.random.default_rng()
        # Each epoch's outputs, row by row as trained (before each update): its loss and accuracy come from
        # them, as in Trainer.fit, instead of a second forward pass.
        self._outputs = np.empty((0, 0))
        self._reported = 0  # rows of this epoch whose loss is already in a snapshot
        self._samples_seen = 0
        self._epoch_seconds = 0.0
        self._commands_applied = 0
        self._loss_since_snapshot = [0.0, 0]  # (sum of row losses, rows) not yet reported
        self._epochs_since_snapshot: list[EpochStats] = []
        self._rate = 0.0
        self._rate_mark = (time.perf_counter(), 0)  # (when, samples seen) at the start of the rate window
        self._last_emit = -math.inf
        self._gap = SNAPSHOT_INTERVAL  # the wait after an acknowledgement before the next snapshot
        self._in_flight = False
        self._dirty = False
        self._last_finite: list[np.ndarray] = []
        self._pace: float | None = None  # epochs per second to train at (None: as fast as possible)
        self._next_step_at = 0.0  # with a pace: when the next minibatch is due (perf_counter seconds)

    # -- commands -----------------------------------------------------------------------------------------
    def apply(self, name: str, args: tuple) -> None:
        """One command from the GUI; a bad one pauses training and tells the user why."""
        self._commands_applied += name != "ack"  # the GUI counts what it sends the same way
        try:
            getattr(self, f"_do_{name}")(*args)
        except (ConfigError, LossError, NetworkError, TrainingError) as exc:
            self._set_running(False)
            self._emit("failed", str(exc))
            self._dirty = True

    def _do_load(self, network: Network, config: TrainingConfig, data: TrainingData | None) -> None:
        """Train `network` from now on (paused); `data` None keeps the data set already loaded."""
        self._set_running(False)
        self._trainer = None  # a failed load must not leave the old run half-replaced
        data = self._data if data is None else data
        # Kept until the Trainer accepts it: a load refused for its settings (a loss that does not fit the
        # data) is tried again when the user changes them.
        self._refused = (network, config, data)
        self._config = bounded(config)
        trainer = Trainer(network, self._config, data.task)
        self._prepared = trainer.prepare(data.x, data.y)  # raises before anything is replaced
        self._trainer, self._data, self._refused = trainer, data, None
        self._rng = np.random.default_rng(config.seed)
        self._outputs = np.empty_like(self._prepared.targets)
        self._cursor = self._reported = len(data.x)  # a new epoch starts at the next step
        self._samples_seen = 0
        self._epoch_target = None
        self._loss_since_snapshot = [0.0, 0]  # the previous run's, not yet reported: no one's now
        self._epochs_since_snapshot.clear()
        self._remember_finite()
        self._dirty = True

    def _do_start(self) -> None:
        self._epoch_target = None
        self._set_running(self._trainer is not None)

    def _do_pause(self) -> None:
        self._set_running(False)
        self._dirty = True

    def _do_step_batch(self) -> None:
        self._set_running(False)
        if self._trainer is not None:
            self.train_one_minibatch()
            self._dirty = True

    def _do_step_epoch(self) -> None:
        if self._trainer is not None:
            self._epoch_target = self._trainer.epoch + 1
            self._set_running(True)

    def _do_set_weight(self, k: int, j: int, i: int, value: float) -> None:
        if self._trainer is not None:
            self._trainer.network.weights[k][j, i] = value
            self._dirty = True

    def _do_set_bias(self, k: int, j: int, value: float) -> None:
        if self._trainer is not None:
            self._trainer.network.biases[k][j] = value
            self._dirty = True

    def _do_set_config(self, changes: dict[str, Any]) -> None:
        if self._trainer is None and self._refused is not None:
            network, config, data = self._refused
            self._do_load(network, replaced(config, **changes), data)
        elif self._trainer is not None:
            self._trainer.set_config(**changes)  # applied by the Trainer before the next minibatch
            self._config = replaced(self._config, **changes)
            self._dirty = True

    def _do_set_pace(self, epochs_per_second: float | None) -> None:
        """Train at most this many epochs a second, the minibatches spread evenly (None or 0: flat out), so
        a class can watch a spiral being learned."""
        self._pace = float(epochs_per_second) if epochs_per_second else None
        self._next_step_at = time.perf_counter()

    def seconds_to_next_step(self) -> float:
        """How long until the next minibatch is due while running (0 at once: no pace, or it is late)."""
        if self._pace is None:
            return 0.0
        return max(0.0, self._next_step_at - time.perf_counter())

    def _do_ack(self) -> None:
        self._in_flight = False
        # Count the interval from when the GUI finished, not from when we sent: the GUI gets at least as
        # much idle time as it spent busy with the last snapshot.
        now = time.perf_counter()
        self._gap = min(max(SNAPSHOT_INTERVAL, now - self._last_emit), MAX_SNAPSHOT_GAP)
        self._last_emit = now

    # -- training -----------------------------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        if running != self.running:
            self.running = running
            self._dirty = True
            self._rate_mark = (time.perf_counter(), self._samples_seen)
            self._emit("running", running)

    def train_one_minibatch(self) -> None:
        """One update; at the end of an epoch, its statistics."""
        trainer, n = self._trainer, len(self._data.x)
        if self._cursor >= n:
            self._order = self._rng.permutation(n) if self._config.shuffle else np.arange(n)
            self._cursor = self._reported = 0
            self._epoch_seconds = 0.0
        start = self._cursor
        rows = self._order[start : start + self._config.batch_size]
        started = time.perf_counter()
        try:
            trainer.step_rows(self._prepared, rows, self._outputs[start : start + len(rows)])
        except DivergenceError as exc:
            self._diverged(exc)
            return
        now = time.perf_counter()
        if self._pace is not None:
            interval = 1.0 / (self._pace * -(-n // self._config.batch_size))
            # never more than one step behind: a late step (a slow GUI, a pause) is not made up in a burst
            self._next_step_at = max(self._next_step_at + interval, now - interval)
        self._epoch_seconds += now - started
        self._cursor += len(rows)
        self._samples_seen += len(rows)
        self._dirty = True
        self._measure_rate(now)
        if self._cursor >= n:
            self._finish_epoch()

    def _diverged(self, exc: DivergenceError) -> None:
        self._reported = self._cursor  # the losses of the rows since the last report are not numbers
        net = self._trainer.network
        # The Trainer already rolled back to the parameters before the failing minibatch when they overflowed:
        # those are the last finite ones the message promises (the last snapshot's may be from before Play).
        if not all(np.isfinite(a).all() for a in net.weights + net.biases):
            self._restore_finite()
        self._dirty = True
        self._set_running(False)
        self._emit("failed", str(exc))

    def _loss_of(self, start: int, stop: int) -> float:
        """Mean loss of this epoch's rows start:stop from their kept outputs (DivergenceError: not finite)."""
        targets = self._prepared.targets[self._order[start:stop]]
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loss = get_loss(self._trainer.config.loss).value(self._outputs[start:stop], targets)
        self._trainer.check_loss(loss)
        return loss

    def _report_loss(self) -> bool:
        """Add the rows trained since the last report to the snapshot's minibatch loss (False: diverged)."""
        start, stop = self._reported, self._cursor
        if stop > start:
            try:
                loss = self._loss_of(start, stop)
            except DivergenceError as exc:
                self._diverged(exc)
                return False
            self._loss_since_snapshot[0] += loss * (stop - start)
            self._loss_since_snapshot[1] += stop - start
            self._reported = stop
        return True

    def _measure_rate(self, now: float) -> None:
        """Samples per second of wall time over the last RATE_WINDOW while running."""
        since, seen = self._rate_mark
        if self.running and now - since >= RATE_WINDOW:
            self._rate = (self._samples_seen - seen) / (now - since)
            self._rate_mark = (now, self._samples_seen)

    def _finish_epoch(self) -> None:
        trainer, data, prepared = self._trainer, self._data, self._prepared
        if not self._report_loss():
            return
        try:
            loss = self._loss_of(0, len(data.x))
        except DivergenceError as exc:
            self._diverged(exc)
            return
        trainer.epoch += 1
        accuracy = (
            None if prepared.labels is None else accuracy_of(self._outputs, prepared.labels[self._order])
        )
        test_loss = test_accuracy = None
        if data.x_test is not None and len(data.x_test):
            # Finite parameters may still overflow on the way to a diverging run: the losses then read inf.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                test_loss, test_accuracy = evaluate(
                    trainer.network, data.x_test, data.y_test, trainer.config.loss, data.task
                )
        seconds = self._epoch_seconds
        self._epochs_since_snapshot.append(
            EpochStats(
                trainer.epoch,
                trainer.steps,
                loss,
                accuracy,
                test_loss,
                test_accuracy,
                len(data.x) / max(seconds, 1e-12),
                seconds,
            )
        )
        if self._epoch_target is not None and trainer.epoch >= self._epoch_target:
            self._epoch_target = None
            self._set_running(False)

    # -- snapshots ----------------------------------------------------------------------------------------
    def _remember_finite(self) -> None:
        net = self._trainer.network
        self._last_finite = [a.copy() for a in net.weights + net.biases]

    def _restore_finite(self) -> None:
        """Put back the parameters of the last snapshot (all finite: we only snapshot finite ones)."""
        net = self._trainer.network
        for target, saved in zip(net.weights + net.biases, self._last_finite, strict=True):
            target[...] = saved
        self._dirty = True

    def seconds_to_next_snapshot(self) -> float | None:
        """How long until a snapshot is due (None: none will be until a command arrives)."""
        if self._trainer is None or not self._dirty or self._in_flight:
            return None
        return max(0.0, self._last_emit + self._gap - time.perf_counter())

    def maybe_emit(self, force: bool = False) -> None:
        """Send a snapshot if something changed, the GUI took the last one and (unless forced) one is due."""
        wait = self.seconds_to_next_snapshot()
        if wait is None or (wait > 0 and not force):
            return
        net = self._trainer.network
        if not self._report_loss() or not all(np.isfinite(a).all() for a in net.weights + net.biases):
            return
        self._remember_finite()
        n_w = len(net.weights)
        total, rows = self._loss_since_snapshot
        snap = Snapshot(
            weights=self._last_finite[:n_w],
            biases=self._last_finite[n_w:],
            epoch=self._trainer.epoch,
            step=self._trainer.steps,
            samples_seen=self._samples_seen,
            batch_loss=total / rows if rows else None,
            new_epochs=list(self._epochs_since_snapshot),
            samples_per_second=self._rate,
            running=self.running,
            commands_applied=self._commands_applied,
            config=self._config,
        )
        self._loss_since_snapshot = [0.0, 0]
        self._epochs_since_snapshot.clear()
        self._last_emit = time.perf_counter()
        self._in_flight = True
        self._dirty = False
        self._emit("snapshot", snap)


def serve(commands: Connection, events: Connection) -> None:
    """The training process's main loop: train while running, apply commands between minibatches."""
    limit_blas_threads()  # the GUI process needs the other core: see nnviz/core/threads.py
    blocks = ParameterWriter()

    def emit(kind: str, payload: Any) -> None:
        events.send((kind, blocks.stow(payload) if kind == "snapshot" else payload))

    try:
        _serve(TrainingEngine(emit), commands, events)
    finally:
        blocks.close()


def _serve(engine: TrainingEngine, commands: Connection, events: Connection) -> None:
    while True:
        # Idle: sleep until a command arrives or a snapshot falls due. Running: only look, or with a pace,
        # wait (for commands too) until the next minibatch or snapshot is due.
        snapshot_wait = engine.seconds_to_next_snapshot()
        wait = engine.seconds_to_next_step() if engine.running else snapshot_wait
        if engine.running and wait > 0 and snapshot_wait is not None:
            wait = min(wait, snapshot_wait)
        if commands.poll(wait):
            while commands.poll():
                try:
                    name, args = commands.recv()
                except EOFError:
                    return  # the GUI process is gone (killed): nobody to train for
                if name == "shutdown":
                    events.send(("bye", None))
                    return
                if name == "load" and isinstance(args[2], DataFollows):
                    args = (*args[:2], receive_data(commands, args[2]))
                engine.apply(name, args)
            engine.maybe_emit(force=not engine.running)
        elif engine.running and engine.seconds_to_next_step() == 0:
            engine.train_one_minibatch()
        engine.maybe_emit()
