"""Background training: a worker in its own QThread owns the Trainer and its copy of the parameters.

DESIGN.md rule 3: while training runs, only the worker touches the parameters. The GUI talks to it through a
`TrainingController`, which puts commands on a FIFO queue and wakes the worker with a queued signal; the
worker drains the whole queue between minibatches, so no edit is lost, reordered or torn (a single "latest
value" slot would drop edits). The worker answers with `Snapshot`s — copied arrays, never views — emitted at
most ~30 times a second, only once the GUI has acknowledged the previous one and at least SNAPSHOT_INTERVAL
after that acknowledgement — a fast trainer is never slowed by drawing, a slow GUI never falls behind a
backlog of stale frames, and the GUI's event loop always gets time between snapshots.

Cancellation is cooperative (superqt/Orange3 style): the worker trains in chunks of at most CHUNK_SECONDS,
returning to its event loop in between (so `QThread.quit()` is honoured), and checks the queue before every
minibatch, so pause takes effect within one minibatch. Nothing ever calls `terminate()`.
"""

from __future__ import annotations

import math
import queue
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from nnviz.core.losses import LossError
from nnviz.core.network import Network, NetworkError, init_layer
from nnviz.core.training import (
    ConfigError,
    DivergenceError,
    EpochStats,
    Trainer,
    TrainingConfig,
    TrainingError,
    evaluate,
)

SNAPSHOT_INTERVAL = 1 / 30  # seconds: what the eye can use
# ...but a GUI that was slow once (start-up, a dialog) must not freeze the display for as long.
MAX_SNAPSHOT_GAP = 0.25
CHUNK_SECONDS = 0.03  # the worker returns to its event loop at least this often
# An epoch's training accuracy is measured on at most this many fixed training rows: a full pass over a
# large set after every epoch would cost the trainer a third of its speed. (Its loss is the mean of the
# epoch's minibatch losses, as the Trainer reports it.)
ACCURACY_ROWS = 1024
# Minibatches larger than this would make a single step (and so a pause) slow on big inputs.
MAX_BATCH_SIZE = 4096


@dataclass(frozen=True)
class TrainingData:
    """What the worker trains on: already scaled features, targets as the Trainer wants them."""

    x: np.ndarray
    y: np.ndarray
    task: str = "regression"
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None


@dataclass(frozen=True)
class Snapshot:
    """The worker's state at one moment. Every array is a private copy: the receiver may keep it."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    epoch: int  # completed epochs
    step: int  # minibatch updates so far
    samples_seen: int
    batch_loss: float | None  # mean minibatch loss since the previous snapshot (None: no step since)
    new_epochs: list[EpochStats] = field(default_factory=list)  # epochs finished since the previous one
    samples_per_second: float = 0.0
    running: bool = False
    commands_applied: int = 0  # how many commands the worker has taken off the queue, in order
    config: TrainingConfig | None = None


class TrainingWorker(QObject):
    """Lives in the training thread. Only `TrainingController` talks to it (through the queue)."""

    #: payload: a Snapshot (copied arrays).
    snapshot_ready = Signal(object)
    #: payload: a message for the user (divergence, bad setting); training is paused.
    failed = Signal(str)
    #: payload: whether the worker now trains continuously.
    running_changed = Signal(bool)

    def __init__(self, commands: queue.SimpleQueue) -> None:
        super().__init__()
        self._commands = commands
        self._trainer: Trainer | None = None
        self._config = TrainingConfig()  # the trainer's config with every queued change applied
        self._data: TrainingData | None = None
        self._running = False
        self._chunk_scheduled = False
        self._epoch_target: int | None = None  # step-epoch: run until this many epochs are complete
        self._order = np.empty(0, dtype=np.int64)
        self._cursor = 0
        self._rng = np.random.default_rng()
        self._accuracy_rows: np.ndarray | slice = slice(None)
        self._samples_seen = 0
        self._epoch_loss_sum = 0.0
        self._epoch_seconds = 0.0
        self._commands_applied = 0
        self._losses_since_snapshot: list[float] = []
        self._epochs_since_snapshot: list[EpochStats] = []
        self._rate = 0.0
        self._last_emit = -math.inf
        self._gap = SNAPSHOT_INTERVAL  # the wait after an acknowledgement before the next snapshot
        self._in_flight = False
        self._dirty = False
        self._last_finite: list[np.ndarray] = []

    # -- commands -----------------------------------------------------------------------------------------
    @Slot()
    def drain(self) -> None:
        """Apply every queued command in order; then train on if running."""
        while True:
            try:
                name, args = self._commands.get_nowait()
            except queue.Empty:
                break
            self._commands_applied += 1
            try:
                getattr(self, f"_do_{name}")(*args)
            except (ConfigError, LossError, NetworkError, TrainingError) as exc:
                self._set_running(False)
                self.failed.emit(str(exc))
                self._dirty = True
        self._schedule()
        self._maybe_emit(force=not self._running)

    def _do_load(self, network: Network, config: TrainingConfig, data: TrainingData) -> None:
        self._set_running(False)
        self._trainer = None  # a failed load must not leave the old run half-replaced
        self._data = data
        self._config = _bounded(config)
        self._trainer = Trainer(network.copy(), self._config, data.task)
        self._rng = np.random.default_rng(config.seed)
        self._cursor = len(data.x)  # a new epoch starts at the next step
        n = len(data.x)
        self._accuracy_rows = (
            np.sort(self._rng.choice(n, ACCURACY_ROWS, replace=False)) if n > ACCURACY_ROWS else slice(None)
        )
        self._samples_seen = 0
        self._epoch_target = None
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
            self._train_one_minibatch()
            self._dirty = True

    def _do_step_epoch(self) -> None:
        if self._trainer is not None:
            self._epoch_target = self._trainer.epoch + 1
            self._set_running(True)

    def _do_reset(self, seed: int | None) -> None:
        """New random parameters (the same seed gives the same ones), fresh optimizer, counters at zero."""
        if self._trainer is None or self._data is None:
            return
        old = self._trainer.network
        seed = self._config.seed if seed is None else seed
        rng = np.random.default_rng(seed)
        layers = [
            init_layer(rng, w.shape[1], w.shape[0], a.name)
            for w, a in zip(old.weights, old.activations, strict=True)
        ]
        network = Network([w for w, _ in layers], [b for _, b in layers], old.activations, old.dtype)
        self._do_load(network, _replace(self._config, seed=seed), self._data)
        self._losses_since_snapshot.clear()
        self._epochs_since_snapshot.clear()

    def _do_set_weight(self, k: int, j: int, i: int, value: float) -> None:
        if self._trainer is not None:
            self._trainer.network.weights[k][j, i] = value
            self._dirty = True

    def _do_set_bias(self, k: int, j: int, value: float) -> None:
        if self._trainer is not None:
            self._trainer.network.biases[k][j] = value
            self._dirty = True

    def _do_set_config(self, changes: dict[str, Any]) -> None:
        if self._trainer is not None:
            self._trainer.set_config(**changes)  # applied by the Trainer before the next minibatch
            self._config = _replace(self._config, **changes)
            self._dirty = True

    def _do_ack(self) -> None:
        self._in_flight = False
        # Count the interval from when the GUI finished, not from when we sent: a snapshot posted while the
        # GUI thread is still draining its event queue would be handled in the same pass, and back-to-back
        # snapshots would starve its timers. The GUI gets at least as much idle time as it spent busy.
        now = time.perf_counter()
        self._gap = min(max(SNAPSHOT_INTERVAL, now - self._last_emit), MAX_SNAPSHOT_GAP)
        self._last_emit = now

    def _do_shutdown(self) -> None:
        self._set_running(False)

    # -- training -----------------------------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self._dirty = True
            self.running_changed.emit(running)

    def _schedule(self) -> None:
        if self._running and not self._chunk_scheduled:
            self._chunk_scheduled = True
            QTimer.singleShot(0, self._run_chunk)

    @Slot()
    def _run_chunk(self) -> None:
        """Train for up to CHUNK_SECONDS, draining commands before every minibatch, then yield."""
        self._chunk_scheduled = False
        start = time.perf_counter()
        samples = 0
        while self._running and time.perf_counter() - start < CHUNK_SECONDS:
            if not self._commands.empty():
                self.drain()  # reschedules us if still running
                return
            samples += self._train_one_minibatch()
            self._maybe_emit()
        elapsed = time.perf_counter() - start
        if samples and elapsed > 0:
            self._rate = samples / elapsed if self._rate == 0 else 0.8 * self._rate + 0.2 * samples / elapsed
        self._schedule()
        self._maybe_emit(force=not self._running)

    def _train_one_minibatch(self) -> int:
        """One update; at the end of an epoch, its statistics. Returns the samples used."""
        trainer, data = self._trainer, self._data
        n = len(data.x)
        if self._cursor >= n:
            self._order = self._rng.permutation(n) if self._config.shuffle else np.arange(n)
            self._cursor, self._epoch_loss_sum, self._epoch_seconds = 0, 0.0, 0.0
        index = self._order[self._cursor : self._cursor + self._config.batch_size]
        started = time.perf_counter()
        try:
            # Overflow on the way to a NaN loss is expected: DivergenceError reports it to the user.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                loss = trainer.step_batch(data.x[index], data.y[index])
        except DivergenceError as exc:
            self._restore_finite()
            self._set_running(False)
            self.failed.emit(str(exc))
            return 0
        self._epoch_seconds += time.perf_counter() - started
        self._cursor += len(index)
        self._samples_seen += len(index)
        self._epoch_loss_sum += loss * len(index)
        self._losses_since_snapshot.append(loss)
        self._dirty = True
        if self._cursor >= n:
            self._finish_epoch()
        return len(index)

    def _finish_epoch(self) -> None:
        trainer, data = self._trainer, self._data
        trainer.epoch += 1
        n = len(data.x)
        sample = self._accuracy_rows
        _, accuracy = evaluate(trainer.network, data.x[sample], data.y[sample], self._config.loss, data.task)
        test_loss = test_accuracy = None
        if data.x_test is not None and len(data.x_test):
            test_loss, test_accuracy = evaluate(
                trainer.network, data.x_test, data.y_test, self._config.loss, data.task
            )
        seconds = self._epoch_seconds
        self._epochs_since_snapshot.append(
            EpochStats(
                trainer.epoch,
                trainer.steps,
                self._epoch_loss_sum / n,
                accuracy,
                test_loss,
                test_accuracy,
                n / max(seconds, 1e-12),
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

    def _maybe_emit(self, force: bool = False) -> None:
        """Emit a snapshot if something changed, the GUI took the last one and (unless forced) one is due."""
        if self._trainer is None or not self._dirty or self._in_flight:
            return
        now = time.perf_counter()
        if not force and now - self._last_emit < self._gap:
            return
        net = self._trainer.network
        if not all(np.isfinite(a).all() for a in net.weights + net.biases):
            return
        self._remember_finite()
        n_w = len(net.weights)
        losses = self._losses_since_snapshot
        snap = Snapshot(
            weights=self._last_finite[:n_w],
            biases=self._last_finite[n_w:],
            epoch=self._trainer.epoch,
            step=self._trainer.steps,
            samples_seen=self._samples_seen,
            batch_loss=float(np.mean(losses)) if losses else None,
            new_epochs=list(self._epochs_since_snapshot),
            samples_per_second=self._rate,
            running=self._running,
            commands_applied=self._commands_applied,
            config=self._config,
        )
        # _remember_finite made fresh copies for the snapshot; make our own so the GUI's stay private.
        self._last_finite = [a.copy() for a in self._last_finite]
        losses.clear()
        self._epochs_since_snapshot.clear()
        self._last_emit = now
        self._in_flight = True
        self._dirty = False
        self.snapshot_ready.emit(snap)


def _bounded(config: TrainingConfig) -> TrainingConfig:
    return _replace(config, batch_size=min(config.batch_size, MAX_BATCH_SIZE))


def _replace(config: TrainingConfig, **changes: Any) -> TrainingConfig:
    """`config` with `changes`, validated (ConfigError names an unknown or out-of-range setting)."""
    return TrainingConfig.from_json({**config.to_json(), **changes})


class TrainingController(QObject):
    """The GUI-side handle: starts the thread, queues commands, re-emits the worker's signals.

    Every method returns at once; the effect shows in a later `snapshot_ready`. Call `shutdown()` before the
    owner goes away (the main window does on close): it stops training and joins the thread.
    """

    snapshot_ready = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._commands: queue.SimpleQueue = queue.SimpleQueue()
        self.running = False
        self.commands_sent = 0
        self._thread = QThread()
        self._thread.setObjectName("nnviz-training")
        self._worker = TrainingWorker(self._commands)
        self._worker.moveToThread(self._thread)
        self._wake.connect(self._worker.drain)
        self._worker.snapshot_ready.connect(self._on_snapshot)
        self._worker.failed.connect(self.failed)
        self._worker.running_changed.connect(self._on_running_changed)
        self._thread.finished.connect(self._worker.deleteLater)
        self._thread.start()

    def _send(self, name: str, *args: Any) -> None:
        self._commands.put((name, args))
        self.commands_sent += 1
        self._wake.emit()

    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        self.snapshot_ready.emit(snap)
        # Acknowledge from a zero timer: it fires only after the repaints the views just posted, so the
        # worker's pause before the next snapshot starts once the GUI is really idle.
        QTimer.singleShot(0, self._acknowledge)

    def _acknowledge(self) -> None:
        self._send("ack")  # only now may the worker send the next one

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self.running = running
        self.running_changed.emit(running)

    # -- the commands -------------------------------------------------------------------------------------
    def load(self, network: Network, config: TrainingConfig, data: TrainingData) -> None:
        """Train a copy of `network` on `data` from now on (paused)."""
        self._send("load", network.copy(), config, data)

    def start(self) -> None:
        self._send("start")

    def pause(self) -> None:
        self._send("pause")

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def step_batch(self) -> None:
        self._send("step_batch")

    def step_epoch(self) -> None:
        self._send("step_epoch")

    def reset(self, seed: int | None = None) -> None:
        self._send("reset", seed)

    def set_weight(self, k: int, j: int, i: int, value: float) -> None:
        self._send("set_weight", k, j, i, float(value))

    def set_bias(self, k: int, j: int, value: float) -> None:
        self._send("set_bias", k, j, float(value))

    def set_config(self, **changes: Any) -> None:
        """Hyper-parameters by TrainingConfig field name; validated now, applied at the next minibatch."""
        _replace(TrainingConfig(), **changes)  # raises ConfigError here, where the user can be told
        if "batch_size" in changes:
            changes["batch_size"] = min(changes["batch_size"], MAX_BATCH_SIZE)
        self._send("set_config", changes)

    def shutdown(self) -> None:
        """Stop training and join the thread (cooperatively: at most one chunk of work)."""
        if self._thread.isRunning():
            self._send("shutdown")
            self._thread.quit()
            self._thread.wait()

    @property
    def thread(self) -> QThread:
        return self._thread
