"""A slider and a spin box bound to one number, reporting edits with a gesture token for undo merging."""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget

_TICKS = 1000


class ValueEditor(QWidget):
    """Edits one value. `edited(value, gesture)`: `gesture` is one object for all moves of a slider drag
    (so the drag becomes one undo step) and None for a typed value or a keyboard step."""

    edited = Signal(float, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(-_TICKS, _TICKS)
        self.spin = QDoubleSpinBox()
        self.spin.setRange(-1e6, 1e6)
        self.spin.setDecimals(4)
        self.spin.setSingleStep(0.05)
        self.spin.setKeyboardTracking(False)  # one edit per Enter, not one per keystroke
        self._limit = 1.0
        self._gesture: object = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.slider.sliderPressed.connect(self._on_slider_pressed)
        self.slider.sliderReleased.connect(self._on_slider_released)
        self.slider.valueChanged.connect(self._on_slider_moved)
        self.spin.valueChanged.connect(self._on_spin_changed)

    def reset(self, value: float) -> None:
        """Show `value` and choose a slider range around it (a new thing is being edited)."""
        self._limit = max(2.0, math.ceil(2 * abs(value)))
        self.show_value(value)

    def show_value(self, value: float) -> None:
        """Display `value` without emitting anything (the model changed; nothing must echo back)."""
        with QSignalBlocker(self.slider), QSignalBlocker(self.spin):
            self.spin.setValue(value)
            if not self.slider.isSliderDown():
                self.slider.setValue(round(max(-1.0, min(1.0, value / self._limit)) * _TICKS))

    def value(self) -> float:
        return self.spin.value()

    def _on_slider_pressed(self) -> None:
        self._gesture = object()

    def _on_slider_released(self) -> None:
        self._gesture = None

    def _on_slider_moved(self, ticks: int) -> None:
        value = ticks / _TICKS * self._limit
        with QSignalBlocker(self.spin):
            self.spin.setValue(value)
        self.edited.emit(value, self._gesture)

    def _on_spin_changed(self, value: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(max(-1.0, min(1.0, value / self._limit)) * _TICKS))
        self.edited.emit(value, None)
