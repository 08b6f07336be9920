"""The training controls: play/pause (Space), step a minibatch or an epoch; hyper-parameters; re-initialise
the weights (an edit, set apart from the step buttons); counters. The step buttons talk to the
`TrainingController`; a changed setting is announced (`config_edited`) to become an undoable edit of the
project, which reaches the trainer from there; the panel holds no training state of its own.

Widgets are written back from a config with their signals blocked, so showing a value never echoes it
back as an edit (napari's pattern).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.panels.pace import PaceBox
from nnviz.app.training.controller import MAX_BATCH_SIZE, Snapshot, TrainingController
from nnviz.core.losses import LOSSES
from nnviz.core.optimizers import OPTIMIZERS
from nnviz.core.training import TrainingConfig

REGULARISATION = ("none", "L1", "L2")
REINITIALISE = "Re-initialise weights"
REINITIALISE_TIP = (
    "Replace every weight and bias with new random ones (from the training seed, if set) and start training "
    "afresh; Undo brings the old ones back"
)
# Training takes any positive rate; the field needs bounds, wide enough to show divergence (typing 50 must
# give 50, not the 5 a maximum of 10 left of it).
MIN_LEARNING_RATE, MAX_LEARNING_RATE = 1e-6, 1000.0


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


def _spin(low: float, high: float, decimals: int, tip: str = "") -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setToolTip(tip)
    box.setRange(low, high)
    box.setDecimals(decimals)
    box.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    box.setKeyboardTracking(False)  # one edit per finished number, not one per keystroke
    return box


class TrainingPanel(QWidget):
    """Buttons, hyper-parameters and counters of the background training."""

    #: payload: the settings the user changed (TrainingConfig field names, and `test_fraction`: the share of
    #: samples held out for testing), and a gesture token shared by the edits of one spin-box drag.
    config_edited = Signal(dict, object)

    def __init__(self, controller: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.play = _button("Play", "Start or pause training (Space)")
        self.step_batch = QPushButton("Step batch")
        self.step_epoch = QPushButton("Step epoch")
        self.step_buttons = QHBoxLayout()
        for button in (self.play, self.step_batch, self.step_epoch):
            self.step_buttons.addWidget(button)
        # Below the settings, not beside the step buttons: it throws the weights away (one undo step).
        self.reinitialise = _button(REINITIALISE, REINITIALISE_TIP)

        self.learning_rate = _spin(
            MIN_LEARNING_RATE, MAX_LEARNING_RATE, 6,
            f"Step size of each update, {MIN_LEARNING_RATE:g} to {MAX_LEARNING_RATE:g} "
            "(large rates make training diverge, which is worth seeing once)",
        )  # fmt: skip
        self.batch_size = QSpinBox()
        self.batch_size.setRange(1, MAX_BATCH_SIZE)
        self.batch_size.setKeyboardTracking(False)
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.loss = QComboBox()
        self.loss.addItems(list(LOSSES))
        self.regularisation = QComboBox()
        self.regularisation.addItems(REGULARISATION)
        self.regularisation_rate = _spin(0.0, 1.0, 6)
        self.test_fraction = _spin(0.0, 0.9, 2)
        self.test_fraction.setSingleStep(0.05)
        form = QFormLayout()
        form.addRow("learning rate", self.learning_rate)
        form.addRow("batch size", self.batch_size)
        form.addRow("optimizer", self.optimizer)
        form.addRow("loss", self.loss)
        regularisation = QHBoxLayout()
        regularisation.addWidget(self.regularisation)
        regularisation.addWidget(self.regularisation_rate)
        form.addRow("regularisation", regularisation)
        form.addRow("test fraction", self.test_fraction)
        self.pace = self._pace_row(form, controller)
        form.addRow("", self.reinitialise)

        self.epoch_label = QLabel("epoch 0")
        self.step_label = QLabel("step 0")
        self.rate_label = QLabel("— samples/s")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        counters = QHBoxLayout()
        for label in (self.epoch_label, self.step_label, self.rate_label):
            counters.addWidget(label)
        layout = QVBoxLayout(self)
        layout.addLayout(self.step_buttons)
        layout.addLayout(form)
        layout.addLayout(counters)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self._gesture: object | None = None
        self._connect(controller)
        self.set_config(TrainingConfig())

    @staticmethod
    def _pace_row(form: QFormLayout, controller: TrainingController) -> PaceBox:
        box = PaceBox(controller)
        form.addRow("pace", box)
        return box

    def _connect(self, controller: TrainingController) -> None:
        self.play.clicked.connect(controller.toggle)
        self.step_batch.clicked.connect(controller.step_batch)
        self.step_epoch.clicked.connect(controller.step_epoch)
        self.learning_rate.valueChanged.connect(lambda v: self._edit(True, learning_rate=v))
        self.batch_size.valueChanged.connect(lambda v: self._edit(True, batch_size=v))
        self.optimizer.currentTextChanged.connect(lambda v: self._edit(False, optimizer=v))
        self.loss.currentTextChanged.connect(lambda v: self._edit(False, loss=v))
        self.regularisation.currentTextChanged.connect(lambda _: self._on_regularisation_changed(False))
        self.regularisation_rate.valueChanged.connect(lambda _: self._on_regularisation_changed(True))
        self.test_fraction.valueChanged.connect(lambda v: self._edit(True, test_fraction=v))
        for box in (self.learning_rate, self.batch_size, self.regularisation_rate, self.test_fraction):
            box.editingFinished.connect(self._end_gesture)  # Enter or leaving the box ends a drag
        controller.running_changed.connect(self._on_running_changed)
        controller.snapshot_ready.connect(self._on_snapshot)
        controller.failed.connect(self.message.setText)

    def set_config(self, config: TrainingConfig, test_fraction: float | None = None) -> None:
        """Show `config` without sending anything back."""
        widgets = (self.learning_rate, self.batch_size, self.optimizer, self.loss, self.regularisation,
                   self.regularisation_rate, self.test_fraction)  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        self.learning_rate.setValue(config.learning_rate)
        self.batch_size.setValue(min(config.batch_size, MAX_BATCH_SIZE))
        self.optimizer.setCurrentText(config.optimizer)
        self.loss.setCurrentText(config.loss)
        kind = "L1" if config.l1 else "L2" if config.l2 else "none"
        self.regularisation.setCurrentText(kind)
        self.regularisation_rate.setValue(config.l1 or config.l2)
        if test_fraction is not None:
            self.test_fraction.setValue(test_fraction)
        for w in widgets:
            w.blockSignals(False)

    def _on_regularisation_changed(self, spin: bool) -> None:
        kind, rate = self.regularisation.currentText(), self.regularisation_rate.value()
        self._edit(spin, l1=rate if kind == "L1" else 0.0, l2=rate if kind == "L2" else 0.0)

    def _edit(self, spin: bool, **changes: Any) -> None:
        """Announce an edit; the steps of one spin box (arrows held, the wheel) share a gesture token."""
        if spin and self._gesture is None:
            self._gesture = object()
        self.config_edited.emit(changes, self._gesture if spin else None)

    def _end_gesture(self) -> None:
        self._gesture = None

    def _on_running_changed(self, running: bool) -> None:
        self.play.setText("Pause" if running else "Play")
        if running:
            self.message.setText("")

    def _on_snapshot(self, snap: Snapshot) -> None:
        self.epoch_label.setText(f"epoch {snap.epoch}")
        self.step_label.setText(f"step {snap.step}")
        if snap.running and snap.samples_per_second:
            self.rate_label.setText(f"{snap.samples_per_second:,.0f} samples/s")
