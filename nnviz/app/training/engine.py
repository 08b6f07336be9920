"""The trainer's own process: it owns the Trainer and its copy of the parameters while training runs.

Why a process and not only a thread: the GUI's painting and the trainer's minibatch loop are both Python
holding the GIL, so in one process each starves the other (measured: the window trained at 0.18-0.23 of the
headless rate and its event loop stalled up to 88 ms). In a child process the trainer has a core of its own.

`serve(commands, events)` is the child's main loop. Commands arrive in order on one pipe, events go back on
the other; training/protocol.py lists them all. The engine applies every waiting command before each
minibatch, so no edit is lost, reordered or torn. A snapshot is sent at most ~30 times a second, only after
the GUI acknowledged the previous one (`Ack`) and at least as long after as the GUI was busy with it, so a
fast trainer is never slowed by drawing and a slow GUI never falls behind a backlog of stale frames.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from nnviz.app.training.protocol import (
    Ack,
    Bye,
    Command,
    DataFollows,
    Event,
    Failed,
    Load,
    Pause,
    RunningChanged,
    SetBias,
    SetConfig,
    SetPace,
    SetWeight,
    Shutdown,
    Snapshot,
    Start,
    StepBatch,
    StepEpoch,
    TrainingData,
    counted,
    receive_data,
)
from nnviz.app.training.shared_parameters import ParameterWriter
from nnviz.core.losses import LossError
from nnviz.core.network import Network, NetworkError
from nnviz.core.runs import Checkpoint, CheckpointRecorder
from nnviz.core.threads import limit_blas_threads
from nnviz.core.training import (
    ConfigError,
    DivergenceError,
    EpochStats,
    PreparedData,
    Trainer,
    TrainingConfig,
    TrainingError,
)

SNAPSHOT_INTERVAL = 1 / 30  # seconds: what the eye can use
# ...but a GUI that was slow once (start-up, a dialog) must not freeze the display for as long.
MAX_SNAPSHOT_GAP = 0.25
# Minibatches larger than this would make a single step (and so a pause) slow on big inputs.
MAX_BATCH_SIZE = 4096
RATE_WINDOW = 0.25  # seconds of training averaged into the reported samples/s


def bounded(config: TrainingConfig) -> TrainingConfig:
    return replaced(config, batch_size=min(config.batch_size, MAX_BATCH_SIZE))


def replaced(config: TrainingConfig, **changes: Any) -> TrainingConfig:
    """`config` with `changes`, validated (ConfigError names an unknown or out-of-range setting)."""
    return TrainingConfig.from_json({**config.to_json(), **changes})


class TrainingEngine:
    """The training state machine; `emit(event)` sends an event to the GUI."""

    def __init__(self, emit: Callable[[Event], None]) -> None:
        self._emit = emit
        self.running = False
        self._trainer: Trainer | None = None
        self._config = TrainingConfig()  # the trainer's config with every queued change applied
        self._data: TrainingData | None = None
        self._refused: tuple[Network, TrainingConfig, TrainingData] | None = None
        self._prepared: PreparedData | None = None
        self._test: PreparedData | None = None
        self._epoch_target: int | None = None  # step-epoch: run until this many epochs are complete
        # The Trainer keeps the epoch's bookkeeping (order, outputs, statistics); the engine only reports the
        # loss of the rows trained since the last snapshot, read from the outputs the Trainer kept.
        self._rows_done = 0  # rows of the epoch under way trained so far
        self._reported = 0  # ...of which the loss is already in a snapshot
        self._samples_seen = 0
        self._commands_applied = 0
        self._loss_since_snapshot = [0.0, 0]  # (sum of row losses, rows) not yet reported
        self._epochs_since_snapshot: list[EpochStats] = []
        # Each load starts a run: its checkpoints are kept here and sent with the snapshots (core/runs.py).
        self._checkpoints: CheckpointRecorder | None = None
        self._checkpoints_since_snapshot: list[Checkpoint] = []
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
    def apply(self, command: Command) -> None:
        """One command from the GUI; a bad one pauses training and tells the user why."""
        self._commands_applied += counted(command)  # the GUI counts what it sends the same way
        try:
            self._dispatch(command)
        except (ConfigError, LossError, NetworkError, TrainingError) as exc:
            self._set_running(False)
            self._emit(Failed(str(exc)))
            self._dirty = True

    def _dispatch(self, command: Command) -> None:
        match command:
            case Load(network, config, data):
                if isinstance(data, DataFollows):
                    raise TypeError("the data must be read from the pipe before the load is applied")
                self._do_load(network, config, data)
            case Start():
                self._do_start()
            case Pause():
                self._do_pause()
            case StepBatch():
                self._do_step_batch()
            case StepEpoch():
                self._do_step_epoch()
            case SetWeight(layer, row, column, value):
                self._do_set_weight(layer, row, column, value)
            case SetBias(layer, row, value):
                self._do_set_bias(layer, row, value)
            case SetConfig(changes):
                self._do_set_config(changes)
            case SetPace(epochs_per_second):
                self._do_set_pace(epochs_per_second)
            case Ack():
                self._do_ack()
            case Shutdown():
                pass  # serve() ends the process before a shutdown reaches the engine

    def _do_load(self, network: Network, config: TrainingConfig, data: TrainingData | None) -> None:
        """Train `network` from now on (paused); `data` None keeps the data set already loaded."""
        self._set_running(False)
        self._trainer = None  # a failed load must not leave the old run half-replaced
        if data is None:  # the data sent last: with the last load, which may have been refused
            data = self._data if self._refused is None else self._refused[2]
        assert data is not None, "the first load carries its data"
        # Kept until the Trainer accepts it: a load refused for its settings (a loss that does not fit the
        # data) is tried again when the user changes them.
        self._refused = (network, config, data)
        self._config = bounded(config)
        trainer = Trainer(network, self._config, data.task)
        # these raise before anything is replaced
        self._prepared = trainer.prepare(data.x, data.y)
        x_test, y_test = data.x_test, data.y_test
        self._test = (
            None if x_test is None or y_test is None or not len(x_test) else trainer.prepare(x_test, y_test)
        )
        self._trainer, self._data, self._refused = trainer, data, None
        self._rows_done = self._reported = 0  # a new epoch starts at the next step
        self._samples_seen = 0
        self._epoch_target = None
        self._loss_since_snapshot = [0.0, 0]  # the previous run's, not yet reported: no one's now
        self._epochs_since_snapshot.clear()
        self._checkpoints = CheckpointRecorder(network)
        self._checkpoints_since_snapshot.clear()
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
            self._emit(RunningChanged(running))

    @property
    def _loaded(self) -> Trainer:
        """The trainer of the run loaded: training, its reports and snapshots come only after a load."""
        assert self._trainer is not None, "nothing is trained before a load"
        return self._trainer

    def train_one_minibatch(self) -> None:
        """One minibatch of the Trainer's own loop; at the end of an epoch, its statistics for a snapshot."""
        trainer, prepared = self._loaded, self._prepared
        assert prepared is not None, "a loaded run has its prepared data"
        # a diverging minibatch rolls back to the parameters just before it: the last finite ones, as promised
        trainer.remember_parameters()
        try:
            batch = trainer.train_minibatch(prepared, self._test)
        except DivergenceError as exc:
            self._diverged(exc)
            return
        now = time.perf_counter()
        if self._pace is not None:
            interval = 1.0 / (self._pace * -(-len(prepared.x) // self._config.batch_size))
            # never more than one step behind: a late step (a slow GUI, a pause) is not made up in a burst
            self._next_step_at = max(self._next_step_at + interval, now - interval)
        if batch.start == 0:  # a new epoch
            self._reported = 0
        self._rows_done = batch.stop
        self._samples_seen += batch.stop - batch.start
        self._dirty = True
        self._measure_rate(now)
        if batch.stats is not None:
            self._finish_epoch(batch.stats)

    def _diverged(self, exc: DivergenceError) -> None:
        self._reported = self._rows_done  # the losses of the rows since the last report are not numbers
        net = self._loaded.network
        # The Trainer already rolled back to the parameters before the failing minibatch when they overflowed:
        # those are the last finite ones the message promises (the last snapshot's may be from before Play).
        if not all(np.isfinite(a).all() for a in net.weights + net.biases):
            self._restore_finite()
        self._dirty = True
        self._set_running(False)
        self._emit(Failed(str(exc)))

    def _report_loss(self) -> bool:
        """Add the rows trained since the last report to the snapshot's minibatch loss (False: diverged)."""
        start, stop = self._reported, self._rows_done
        if stop > start:
            loss = self._loaded.epoch_loss(start, stop)
            try:
                self._loaded.check_loss(loss)
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

    def _finish_epoch(self, stats: EpochStats) -> None:
        if not self._report_loss():
            return
        self._epochs_since_snapshot.append(stats)
        trainer, checkpoints = self._loaded, self._checkpoints
        assert checkpoints is not None, "made with the trainer, at the load"
        kept = checkpoints.offer(trainer.epoch, trainer.network)
        if kept is not None:
            self._checkpoints_since_snapshot.append(kept)
        if self._epoch_target is not None and trainer.epoch >= self._epoch_target:
            self._epoch_target = None
            self._set_running(False)

    # -- snapshots ----------------------------------------------------------------------------------------
    def _remember_finite(self) -> None:
        net = self._loaded.network
        self._last_finite = [a.copy() for a in net.weights + net.biases]

    def _restore_finite(self) -> None:
        """Put back the parameters of the last snapshot (all finite: we only snapshot finite ones)."""
        net = self._loaded.network
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
        net = self._loaded.network
        if not self._report_loss() or not all(np.isfinite(a).all() for a in net.weights + net.biases):
            return
        self._remember_finite()
        n_w = len(net.weights)
        total, rows = self._loss_since_snapshot
        snap = Snapshot(
            weights=self._last_finite[:n_w],
            biases=self._last_finite[n_w:],
            epoch=self._loaded.epoch,
            step=self._loaded.steps,
            samples_seen=self._samples_seen,
            batch_loss=total / rows if rows else None,
            new_epochs=list(self._epochs_since_snapshot),
            samples_per_second=self._rate,
            running=self.running,
            commands_applied=self._commands_applied,
            config=self._config,
            checkpoints=list(self._checkpoints_since_snapshot),
        )
        self._loss_since_snapshot = [0.0, 0]
        self._epochs_since_snapshot.clear()
        self._checkpoints_since_snapshot.clear()
        self._last_emit = time.perf_counter()
        self._in_flight = True
        self._dirty = False
        self._emit(snap)


def serve(commands: Connection, events: Connection) -> None:
    """The training process's main loop: train while running, apply commands between minibatches."""
    limit_blas_threads()  # the GUI process needs the other core: see nnviz/core/threads.py
    blocks = ParameterWriter()

    def emit(event: Event) -> None:
        events.send(blocks.stow(event) if isinstance(event, Snapshot) else event)

    try:
        _serve(TrainingEngine(emit), commands, events)
    finally:
        blocks.close()


def _serve(engine: TrainingEngine, commands: Connection, events: Connection) -> None:
    while True:
        # Idle: sleep until a command arrives or a snapshot falls due. Running: only look, or with a pace,
        # wait (for commands too) until the next minibatch or snapshot is due.
        snapshot_wait = wait = engine.seconds_to_next_snapshot()
        if engine.running:
            wait = engine.seconds_to_next_step()
            if wait > 0 and snapshot_wait is not None:
                wait = min(wait, snapshot_wait)
        if commands.poll(wait):
            while commands.poll():
                try:
                    command: Command = commands.recv()
                except EOFError:
                    return  # the GUI process is gone (killed): nobody to train for
                if isinstance(command, Shutdown):
                    events.send(Bye())
                    return
                if isinstance(command, Load) and isinstance(command.data, DataFollows):
                    command = Load(command.network, command.config, receive_data(commands, command.data))
                engine.apply(command)
            engine.maybe_emit(force=not engine.running)
        elif engine.running and engine.seconds_to_next_step() == 0:
            engine.train_one_minibatch()
        engine.maybe_emit()
