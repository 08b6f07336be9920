"""Choose the sample: type the input values, step through the dataset, or draw an image input; and the
target that the loss and the backward pass compare the output with."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.panels.draw_pad import DrawPad
from nnviz.app.panels.value_editor import WideSpinBox
from nnviz.app.session import Session
from nnviz.core.feature_plane import feature_plane
from nnviz.core.number_input import read_float

#: inputs typed one spin box each up to this many; bigger inputs come from the dataset or the pad
MAX_SPIN_INPUTS = 16


def parse_target(text: str, n_outputs: int) -> np.ndarray | None:
    """`""` → None; `"3"` → a class index; `"0.01, 0.99"` → one value per output. Raises ValueError."""
    text = text.strip()
    if not text:
        return None
    try:
        values = [read_float(v) for v in text.replace(";", ",").split(",")]
    except ValueError:
        raise ValueError(f"target {text!r}: expected numbers separated by commas") from None
    if not np.isfinite(values).all():
        raise ValueError("target values must be finite")
    if len(values) == 1 and n_outputs > 1:
        if not values[0].is_integer() or not 0 <= values[0] < n_outputs:
            raise ValueError(f"a single target is a class index 0..{n_outputs - 1}")
        return np.asarray(int(values[0]))
    if len(values) != n_outputs:
        raise ValueError(
            f"the network has {n_outputs} outputs; give {n_outputs} target values or a class index"
        )
    return np.asarray(values)


class InputPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.spins: list[QDoubleSpinBox] = []
        self.pad: DrawPad | None = None
        self._editor_key: tuple | None = None  # (inputs, image shape, dataset) the editor was built for
        self.values = QWidget()
        self.sample_label = QLabel()
        self.prev_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.random_button = QPushButton("Random")
        self.prev_button.setToolTip("The previous dataset sample")
        self.next_button.setToolTip("The next dataset sample")
        self.random_button.setToolTip("A random dataset sample")
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("class index, or one value per output")
        self.target_edit.setToolTip(
            "The target the loss compares the output with; needed for the backward pass"
        )
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        nav = QHBoxLayout()
        for button in (self.prev_button, self.next_button, self.random_button):
            nav.addWidget(button)
        target_row = QFormLayout()
        target_row.addRow("target", self.target_edit)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.values, 1)
        self.layout_.addWidget(self.sample_label)
        self.layout_.addLayout(nav)
        self.layout_.addLayout(target_row)
        self.layout_.addWidget(self.error)
        self.layout_.addStretch(0)
        self._rng = np.random.default_rng()
        self.prev_button.clicked.connect(lambda: session.set_sample(session.sample_index - 1))
        self.next_button.clicked.connect(lambda: session.set_sample(session.sample_index + 1))
        self.random_button.clicked.connect(self._on_random)
        self.target_edit.editingFinished.connect(self._on_target_edited)
        session.network_changed.connect(self._rebuild)
        session.input_changed.connect(self._on_input_changed)
        self._rebuild()

    def _rebuild(self) -> None:
        """A new network: the right editor for its inputs (spin boxes, a drawing pad, or neither). A network
        with the same inputs and data (a hidden layer edited) keeps the editor: rebuilding the pad reads every
        sample for its scale and names the new controls, tens of milliseconds at 60,000 images."""
        s = self.session
        key = (s.network.sizes[0], s.image_shape, s.dataset)
        built = self._editor_key
        if built is not None and built[:2] == key[:2] and built[2] is key[2]:
            self._on_input_changed()
            return
        self._editor_key = key
        old = self.values
        self.values = QWidget()
        self.layout_.replaceWidget(old, self.values)
        old.deleteLater()
        self.layout_.setStretchFactor(self.values, 0)
        self.spins, self.pad = [], None
        n = self.session.network.sizes[0]
        shape = self.session.image_shape
        if shape is not None:
            data = self.session.dataset
            self.pad = DrawPad(shape, max(1.0, float(data.x.max())) if data is not None else 1.0)
            clear = QPushButton("Clear")
            clear.clicked.connect(self.pad.clear)
            box = QVBoxLayout(self.values)
            box.addWidget(self.pad, 1)
            box.addWidget(clear)
            self.pad.drawn.connect(self._on_drawn)
            self.layout_.setStretchFactor(self.values, 1)
        elif n <= MAX_SPIN_INPUTS:
            form = QFormLayout(self.values)
            names = self.session.dataset.feature_names if self.session.dataset else []
            for i in range(n):
                spin = WideSpinBox()  # a sample of 1e308 shows as 1e+308, not clamped to 1e6
                spin.setSingleStep(0.05)
                spin.setKeyboardTracking(False)
                spin.valueChanged.connect(lambda _value, i=i: self._on_spin_changed(i))
                form.addRow(names[i] if i < len(names) else f"x{i + 1}", spin)
                self.spins.append(spin)
        else:
            QVBoxLayout(self.values).addWidget(QLabel(f"{n} inputs: pick a dataset sample below."))
        has_data = self.session.dataset is not None
        for button in (self.prev_button, self.next_button, self.random_button):
            button.setEnabled(has_data)
        self._on_input_changed()

    def _on_input_changed(self) -> None:
        s = self.session
        for spin, v in zip(self.spins, s.input, strict=False):
            with QSignalBlocker(spin):
                spin.setValue(float(v))
        if self.pad is not None:
            self.pad.set_pixels(s.input)
        if s.dataset is not None:
            self.sample_label.setText(
                f"sample {s.sample_index + 1} of {len(s.dataset)} ({s.dataset.name or 'data'})"
            )
        else:
            self.sample_label.setText(s.data_note or "no dataset: type or draw the input")
        with QSignalBlocker(self.target_edit):
            t = s.target
            self.target_edit.setText("" if t is None else ", ".join(f"{v:g}" for v in np.atleast_1d(t)))

    def _on_spin_changed(self, index: int) -> None:
        """Input `index` was typed: features computed from it (x1², sin(x1), x1·x2 of x1) follow."""
        values = self.session.input.copy()  # the others as they are, not as rounded for display
        values[index] = self.spins[index].value()
        data = self.session.dataset
        plane = feature_plane(data.feature_names if data is not None else None, len(values))
        if plane is not None and plane.derived:
            values = plane.follow(values, index)
        self.session.set_input(values)

    def _on_drawn(self, pixels: np.ndarray) -> None:
        self.session.set_input(pixels)

    def _on_random(self) -> None:
        dataset = self.session.dataset
        assert dataset is not None, "the button is enabled only with a data set"
        self.session.set_sample(int(self._rng.integers(len(dataset))))

    def _on_target_edited(self) -> None:
        try:
            target = parse_target(self.target_edit.text(), self.session.network.sizes[-1])
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.session.set_target(target)
