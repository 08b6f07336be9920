"""The data panel: start a project from a built-in dataset, and see what the current data holds.

Only the parameter defaults are offered for now (the CLI's `--param` sets others); the summary counts the
samples of each class so an unbalanced set is visible before training.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from nnviz.app.panels.data_preview import DataPreview
from nnviz.app.session import Session
from nnviz.core.datasets.base import Dataset
from nnviz.core.datasets.builtin import BUILTINS
from nnviz.core.datasets.projects import default_project


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
        self.use_button = QPushButton("New project from this dataset")
        self.use_button.clicked.connect(self.use_builtin)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.preview = DataPreview()
        self.paint_button = QPushButton("Paint your own data…")
        self.paint_button.clicked.connect(self.open_painter)
        self.painter = None
        form = QFormLayout()
        form.addRow("Built-in set", self.choice)
        form.addRow("Seed", self.seed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.description)
        layout.addWidget(self.use_button)
        layout.addWidget(QLabel("Current data:"))
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.paint_button)
        self.choice.currentTextChanged.connect(self._describe_choice)
        session.network_changed.connect(self.refresh)
        self._describe_choice(self.choice.currentText())
        self.refresh()

    def _describe_choice(self, name: str) -> None:
        self.description.setText(BUILTINS[name].description)

    def refresh(self) -> None:
        self.summary.setText(describe_data(self.session.dataset))
        self.preview.show_data(self.session.dataset)

    def open_painter(self) -> None:
        """The painter is its own window (it wants room); "Use as dataset" there replaces the document."""
        from nnviz.app.data_paint import DataPainter

        if self.painter is None:
            self.painter = DataPainter(self.session, confirm=self.confirm)
            self.painter.setWindowFlag(Qt.WindowType.Window)
            self.painter.setParent(self, self.painter.windowFlags())
            self.painter.resize(480, 560)
        self.painter.show()
        self.painter.raise_()

    def use_builtin(self) -> bool:
        """Replace the document by the chosen set's default project (network, training set-up, scaling)."""
        if not self.confirm():
            return False
        self.session.set_project(default_project(self.choice.currentText(), seed=self.seed.value()))
        return True
