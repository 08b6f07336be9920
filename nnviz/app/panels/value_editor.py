"""A slider and a spin box bound to one number, reporting edits with a gesture token for undo merging."""

from __future__ import annotations

import math
import sys

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget

from nnviz.core.number_input import read_float

_TICKS = 1000
_PLAIN_BELOW = 1e9  # magnitudes from here on are written 1.5e+12, not as a row of digits
_MAX_LIMIT = sys.float_info.max / 2  # the slider's reach: twice it still fits a float


class WideSpinBox(QDoubleSpinBox):
    """A spin box for any finite number, so a weight of 1e308 (typed in the layer table, or kept from a
    diverging run) shows as what it is rather than clamped: 4 decimals for ordinary values, `1e+308` for
    huge ones, and any finite number Python reads (`2.5e12`) accepted when typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(-sys.float_info.max, sys.float_info.max)
        self.setDecimals(4)

    def textFromValue(self, value: float) -> str:
        return super().textFromValue(value) if abs(value) < _PLAIN_BELOW else f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        value = _finite_float(text)
        return super().valueFromText(text) if value is None else value

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if _finite_float(text) is not None:
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)


def _finite_float(text: str) -> float | None:
    try:
        value = read_float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class ValueEditor(QWidget):
    """Edits one value. `edited(value, gesture)`: `gesture` is one object for all moves of a slider drag
    (so the drag becomes one undo step) and None for a typed value or a keyboard step."""

    edited = Signal(float, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(-_TICKS, _TICKS)
        self.spin = WideSpinBox()
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
        self._limit = max(2.0, math.ceil(2 * abs(value))) if abs(value) < _MAX_LIMIT / 2 else _MAX_LIMIT
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
