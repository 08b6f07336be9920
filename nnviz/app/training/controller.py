"""Background training, the GUI's side: a controller, and a worker in a QThread relaying the trainer's
process.

docs/architecture.md, rule 3: while training runs, only the trainer touches its parameters. The trainer runs
in a child process (`engine.serve`; why a process: see that module), started on first use from a fork
server where the platform has one (forking the GUI process itself, which runs Qt threads, is unsafe), else
spawned afresh (Windows has only `spawn`): see `process_context`. The GUI's `TrainingController` sends
commands down a pipe in order; a `TrainingWorker` living in a QThread blocks on the other pipe and re-emits
the process's events as Qt signals, delivered to the GUI thread as queued calls. Each snapshot is acknowledged
only once the GUI has drawn it, which paces the next one.

The process ends when asked (`shutdown`, between two minibatches) or, failing that within a few seconds,
is killed; if it dies on its own the controller says so and starts a fresh one on the next command.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import multiprocessing.forkserver
import queue
import threading
from multiprocessing.connection import Connection
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot

from nnviz.app.processes import main_module_hidden, process_context
from nnviz.app.training import protocol
from nnviz.app.training.engine import MAX_BATCH_SIZE, replaced, serve
from nnviz.app.training.protocol import Snapshot, TrainingData
from nnviz.app.training.shared_parameters import ParameterReader, unlink
from nnviz.core.network import Network, NetworkError
from nnviz.core.stepping import ShownSample
from nnviz.core.training import TrainingConfig

__all__ = ["Snapshot", "TrainingController", "TrainingData", "TrainingWorker"]

SHUTDOWN_GRACE_SECONDS = 5.0  # for the process to finish its minibatch and exit before it is killed


class TrainingWorker(QObject):
    """Lives in the relay thread: turns the process's events into signals until it says goodbye."""

    snapshot_ready = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)
    #: the process went away without being asked (crashed or was killed).
    lost = Signal()

    def __init__(self, events: Connection) -> None:
        super().__init__()
        self._events = events
        self._parameters = ParameterReader()
        #: set by the GUI thread: the sample whose forward pass each snapshot brings along (see `_traced`)
        self.shown: ShownSample | None = None

    @Slot()
    def run(self) -> None:
        while True:
            try:
                event = self._events.recv()
            except (EOFError, OSError):
                if self._parameters.name is not None:  # a process that died left its block behind
                    unlink(self._parameters.name)
                self.lost.emit()
                break
            match event:
                case protocol.Bye():
                    break
                case Snapshot():
                    snapshot = self._parameters.fill(event) if event.parameters is not None else event
                    if snapshot is not None:  # None: from a run the process has ended
                        self.snapshot_ready.emit(self._traced(snapshot))  # filled here, off the GUI thread
                case protocol.Failed(message):
                    self.failed.emit(message)
                case protocol.RunningChanged(running):
                    self.running_changed.emit(running)
        self._parameters.close()
        self.thread().quit()

    def _traced(self, snapshot: Snapshot) -> Snapshot:
        """The snapshot with its forward pass of the sample shown, so the GUI thread does not make it (a
        pass over every weight); without one when the sample does not fit its network (a newer network is
        shown: the GUI drops such a snapshot)."""
        shown = self.shown  # read once: the GUI thread may replace it meanwhile
        if shown is None or not snapshot.weights:
            return snapshot
        try:
            made = shown.trace(snapshot.weights, snapshot.biases)
        except (ValueError, NetworkError):  # the pass itself finds layers, input or pieces that do not fit
            return snapshot
        return dataclasses.replace(snapshot, shown_trace=made)


class _Sender(threading.Thread):
    """Writes the commands to the process, in order, off the GUI thread: a write waits while the process is
    busy with a minibatch or reading a data set, and a data set goes as raw bytes (`DataFollows`)."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(name="nnviz-training-sender", daemon=True)
        self.connection = connection
        self.queue: queue.SimpleQueue[protocol.Command | None] = queue.SimpleQueue()

    def run(self) -> None:
        while (command := self.queue.get()) is not None:
            try:
                if isinstance(command, protocol.Load) and isinstance(command.data, TrainingData):
                    self.connection.send(
                        protocol.Load(command.network, command.config, protocol.DataFollows.of(command.data))
                    )
                    protocol.send_data(self.connection, command.data)
                else:
                    self.connection.send(command)
            except OSError:
                continue  # the process is gone; the relay reports it, and the queue is still drained

    def stop(self) -> None:
        self.queue.put(None)
        self.join()


class TrainingController(QObject):
    """The GUI-side handle: starts the process and relay thread when first needed, sends commands, re-emits
    the worker's signals.

    Every method returns at once; the effect shows in a later `snapshot_ready`. Call `shutdown()` before the
    owner goes away (the main window does on close): it stops training and ends the process and thread.
    """

    snapshot_ready = Signal(object)
    failed = Signal(str)
    running_changed = Signal(bool)
    #: the training process died unexpectedly (training is paused; the next command starts a new one).
    lost = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.running = False
        self.commands_sent = 0
        self._thread = QThread()
        self._thread.setObjectName("nnviz-training")
        self._process: multiprocessing.process.BaseProcess | None = None
        self._sender: _Sender | None = None
        self._worker: TrainingWorker | None = None
        self._loaded: tuple[Network, TrainingConfig, TrainingData] | None = None
        self._data_sent: TrainingData | None = None  # the data set the process already has
        self.pace: float | None = None  # epochs per second (None: as fast as possible)
        self._shown: ShownSample | None = None

    @property
    def shown(self) -> ShownSample | None:
        """The sample shown in the window: the relay thread makes each snapshot's forward pass of it."""
        return self._shown

    @shown.setter
    def shown(self, sample: ShownSample | None) -> None:
        self._shown = sample
        if self._worker is not None:
            self._worker.shown = sample

    # -- the process --------------------------------------------------------------------------------------
    @staticmethod
    def warm_up() -> None:
        """Start the fork server now, if there is one (it imports NumPy and the trainer in the background,
        about half a second), so the first Play does not wait for it."""
        if process_context().get_start_method() == "forkserver":
            multiprocessing.forkserver.ensure_running()

    def _start_process(self) -> None:
        processes = process_context()
        commands_out, commands_in = processes.Pipe(duplex=False)
        events_out, events_in = processes.Pipe(duplex=False)
        self._process = processes.Process(  # type: ignore[attr-defined]  # on every concrete context
            target=serve, args=(commands_out, events_in), name="nnviz-training", daemon=True
        )
        with main_module_hidden():
            self._process.start()
        commands_out.close()  # the child's ends: with ours closed, its death reads as end-of-file
        events_in.close()
        self._sender = _Sender(commands_in)
        self._sender.start()
        self._data_sent = None
        self.commands_sent = 0  # counted per process, like the engine's commands_applied
        self._worker = worker = TrainingWorker(events_out)  # held: it owns the pipe end the relay reads
        worker.shown = self._shown
        worker.moveToThread(self._thread)
        worker.snapshot_ready.connect(self._on_snapshot)
        worker.failed.connect(self.failed)
        worker.running_changed.connect(self._on_running_changed)
        worker.lost.connect(self._on_lost)
        self._thread.finished.connect(worker.deleteLater)
        # Queued: run() starts once the thread's event loop is up, so its closing quit() ends the thread.
        self._thread.started.connect(worker.run, Qt.ConnectionType.QueuedConnection)
        self._thread.start()
        if self._loaded is not None:
            self._send_load()

    def _stop_process(self) -> None:
        """Join the relay thread and the process (killing a process that does not exit in time)."""
        process, sender = self._process, self._sender
        assert process is not None, "stopped only while a process runs"
        assert sender is not None, "a running process has its sender"
        self._process = None
        if self._thread.isRunning() and not self._thread.wait(int(SHUTDOWN_GRACE_SECONDS * 1000)):
            process.kill()  # its pipe closes, so the relay reads end-of-file and its thread ends
            # A relay idle in its thread's event loop, not reading (seen once in a test run, cause not found),
            # would keep the thread alive for ever: ask the loop to end too (cooperative, never terminate()).
            self._thread.quit()
            self._thread.wait()
        process.join(SHUTDOWN_GRACE_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()
        sender.stop()  # its writes fail at once now that the process is gone
        sender.connection.close()
        self._sender = None
        self.commands_sent = 0  # counted per process: the next one starts from zero

    def _send(self, command: protocol.Command) -> None:
        """Queue a command for the process (started now if there is none); never waits."""
        if self._process is None:
            self._start_process()
        assert self._sender is not None, "a started process has its sender"
        self._sender.queue.put(command)
        self.commands_sent += protocol.counted(
            command
        )  # as the engine counts: a test can wait for its own commands

    def _send_load(self) -> None:
        assert self._loaded is not None, "sent once load() has given it"
        network, config, data = self._loaded
        self._send(protocol.Load(network, config, None if data is self._data_sent else data))
        self._data_sent = data
        if self.pace is not None:  # a new process trains at the pace chosen
            self._send(protocol.SetPace(self.pace))

    # -- from the worker ----------------------------------------------------------------------------------
    @Slot(object)
    def _on_snapshot(self, snap: Snapshot) -> None:
        self.snapshot_ready.emit(snap)
        # Acknowledge from a zero timer: it fires only after the repaints the views just posted, so the
        # engine's pause before the next snapshot starts once the GUI is really idle.
        QTimer.singleShot(0, self._acknowledge)

    def _acknowledge(self) -> None:
        if self._process is not None:
            self._send(protocol.Ack())  # only now may the engine send the next one

    @Slot(bool)
    def _on_running_changed(self, running: bool) -> None:
        self.running = running
        self.running_changed.emit(running)

    @Slot()
    def _on_lost(self) -> None:
        process = self._process
        if process is None:  # already shut down
            return
        self._stop_process()  # joins it: only then is its exit code known
        code = process.exitcode
        if self.running:
            self._on_running_changed(False)
        self.failed.emit(
            f"The training process stopped unexpectedly (exit code {code}). Training is paused; "
            "press Play to go on from the last parameters shown."
        )
        self.lost.emit()

    # -- the commands -------------------------------------------------------------------------------------
    def load(self, network: Network, config: TrainingConfig, data: TrainingData) -> None:
        """Train a copy of `network` on `data` from now on (paused). Sent when the process is first needed."""
        self._loaded = (network.copy(), config, data)
        if self._process is not None:
            self._send_load()

    def start(self) -> None:
        self._send(protocol.Start())

    def pause(self) -> None:
        if self._process is not None:
            self._send(protocol.Pause())

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def step_batch(self) -> None:
        self._send(protocol.StepBatch())

    def step_epoch(self) -> None:
        self._send(protocol.StepEpoch())

    def set_weight(self, k: int, j: int, i: int, value: float) -> None:
        if self._process is None and self._loaded is not None:
            self._loaded[0].weights[k][j, i] = value  # not started yet: edit the network it will load
        else:
            self._send(protocol.SetWeight(k, j, i, float(value)))

    def set_bias(self, k: int, j: int, value: float) -> None:
        if self._process is None and self._loaded is not None:
            self._loaded[0].biases[k][j] = value
        else:
            self._send(protocol.SetBias(k, j, float(value)))

    def set_config(self, **changes: Any) -> None:
        """Hyper-parameters by TrainingConfig field name; validated now, applied at the next minibatch."""
        replaced(TrainingConfig(), **changes)  # raises ConfigError here, where the user can be told
        if "batch_size" in changes:
            changes["batch_size"] = min(changes["batch_size"], MAX_BATCH_SIZE)
        self._send(protocol.SetConfig(changes))

    def set_pace(self, epochs_per_second: float | None) -> None:
        """Train at most this many epochs a second (None: as fast as possible); the process spaces its
        minibatches, the GUI thread never waits."""
        self.pace = epochs_per_second or None
        if self._process is not None:
            self._send(protocol.SetPace(self.pace))

    def shutdown(self) -> None:
        """Stop training, end the process and join the relay thread."""
        if self._process is not None:
            self._send(protocol.Shutdown())
            self._stop_process()

    @property
    def relay_thread(self) -> QThread:
        """The thread relaying the process's events (named so as not to hide `QObject.thread()`)."""
        return self._thread
