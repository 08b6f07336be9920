"""Step-through controls: the step actions as buttons, play/pause with a speed slider, and where we are."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.session import Session

SPEED_KEY = "stepper/speed"  # steps per second, a preference kept with QSettings
DEFAULT_SPEED = 4


class StepControls(QWidget):
    """Buttons for the window's step actions; `play` steps one neuron per tick of a timer."""

    def __init__(
        self, session: Session, actions: list[QAction], play: QAction, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.session = session
        self.play_action = play
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_tick)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 20)
        saved = QSettings().value(SPEED_KEY, DEFAULT_SPEED, type=int)
        self.speed.setValue(saved if isinstance(saved, int) else DEFAULT_SPEED)  # clamped to the range
        self.speed.setToolTip("Animation speed: steps per second (remembered)")
        self.speed.valueChanged.connect(self._on_speed_changed)
        self.position = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QGridLayout()  # two rows of three: the dock stays narrow on a small screen
        for n, action in enumerate([*actions, play]):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            buttons.addWidget(button, n // 3, n % 3)
        self.apply_update_action = QAction("Apply the update (w⁺ = w − η·∂E/∂w)", self)
        self.apply_update_action.setStatusTip(
            "Set the weights to the ones the walk-through computed: one undo step"
        )
        self.apply_update_action.triggered.connect(session.apply_update)
        apply_button = QToolButton()
        apply_button.setDefaultAction(self.apply_update_action)
        apply_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        buttons.addWidget(apply_button, (len(actions) + 1 + 2) // 3, 0, 1, 3)
        speed_row = QHBoxLayout()
        speed_row.addWidget(QLabel("speed"))
        speed_row.addWidget(self.speed, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(speed_row)
        layout.addWidget(self.position)
        layout.addWidget(self.note)
        play.toggled.connect(self._on_play_toggled)
        session.step_changed.connect(self._on_step_changed)
        self._on_speed_changed(self.speed.value())
        self._on_step_changed()

    def _on_speed_changed(self, steps_per_second: int) -> None:
        self.timer.setInterval(round(1000 / steps_per_second))
        QSettings().setValue(SPEED_KEY, steps_per_second)

    def _on_play_toggled(self, playing: bool) -> None:
        if playing and self.session.stepper.done:
            self.session.reset_steps()
        if playing:
            self.timer.start()
        else:
            self.timer.stop()

    def _on_tick(self) -> None:
        self.session.step_neuron()
        if self.session.stepper.done:
            self.play_action.setChecked(False)

    def _on_step_changed(self) -> None:
        stepper = self.session.stepper
        step = stepper.current
        where = "start" if step is None else f"{step.kind.replace('_', ' ')} step, layer {step.layer}"
        self.apply_update_action.setEnabled(self.session.update_ready)
        self.position.setText(f"step {stepper.position} of {len(stepper.steps)} — {where}")
        self.note.setText(
            self.session.step_note
            or (
                ""
                if self.session.target is not None
                else "Give a target (input panel) to step through the backward pass too."
            )
        )
