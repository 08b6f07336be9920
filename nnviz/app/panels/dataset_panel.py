"""The data panel: choose a built-in dataset and its parameters, and see what the current data holds.

Each built-in set's parameters (sample count, noise, features, ...) get a control with the spec's range.
"New project" starts a document from the set's ready-to-train project; "Apply to this project" makes the
generated data the current project's (the network fitted to it) as one undo step. When the project's data
comes from a built-in set, the controls show its name, parameters and seed, so changing the noise is an edit
of the current data. The summary counts the samples of each class so an unbalanced set is visible before
training.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
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

from nnviz.app.edits.data import use_data
from nnviz.app.panels.data_preview import DataPreview
from nnviz.app.session import Session
from nnviz.core.dataset_ref import describe
from nnviz.core.datasets.base import Dataset, DatasetError
from nnviz.core.datasets.builtin import BUILTINS, Parameter, make_dataset, validate_parameters
from nnviz.core.datasets.projects import default_project
from nnviz.core.document import Project
from nnviz.core.scaling import Scaler

if TYPE_CHECKING:
    from nnviz.app.panels.data_painter import DataPainter

#: a parameter without a stated range still gets a finite control
_UNBOUNDED = 1e9


def describe_data(data: Dataset | None) -> str:
    """e.g. `spiral: 1000 samples, 2 features — class 0: 500, class 1: 500`."""
    if data is None:
        return "no data: the network runs on the input you type or draw"
    text = f"{data.name}: {len(data)} samples, {data.n_features} features, {data.task}"
    if data.task == "classification":
        counts = np.bincount(np.asarray(data.y, dtype=np.int64).reshape(-1))
        names = data.class_names or [str(i) for i in range(len(counts))]
        text += " — " + ", ".join(f"{names[i]}: {n}" for i, n in enumerate(counts))
    return text


class ParameterEditor(QWidget):
    """One control per parameter of a built-in set: whole numbers and numbers within the spec's range, a
    tick box per choice for a comma-separated choice list (the Playground's input features)."""

    def __init__(self, parameter: Parameter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parameter = parameter
        low = -_UNBOUNDED if parameter.minimum is None else parameter.minimum
        high = _UNBOUNDED if parameter.maximum is None else parameter.maximum
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        if isinstance(parameter.default, str):
            for choice in parameter.choices:
                self.boxes[choice] = QCheckBox(choice)
                layout.addWidget(self.boxes[choice])
            self.control: QSpinBox | QDoubleSpinBox | None = None
        else:
            if isinstance(parameter.default, int):
                self.control = QSpinBox()
                self.control.setRange(int(low), int(high))
            else:
                self.control = QDoubleSpinBox()
                self.control.setDecimals(3)
                self.control.setRange(low, high)
                self.control.setSingleStep(0.05 if high - low <= 1 else 0.5)
            layout.addWidget(self.control)
        self.setToolTip(parameter.description)
        self.set_value(parameter.default)

    def value(self) -> Any:
        if self.control is not None:
            return self.control.value()
        return ",".join(name for name, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Any) -> None:
        if self.control is not None:
            self.control.setValue(value)
            return
        chosen = {part.strip() for part in str(value).split(",")}
        for name, box in self.boxes.items():
            box.setChecked(name in chosen)


class DatasetPanel(QWidget):
    """`confirm()` is asked before the open document is replaced (the window's unsaved-changes question)."""

    def __init__(self, session: Session, confirm: Callable[[], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.confirm = session, confirm
        self.choice = QComboBox()
        for name, spec in BUILTINS.items():
            self.choice.addItem(name)
            self.choice.setItemData(self.choice.count() - 1, spec.description, Qt.ItemDataRole.ToolTipRole)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.parameters: dict[str, ParameterEditor] = {}
        self.use_button = QPushButton("New project")
        self.use_button.setToolTip("A new document: this set's ready-to-train network and data")
        self.use_button.clicked.connect(self.use_builtin)
        self.apply_button = QPushButton("Apply to this project")
        self.apply_button.setToolTip("Use this data in the current project (the network is fitted to it)")
        self.apply_button.clicked.connect(self.apply_builtin)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = DataPreview()
        self.paint_button = QPushButton("Paint your own data…")
        self.paint_button.clicked.connect(self.open_painter)
        self.painter: DataPainter | None = None
        self._project: Project | None = None  # the document the controls were last filled for
        self.form = QFormLayout()
        self.form.addRow("Built-in set", self.choice)
        self.form.addRow("Seed", self.seed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.description)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(QLabel("Current data:"))
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.paint_button)
        self.choice.currentTextChanged.connect(self._on_choice_changed)
        session.network_changed.connect(self.refresh)
        self._on_choice_changed(self.choice.currentText())
        self.refresh()

    def _on_choice_changed(self, name: str) -> None:
        """The chosen set's description and one control per parameter, at its defaults."""
        self.description.setText(BUILTINS[name].description)
        for editor in self.parameters.values():
            self.form.removeRow(editor)
        self.parameters = {p.name: ParameterEditor(p) for p in BUILTINS[name].parameters}
        for row, (key, editor) in enumerate(self.parameters.items()):
            self.form.insertRow(1 + row, key.capitalize(), editor)
        self.error.clear()

    def refresh(self) -> None:
        """Show the current data; when it is a built-in set, its name, parameters and seed in the controls."""
        self.summary.setText(describe_data(self.session.dataset))
        self.preview.show_data(self.session.dataset)
        new_document, self._project = self.session.project is not self._project, self.session.project
        ref = self.session.project.dataset
        if not isinstance(ref, dict) or ref.get("kind") != "builtin" or ref.get("name") not in BUILTINS:
            if new_document:  # the last document's choices are not this one's
                self.seed.setValue(0)
                with QSignalBlocker(self.choice):
                    self.choice.setCurrentIndex(0)
                self._on_choice_changed(self.choice.currentText())
            return
        with QSignalBlocker(self.choice):
            self.choice.setCurrentText(ref["name"])
            self._on_choice_changed(ref["name"])
        seed = ref.get("seed")
        self.seed.setValue(seed if isinstance(seed, int) and 0 <= seed < 2**31 else 0)
        parameters = ref.get("parameters")
        for key, value in (parameters if isinstance(parameters, dict) else {}).items():
            if key in self.parameters:
                try:
                    self.parameters[key].set_value(value)
                except TypeError:  # a hand-edited file's odd value: the control keeps the default
                    continue

    def chosen_parameters(self) -> dict[str, Any]:
        """The controls' values, checked against the spec (DatasetError names the one out of range)."""
        name = self.choice.currentText()
        return validate_parameters(name, {key: e.value() for key, e in self.parameters.items()})

    def open_painter(self) -> None:
        """The painter is its own window (it wants room); its "Use as dataset" is an undoable change."""
        from nnviz.app.panels.data_painter import DataPainter

        if self.painter is None:
            self.painter = DataPainter(self.session)
            self.painter.setWindowFlag(Qt.WindowType.Window)
            self.painter.setParent(self, self.painter.windowFlags())
            self.painter.resize(480, 560)
        self.painter.show()
        self.painter.raise_()

    def use_builtin(self) -> bool:
        """Replace the document by the chosen set's default project (network, training set-up, scaling),
        with the chosen parameters; it is unsaved work until saved."""
        try:
            values = self.chosen_parameters()
        except DatasetError as exc:
            self.error.setText(str(exc))
            return False
        if not self.confirm():
            return False
        try:
            project = default_project(self.choice.currentText(), seed=self.seed.value(), **values)
        except DatasetError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        self.session.set_project(project)
        self.session.undo_stack.resetClean()
        return True

    def apply_builtin(self) -> bool:
        """The chosen set, with these parameters and seed, becomes the current project's data: one undo step.
        Features are scaled as before (or as the set's default project scales them)."""
        name, seed = self.choice.currentText(), self.seed.value()
        try:
            values = self.chosen_parameters()
            data = make_dataset(name, seed=seed, **values)
        except DatasetError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        old = self.session.project.scaler
        method = old.method if old is not None else BUILTINS[name].network.normalize
        scaler = None if method == "none" else Scaler.fit(data.x, method)
        reference = {"kind": "builtin", "name": name, "seed": seed, "parameters": values} | describe(data)
        use_data(self.session, data, scaler, reference, f"use {name} data (seed {seed})")
        return True
