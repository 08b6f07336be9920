"""The training timeline under the loss curves: scrub back through a run's checkpoints, replay it, branch.

Moving the slider shows the chosen run's network at that checkpoint's epoch in every view (canvas, maps,
histograms, confusion matrix) through `Session.view_checkpoint`: read-only, marked by a banner over the canvas
("Viewing epoch N") with Back to now (Esc) and Train from here. Scrubbing pauses training, as scrubbing a
video pauses it; Play, a step or an undo returns to now first. Edits are refused while a checkpoint shows,
with a message saying how to get what was meant (see `Session`'s guarded stack).

Only runs whose parameter shapes are the network's can be shown (an older run of another architecture is
listed in the runs table, not here). Replay plays the checkpoints in order at a chosen speed.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.training.run_edits import BranchCommand
from nnviz.app.window.icons import icon
from nnviz.core.runs import Run, parameter_shapes, same_runs

#: replay speeds, checkpoints a second
SPEEDS = (1, 2, 5, 10, 20)
DEFAULT_SPEED = 5
BANNER_COLOURS = "background: #ffd66b; color: #1a1a1a; border: 1px solid #b8860b; border-radius: 4px;"
MARKER_COLOUR = "#e0a800"  # the epoch viewed, on the loss curves: the banner's amber


class TimelineBar(QWidget):
    """The controls: run, play/pause, speed, the slider over its checkpoints, and the epoch shown."""

    def __init__(self, play: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_box = QComboBox()
        self.run_box.setToolTip("The run the timeline travels through")
        # a long run name must not widen the loss dock past a small screen: the box shows its start
        self.run_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.run_box.setMinimumContentsLength(8)
        self.play = QToolButton()
        self.play.setDefaultAction(play)
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(f"{speed}/s", speed)
        self.speed.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.speed.setToolTip("Replay speed: checkpoints a second")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("Drag to see the network at an earlier epoch of the run (Esc: back to now)")
        self.slider.setPageStep(1)
        self.epoch = QLabel()
        self.epoch.setMinimumWidth(self.epoch.fontMetrics().horizontalAdvance("epoch 1000 / 1000"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 2)
        for widget, stretch in ((self.run_box, 0), (self.play, 0), (self.speed, 0), (self.slider, 1)):
            layout.addWidget(widget, stretch)
        layout.addWidget(self.epoch)


class ViewingBanner(QFrame):
    """Over the top of the canvas while a checkpoint is shown: which epoch, and the two ways on."""

    def __init__(self, canvas: QWidget, back: QAction, branch: QAction) -> None:
        super().__init__(canvas)
        self.setObjectName("viewing_banner")
        self.setStyleSheet(f"#viewing_banner {{ {BANNER_COLOURS} }} QLabel {{ color: #1a1a1a; }}")
        self.text = QLabel()
        font = self.text.font()
        font.setBold(True)
        self.text.setFont(font)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.text)
        for action in (back, branch):
            button = QPushButton(action.text().replace("&", ""))
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            layout.addWidget(button)
        canvas.installEventFilter(self)
        self.hide()

    def show_epoch(self, text: str) -> None:
        self.text.setText(text)
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        canvas = self.parentWidget()
        assert canvas is not None, "the banner lies over the canvas"
        self.move(max(0, (canvas.width() - self.width()) // 2), 8)


class TimelineUI(QObject):
    """Wires the timeline bar, the banner and the actions (Back to now, Train from here, replay) to the
    session, the training UI and its run log."""

    def __init__(self, window: Any, session: Any, training: Any) -> None:
        super().__init__(window)
        self.window, self.session, self.training, self.log = window, session, training, training.runs
        self.back_action = self._action("&Back to now", "Show the network as it is now, not a checkpoint")
        self.back_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.back_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.branch_action = self._action(
            "Train &from here", "Start a new run from the checkpoint shown (undoable)"
        )
        self.replay_action = self._action("&Replay run", "Play the run's checkpoints as an animation")
        self.replay_action.setIcon(icon("play"))
        self.replay_action.setIconText("Replay")
        self.replay_action.setCheckable(True)
        self.bar = TimelineBar(self.replay_action)
        self.banner = ViewingBanner(window.canvas, self.back_action, self.branch_action)
        self.shown: list[Run] = []  # the runs in the run box, in order
        self.marker = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(MARKER_COLOUR, width=2))
        self.marker.hide()
        training.loss_plot.loss_plot.addItem(self.marker, ignoreBounds=True)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._next_frame)
        self.back_action.triggered.connect(session.back_to_now)
        self.branch_action.triggered.connect(self.train_from_here)
        self.replay_action.toggled.connect(self._on_replay_toggled)
        self.bar.slider.valueChanged.connect(self.show_checkpoint)
        self.bar.run_box.activated.connect(lambda _: self._on_run_chosen())
        self.bar.speed.currentIndexChanged.connect(lambda _: self._set_speed())
        self.log.runs_changed.connect(self.refresh)
        session.network_changed.connect(self.refresh)
        session.viewing_changed.connect(self._on_viewing_changed)
        session.edit_refused.connect(self._on_edit_refused)
        # Training goes on from now, shown as it goes (toolbar, menu or the panel's buttons).
        panel = training.panel
        for action in (training.play_pause_action, training.step_batch_action, training.step_epoch_action):
            action.triggered.connect(session.back_to_now)
        for button in (panel.play, panel.step_batch, panel.step_epoch):
            button.clicked.connect(session.back_to_now)
        self._set_speed()
        self.refresh()
        self.back_action.setEnabled(False)

    def _action(self, text: str, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        return action

    @property
    def run(self) -> Run | None:
        index = self.bar.run_box.currentIndex()
        return self.shown[index] if 0 <= index < len(self.shown) else None

    # -- the runs -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """List the runs that fit the network; keep the one chosen (else the newest); the slider follows."""
        current = self.run
        shapes = parameter_shapes(self.session.project.network)
        shown = [r for r in self.session.project.runs if r.shapes == shapes and r.checkpoints]
        box = self.bar.run_box
        # every training snapshot grows a run: the box is rebuilt only when the runs or their names change
        names = [box.itemText(i) for i in range(box.count())]
        if not same_runs(shown, self.shown) or names != [r.name for r in shown] or current is None:
            self.shown = shown
            box.blockSignals(True)
            box.clear()
            box.addItems([r.name for r in shown])
            keep = next((i for i, r in enumerate(shown) if r is current), len(shown) - 1)
            box.setCurrentIndex(keep)
            box.blockSignals(False)
        if self.session.viewed_epoch is not None and self.run is not current:
            self.session.back_to_now()  # the run viewed is gone (deleted, undone, another file)
        self._update_slider()

    def _on_run_chosen(self) -> None:
        self.session.back_to_now()
        self._update_slider()

    def _update_slider(self) -> None:
        run, slider = self.run, self.bar.slider
        count = len(run.checkpoints) if run is not None else 0
        for widget in (self.bar, self.replay_action, self.branch_action):
            widget.setEnabled(count > 0)
        slider.blockSignals(True)
        slider.setRange(0, max(0, count - 1))
        if self.session.viewed_epoch is None:
            slider.setValue(slider.maximum())
        slider.blockSignals(False)
        self._label()

    def _label(self) -> None:
        run, index = self.run, self.bar.slider.value()
        if run is None:
            self.bar.epoch.setText("no runs yet")
            return
        last = run.checkpoints[-1].epoch
        if self.session.viewed_epoch is None:
            self.bar.epoch.setText(f"now · epoch {last}")
        else:
            self.bar.epoch.setText(f"epoch {run.checkpoints[index].epoch} / {last}")

    # -- scrubbing ----------------------------------------------------------------------------------------
    def show_checkpoint(self, index: int) -> None:
        """Show checkpoint `index` of the chosen run in every view (training pauses)."""
        run = self.run
        if run is None or not 0 <= index < len(run.checkpoints):
            return
        self.training.controller.pause()
        network = run.network_at(index, self.session.project.network.dtype)
        self.session.view_checkpoint(network, run.checkpoints[index].epoch)

    def _on_viewing_changed(self, epoch: int | None) -> None:
        self.training.show_maps()  # the maps draw the network shown: the checkpoint, or now's
        self.back_action.setEnabled(epoch is not None)  # Esc is the app's own key otherwise
        plot = self.training.loss_plot
        # on the curves' own epochs only: not on the step axis, nor on runs compared epoch by epoch
        on_epochs = plot.x_axis.currentText() == "epoch" and plot.curves["train"].isVisible()
        self.marker.setVisible(epoch is not None and on_epochs)
        if epoch is None:
            self.banner.hide()
            self.replay_action.setChecked(False)
            self._update_slider()
            return
        self.marker.setPos(epoch)
        run = self.run
        assert run is not None, "a checkpoint is viewed from the run chosen"
        self.banner.show_epoch(f"Viewing epoch {epoch} of {run.name} (read-only)")
        self._label()

    def _on_edit_refused(self, message: str) -> None:
        self.window.statusBar().showMessage(message, 8000)

    # -- replay -------------------------------------------------------------------------------------------
    def _set_speed(self) -> None:
        self._timer.setInterval(round(1000 / self.bar.speed.currentData()))

    def _on_replay_toggled(self, playing: bool) -> None:
        if not playing:
            self._timer.stop()
            return
        slider = self.bar.slider
        if self.session.viewed_epoch is None or slider.value() == slider.maximum():
            self.show_checkpoint(0)  # from the start
            slider.blockSignals(True)
            slider.setValue(0)
            slider.blockSignals(False)
            self._label()
        self._timer.start()

    def _next_frame(self) -> None:
        slider = self.bar.slider
        if slider.value() >= slider.maximum():
            self.replay_action.setChecked(False)  # stays on the last checkpoint
            return
        slider.setValue(slider.value() + 1)

    # -- branching ----------------------------------------------------------------------------------------
    def train_from_here(self) -> None:
        """A new run from the checkpoint shown, as one undo step, and training starts."""
        run, epoch = self.run, self.session.viewed_epoch
        if run is None or epoch is None:
            return
        network = self.session.network.copy()
        self.session.back_to_now()
        command = BranchCommand(self.session, self.log, network, {"run": run.name, "epoch": epoch})
        self.session.undo_stack.push(command)
        self.training.controller.start()


def install_timeline(window: Any, session: Any, training: Any) -> TimelineUI:
    """Put the timeline under the loss curves (in the Loss dock), the banner over the canvas, and the
    actions in the Training menu."""
    timeline = TimelineUI(window, session, training)
    plot = training.loss_plot
    dock = next(d for d in training.docks if d.widget() is plot)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(plot, 1)
    layout.addWidget(timeline.bar)
    dock.setWidget(holder)
    separator = QAction(window)
    separator.setSeparator(True)
    training.menu_actions += [separator, timeline.replay_action, timeline.back_action, timeline.branch_action]
    window.addAction(timeline.back_action)  # Esc works wherever the focus is in the window
    return timeline
