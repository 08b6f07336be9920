"""Live training in the main window: the worker, its panel and its plots, wired to the Session.

`install_training_ui(window, session, canvas)` is the one call the main window makes; it adds the docks and a
toolbar and returns the `TrainingUI`, whose `shutdown()` the window calls when it closes.

Data flow (docs/architecture.md, rules 2 and 3): snapshots from the worker are written into the Session's
network as a non-undoable parameter update, and every view redraws from the Session as usual. A parameter edit
made by the user while training (the inspector, a canvas drag, undo) arrives with the Session's signal saying
which weight or bias it set (nnviz.app.edits.changes), and goes to the worker as that one SetWeight / SetBias
command, in order; only a change of everything (the walk-through's update) is found by comparing the Session's
arrays with the last snapshot written.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import partial

import numpy as np
from PySide6.QtCore import QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QToolBar

from nnviz.app.canvas.neuron_maps import MAP_RESOLUTION
from nnviz.app.canvas.widget import NetworkCanvas
from nnviz.app.edits.architecture import ArchitectureCommand
from nnviz.app.edits.changes import ParameterChange
from nnviz.app.paint_later import PaintLater
from nnviz.app.panels.training_panel import REINITIALISE, REINITIALISE_TIP, TrainingPanel
from nnviz.app.plots.decision_map import DecisionMap, NeuronMaps
from nnviz.app.plots.loss_plot import LossPlot
from nnviz.app.plots.plane import PlaneView, plane_view
from nnviz.app.training.controller import Snapshot, TrainingController, TrainingData
from nnviz.app.training.run_log import RunLog
from nnviz.app.training.runs_table import RunsUI, install_runs_ui
from nnviz.app.training.timeline import TimelineUI, install_timeline
from nnviz.app.window.icons import icon
from nnviz.app.window.visibility import ComingIntoView, on_screen
from nnviz.core.array_diff import changed_positions
from nnviz.core.datasets.base import Dataset, DatasetError
from nnviz.core.training import ConfigError, TrainingConfig

DEFAULT_TEST_FRACTION = 0.2
# Below this many samples (XOR has 4) holding any out would leave too little to learn from.
MIN_SAMPLES_FOR_TEST_SPLIT = 20
# While training runs, the views (canvas, panels, plots, maps) redraw at most this often: each redraw costs
# tens of milliseconds of painting, and the eye gains little past 10 Hz.
REDRAW_INTERVAL_MS = 100
# ...and never more often than leaves the GUI thread idle this many times as long as it was busy (a big
# network with every view showing costs 20-60 ms of painting a redraw, spread over several event-loop turns:
# at 10 Hz the window would have no time left for the user's clicks, the training process or other programs).
IDLE_PER_BUSY = 1
LOSS_PLOT_DELAY_MS = 40
MAPS_SETTINGS_KEY = "view/neuron_maps_in_circles"
UNPLACED_NOTE = "The points are not drawn: the inputs are features of x1 and x2, not x1 and x2 themselves."
MAX_REDRAW_INTERVAL_MS = 500


def split_for_training(
    dataset: Dataset, test_fraction: float, seed: int | None
) -> tuple[Dataset, Dataset | None]:
    """(training rows, test rows or None), as training splits them."""
    if test_fraction > 0 and len(dataset) >= 2:
        return dataset.split(test_fraction, seed)
    return dataset, None


def training_data(train: Dataset, test: Dataset | None, scaler) -> TrainingData:
    """The split data with the features scaled as the network sees them."""

    def scaled(x: np.ndarray) -> np.ndarray:
        return x if scaler is None else scaler.transform(x)

    return TrainingData(
        scaled(train.x), train.y, train.task,
        None if test is None else scaled(test.x), None if test is None else test.y,
    )  # fmt: skip


class TrainingUI(QObject):
    """Owns the controller and the training views of one main window."""

    #: the timeline and the Runs dock, made by install_training_ui once this exists (they are handed it)
    timeline: TimelineUI
    runs_ui: RunsUI

    def __init__(self, window: QMainWindow, session, canvas: NetworkCanvas) -> None:
        super().__init__(window)
        self.window, self.session, self.canvas = window, session, canvas
        self.controller = TrainingController(self)
        self.runs = RunLog(session, self)  # fed by the history recorder, which counts the epochs
        self.panel = TrainingPanel(self.controller)
        self.loss_plot = LossPlot()
        self.decision_map = DecisionMap()
        self.neuron_maps = NeuronMaps()
        self._config = TrainingConfig()  # the settings the trainer has
        self.data: TrainingData | None = None
        self.plane: PlaneView | None = None  # the data's (x1, x2) plane, when it has one
        self.maps_action = QAction("Output &maps in neurons", window)
        self.maps_action.setCheckable(True)
        self.maps_action.setChecked(bool(QSettings().value(MAPS_SETTINGS_KEY, True, type=bool)))
        self.maps_action.setStatusTip("Draw each neuron's output over the data's plane inside its circle")
        self.maps_action.toggled.connect(self._on_maps_toggled)
        self._data_key: tuple | None = None  # what `data` was made from
        self._synced: list[np.ndarray] = []  # the parameters as the worker last reported them
        self._applying = False
        self._pending: Snapshot | None = None  # the newest snapshot not yet drawn (older ones are dropped)
        self._loaded_at: float = 0  # the controller's count of commands sent when the shown network loaded
        self._redraw_timer = _single_shot(self, self._apply_pending, REDRAW_INTERVAL_MS)
        self._pace_mark = (0.0, 0.0)  # (wall, GUI-thread CPU) seconds at the previous redraw
        self._loss_timer = _single_shot(self, lambda: self._draw(self.loss_plot))
        # The maps follow the user's edits at most this often too (a drag sends dozens a second).
        self._maps_timer = _single_shot(self, self.show_maps, REDRAW_INTERVAL_MS)
        self._maps_next_turn = _single_shot(self, self.show_maps)
        self._canvas_later = PaintLater(self.canvas)
        self._stale: set = set()  # views skipped while they could not be seen (nnviz.app.window.visibility)
        self.docks = self._add_docks()
        for view in (self.loss_plot, self.decision_map, self.neuron_maps):
            ComingIntoView(view, partial(self._catch_up, view))
        self._add_toolbar()
        self.controller.snapshot_ready.connect(self._on_snapshot)
        self.controller.shown = session.shown
        session.trace_changed.connect(self._follow_shown)
        self.controller.failed.connect(self._on_failed)
        self.controller.lost.connect(self.reload)  # a new process starts from the parameters shown
        self.panel.config_edited.connect(self._on_settings_edited)
        # An edit of the weights: offered with the edits (the Edit menu) too, and never beside Play.
        self.reinitialise_action = QAction(icon("reinitialise"), REINITIALISE, window)
        self.reinitialise_action.setStatusTip(REINITIALISE_TIP)
        self.reinitialise_action.setToolTip(REINITIALISE_TIP)
        separator = QAction(window)  # in the Training menu, set apart from the step actions too
        separator.setSeparator(True)
        self.menu_actions += [separator, self.reinitialise_action]
        self.reinitialise_action.triggered.connect(self.reinitialise)
        self.panel.reinitialise.clicked.connect(self.reinitialise)
        session.training_changed.connect(self._on_training_changed)
        session.network_changed.connect(self.reload)
        session.parameters_changed.connect(self._on_parameters_changed)
        session.parameters_changed.connect(self._follow_activations)
        self.reload()

    def _add_docks(self) -> list[QDockWidget]:
        w = self.window
        docks = []
        for title, widget, area in (
            ("Training", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea),
            ("Loss", self.loss_plot, Qt.DockWidgetArea.BottomDockWidgetArea),
            ("Decision map", self.decision_map, Qt.DockWidgetArea.RightDockWidgetArea),
            ("Neuron maps", self.neuron_maps, Qt.DockWidgetArea.RightDockWidgetArea),
        ):
            dock = QDockWidget(title, w)
            dock.setObjectName(title.replace(" ", "_").lower())
            dock.setWidget(widget)
            w.addDockWidget(area, dock)
            docks.append(dock)
        return docks

    def _add_toolbar(self) -> None:
        """Every training action once, with its key: the toolbar shows them, the window's Training menu lists
        them (`menu_actions`)."""
        w, c = self.window, self.controller
        self.play_pause_action = QAction(icon("play"), "&Play / pause training", w)
        self.play_pause_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.step_batch_action = QAction(icon("batch"), "Step one &batch", w)
        self.step_epoch_action = QAction(icon("epoch"), "Step one &epoch", w)
        for action, short, tip, slot in (
            (self.play_pause_action, "Train", "Start or pause training", c.toggle),
            (self.step_batch_action, "Batch", "Train on one minibatch", c.step_batch),
            (self.step_epoch_action, "Epoch", "Train for one epoch", c.step_epoch),
        ):
            action.setIconText(short)
            action.setStatusTip(tip)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})" if keys else tip)
            action.triggered.connect(slot)
        self.menu_actions = [self.play_pause_action, self.step_batch_action, self.step_epoch_action]
        bar = QToolBar("Training", w)
        bar.setObjectName("training_toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addActions(self.menu_actions)
        w.addToolBar(bar)

    # -- the document -------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Hand the worker a copy of the session's network and data (paused); clear the curves."""
        s = self.session
        config, fraction = s.training_config, self.test_fraction
        self._config = config
        self.panel.set_config(config, fraction)
        self.loss_plot.clear()
        self._pending = None
        self._last_edit = 0  # the controller's count of commands sent when the user's last edit went
        shared = s.network.shared()  # the values the trainer gets, which no edit changes (edits copy)
        self._synced = shared.weights + shared.biases
        self._activations = list(s.network.activations)
        if s.dataset is None:
            self.data = self._data_key = None
            self._unload()
            self.panel.setEnabled(False)
            self.panel.message.setText("This project has no dataset to train on.")
            return
        self.panel.setEnabled(True)
        self.panel.message.setText("")
        # The same split is reused while the data, scaling, fraction and seed stay: the training process
        # then keeps its copy instead of being sent the whole data set again after every architecture edit.
        key = (s.dataset, s.project.scaler, fraction, config.seed)
        try:
            if self.data is None or not _same(key, self._data_key):
                train, test = split_for_training(s.dataset, fraction, config.seed)
                self.data, self._data_key = training_data(train, test, s.project.scaler), key
                self.plane = plane_view(train, test, s.project.scaler, s.network.sizes[0])
        except DatasetError as exc:
            self.data = None
            self._unload()
            self.panel.message.setText(str(exc))
            return
        d = self.data
        self.loss_plot.set_task(d.task)
        self._show_plane(d, s.dataset.class_names)
        self.show_maps()
        self.controller.load(s.project.network, config, d)  # not a checkpoint being viewed
        self._loaded_at = self._last_edit = self.controller.commands_sent
        self.controller.warm_up()

    def _show_plane(self, d: TrainingData, class_names) -> None:
        """The data on its (x1, x2) plane in the maps (with feature transforms computed per pixel), and the
        canvas's per-neuron maps over the same plane."""
        plane = self.plane
        if plane is None:
            self.decision_map.set_data(d.x, d.y, d.task, d.x_test, d.y_test, class_names)
            self.neuron_maps.set_plane(self.decision_map.bounds)
        else:
            self.decision_map.set_data(
                plane.train, d.y, d.task, plane.test, d.y_test, class_names, plane.to_inputs, plane.bounds
            )
            self.neuron_maps.set_plane(plane.bounds, plane.to_inputs)
            if plane.train is None:
                self.decision_map.sample_note = UNPLACED_NOTE
        self._show_canvas_maps()

    def _show_canvas_maps(self) -> None:
        """The canvas's per-neuron maps: on with the toggle, for data spread over a plane (one sample, as in
        the classic walk-through, is about its values, which the plain fills show)."""
        plane, data = self.plane, self.session.dataset
        on = self.maps_action.isChecked() and data is not None and len(data) > 1
        self.canvas.set_plane_inputs(plane.grid_inputs(MAP_RESOLUTION) if on and plane is not None else None)

    def _on_maps_toggled(self, checked: bool) -> None:
        QSettings().setValue(MAPS_SETTINGS_KEY, checked)
        self._show_canvas_maps()

    def _unload(self) -> None:
        """Nothing to train: the previous project's run, if any, stops and every snapshot still to come of
        it is stale."""
        self.controller.pause()
        self._loaded_at = math.inf
        self.plane = None
        self.canvas.set_plane_inputs(None)

    def show_maps(self) -> None:
        """Recolour the decision map and neuron maps for the network shown."""
        for view in (self.decision_map, self.neuron_maps):
            self._draw(view)

    def _draw(self, view) -> None:
        """Redraw `view` (the curves, or a map recoloured for the network) if it can be seen; else later."""
        if not on_screen(view):
            self._stale.add(view)
            return
        self._stale.discard(view)
        if view is self.loss_plot:
            view.redraw()
        else:
            view.set_network(self.session.network)

    def _catch_up(self, view) -> None:
        if view in self._stale:
            self._draw(view)

    @property
    def test_fraction(self) -> float:
        """The project's data split, or one chosen by the data's size until the user sets it."""
        s = self.session
        if s.test_fraction is not None:
            return s.test_fraction
        small = s.dataset is None or len(s.dataset) < MIN_SAMPLES_FOR_TEST_SPLIT
        return 0.0 if small else DEFAULT_TEST_FRACTION

    def reinitialise(self) -> None:
        """New random weights and biases (from the training seed, if set) as one undo step; training starts
        afresh on them (new counters and optimizer state) as on any new network."""
        s = self.session
        new = s.network.reinitialised(s.training_config.seed)
        s.undo_stack.push(ArchitectureCommand(s, new, "re-initialise weights"))

    def _on_settings_edited(self, changes: dict, gesture: object) -> None:
        """The user changed a setting in the panel: an undoable edit of the project."""
        try:
            self.session.edit_training(changes, gesture)
        except ConfigError as exc:
            self.panel.message.setText(str(exc))
            return
        self.panel.message.setText("")

    def _on_training_changed(self) -> None:
        """Settings changed (an edit, its undo or redo): the trainer gets them at its next minibatch; a new
        split of the data starts afresh."""
        s = self.session
        if s.dataset is not None and (self._data_key is None or self._data_key[2] != self.test_fraction):
            self.reload()
            return
        config = s.training_config
        self.panel.set_config(config, self.test_fraction)
        changes = {k: v for k, v in config.to_json().items() if getattr(self._config, k) != v}
        self._config = config
        if changes and self.data is not None:
            self.controller.set_config(**changes)

    # -- from the worker ----------------------------------------------------------------------------------
    def is_stale(self, snap: Snapshot) -> bool:
        """Whether `snap` was taken before the network shown was loaded: of another project or shape (it was
        in flight when a file was opened), its weights and epochs belong to no one now."""
        return snap.commands_applied < self._loaded_at

    def _on_snapshot(self, snap: Snapshot) -> None:
        """Keep the newest snapshot; draw it at once when training stopped, else at most every 100 ms."""
        if self.is_stale(snap):
            return
        self.loss_plot.add_snapshot(snap, redraw=not snap.running)
        self._pending = snap
        if not snap.running:
            self._redraw_timer.stop()
            self._apply_pending()
        elif not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _apply_pending(self) -> None:
        snap, self._pending = self._pending, None
        if snap is None:
            return
        self._pace()
        # The curves are painted in a later event-loop turn than the canvas (see LivePlot.DRAW_DELAY_MS).
        self._loss_timer.start(LOSS_PLOT_DELAY_MS if snap.running else 0)
        net = self.session.network
        if [a.shape for a in snap.weights + snap.biases] != [a.shape for a in net.weights + net.biases]:
            return  # a snapshot of the previous network, overtaken by a new one
        if snap.commands_applied < self._last_edit:
            return  # taken before the user's latest edit reached the trainer: it would undo it for a moment
        self._synced = snap.weights + snap.biases
        if snap.running:
            self._canvas_later.hold()
        self._applying = True
        try:
            changed = self.session.apply_parameters(snap.weights, snap.biases, snap.shown_trace)
        finally:
            self._applying = False
        if not changed:  # it echoes the values shown (a paused trainer after an edit): all drawn already
            return
        if snap.running:  # in a turn of their own, after the paint of the rest: no long turn holds the loop
            self._maps_next_turn.start()
        else:
            self.show_maps()

    def _pace(self) -> None:
        """Space the next redraw by the GUI thread's CPU time since the previous one: that redraw's work and
        paints in every event-loop turn they were spread over, and whatever else the window did meanwhile."""
        now, cpu = time.perf_counter(), time.thread_time()
        (then, cpu_then), self._pace_mark = self._pace_mark, (now, cpu)
        if now - then < 2 * MAX_REDRAW_INTERVAL_MS / 1000:  # else training was paused: nothing to go by
            self._redraw_timer.setInterval(redraw_interval_ms(cpu - cpu_then))

    def _on_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 15000)
        box = QMessageBox(QMessageBox.Icon.Warning, "Training paused", message, parent=self.window)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.message_box = box

    # -- to the worker ------------------------------------------------------------------------------------
    def _follow_shown(self) -> None:
        """Snapshots bring the forward pass of the sample shown now (made on the relay thread)."""
        self.controller.shown = self.session.shown

    def _follow_activations(self, *_change) -> None:
        """An activation edit keeps the network's shape, so it loads no new network by itself; the trainer
        must still compute with the activation shown (and refuse a step layer): it gets the network anew."""
        if not self._applying and self.session.network.activations != self._activations:
            self.reload()

    def _on_parameters_changed(self, change: ParameterChange) -> None:
        """Send the user's edit to the worker (the weight or bias it set, or whatever differs from the last
        snapshot when it may have changed everything), and redraw the maps for it soon."""
        if self._applying or self.session.viewed_epoch is not None:  # a checkpoint viewed is no edit
            return
        if self.data is not None and not self._maps_timer.isActive():
            self._maps_timer.start()
        net = self.session.network
        if [a.shape for a in net.weights + net.biases] != [a.shape for a in self._synced]:
            return
        # `_synced` stays as the last snapshot had it: a later comparison sends this value again, harmlessly.
        if change.kind == "weight":
            j, i = change.indices
            self.controller.set_weight(change.layer, j, i, change.new)
        elif change.kind == "bias":
            self.controller.set_bias(change.layer, change.indices[0], change.new)
        else:
            self._send_differences()
        self._last_edit = self.controller.commands_sent

    def _send_differences(self) -> None:
        """Every weight and bias that differs from the last snapshot, as edits, in order."""
        net = self.session.network
        current, n_w = net.weights + net.biases, len(net.weights)
        for index, *position in changed_positions(self._synced, current, net.n_parameters) or []:
            value = float(current[index][tuple(position)])
            if index < n_w:
                j, i = position
                self.controller.set_weight(index, j, i, value)
            else:
                self.controller.set_bias(index - n_w, position[0], value)
        shared = net.shared()
        self._synced = shared.weights + shared.biases

    def shutdown(self) -> None:
        self.controller.shutdown()


def _single_shot(parent: QObject, slot: Callable[[], None], interval_ms: int = 0) -> QTimer:
    """A timer kept and restarted, not QTimer.singleShot(ms, context, slot) per use: PySide6 6.11 leaks a weak
    reference with every such call."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer


def redraw_interval_ms(busy_seconds: float) -> int:
    """Milliseconds until the next redraw after one that kept the GUI thread busy for `busy_seconds`."""
    wanted = (1 + IDLE_PER_BUSY) * busy_seconds * 1000
    return int(min(MAX_REDRAW_INTERVAL_MS, max(REDRAW_INTERVAL_MS, wanted)))


def _same(key: tuple, other: tuple | None) -> bool:
    """Whether two (dataset, scaler, fraction, seed) keys match: the objects by identity (a dataset's
    arrays do not compare as one truth value)."""
    if other is None:
        return False
    (dataset, scaler, fraction, seed), (dataset2, scaler2, fraction2, seed2) = key, other
    return dataset is dataset2 and scaler is scaler2 and fraction == fraction2 and seed == seed2


def install_training_ui(window: QMainWindow, session, canvas: NetworkCanvas) -> TrainingUI:
    """Add the training docks and toolbar (and the timeline under the loss curves) to `window`; call
    `.shutdown()` on the result when it closes. `canvas` draws the output maps in the neurons."""
    ui = TrainingUI(window, session, canvas)
    ui.timeline = install_timeline(window, session, ui)
    ui.runs_ui = install_runs_ui(window, session, ui)
    return ui
