"""The inspector: edit what is selected on the canvas — an edge's weight, a neuron's bias and activation,
a layer's weight matrix and bias vector. Every change goes through the Session's undoable edits; the
panel redraws from the Session and writes its widgets back with signals blocked, so nothing echoes."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.panels.math_text import num, selection_name
from nnviz.app.panels.value_editor import ValueEditor
from nnviz.app.session import Session
from nnviz.core.activations import KINDS, MAX_PIECES
from nnviz.core.names import Names
from nnviz.core.number_input import read_float

#: the largest weight table shown cell by cell; wider layers (784 inputs) show their first columns
MAX_TABLE_COLUMNS = 64
_POSITIVE, _NEGATIVE = QColor(70, 130, 220), QColor(240, 140, 40)


def weight_colour(value: float, scale: float) -> QColor:
    """Blue for positive, orange for negative (TensorFlow Playground's convention), paler when small."""
    t = min(1.0, abs(value) / scale) if scale > 0 else 0.0
    base = _POSITIVE if value >= 0 else _NEGATIVE
    white = 255 * (1 - 0.7 * t)
    return QColor(*(round(white + c * 0.7 * t) for c in (base.red(), base.green(), base.blue())))


class Inspector(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.pages = QStackedWidget()
        self.empty = QLabel("Click a neuron, an edge or a layer on the canvas to inspect and edit it.")
        self.empty.setWordWrap(True)
        self.pages.addWidget(self.empty)
        self._build_edge_page()
        self._build_neuron_page()
        self._build_layer_page()
        self.error = QLabel()  # a refused edit says why here, without a modal dialog in the way
        self.error.setStyleSheet("color: #c0392b")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        session.selection_changed.connect(self._on_selection_changed)
        session.parameters_changed.connect(self._on_parameters_changed)
        session.trace_changed.connect(self._on_parameters_changed)
        session.network_changed.connect(self._on_selection_changed)
        session.naming_changed.connect(self._on_parameters_changed)
        self._on_selection_changed()

    # -- pages -------------------------------------------------------------------------------------------
    def _build_edge_page(self) -> None:
        self.edge_page = QWidget()
        form = QFormLayout(self.edge_page)
        self.weight_editor = ValueEditor()
        self.weight_editor.setToolTip("The edge's weight: the slope of the target's sum in this input")
        self.edge_info = QLabel()
        form.addRow("weight", self.weight_editor)
        form.addRow(self.edge_info)
        self.weight_editor.edited.connect(self._on_weight_edited)
        self.pages.addWidget(self.edge_page)

    def _build_neuron_page(self) -> None:
        self.neuron_page = QWidget()
        form = QFormLayout(self.neuron_page)
        self.bias_editor = ValueEditor()
        self.bias_editor.setToolTip("The bias: how high the weighted sum must be before the neuron is active")
        self.activation_box = QComboBox()
        self.activation_box.setToolTip("The activation function of this neuron's whole layer")
        self.param_label = QLabel()
        self.param_spin = QDoubleSpinBox()
        self.param_spin.setRange(0.001, 1000.0)
        self.param_spin.setDecimals(3)
        self.param_spin.setSingleStep(0.1)
        self.param_spin.setKeyboardTracking(False)
        self.neuron_info = QLabel()
        form.addRow("bias", self.bias_editor)
        form.addRow("activation", self.activation_box)
        form.addRow(self.param_label, self.param_spin)
        form.addRow(self.neuron_info)
        self.bias_editor.edited.connect(self._on_bias_edited)
        self.activation_box.currentTextChanged.connect(self._on_activation_chosen)
        self.param_spin.valueChanged.connect(self._on_param_edited)
        self.pages.addWidget(self.neuron_page)

    def _build_layer_page(self) -> None:
        self.table = QTableWidget()
        self.table.setToolTip("Row j: the weights into neuron j, then its bias. Double-click a cell to edit.")
        self.table.cellChanged.connect(self._on_cell_changed)
        self.pages.addWidget(self.table)

    # -- observing the session ---------------------------------------------------------------------------
    def _on_selection_changed(self, *_: Any) -> None:
        sel = self.session.selection
        kind = getattr(sel, "kind", None)
        if kind == "edge":
            self.weight_editor.reset(self._weight(sel))
            self.pages.setCurrentWidget(self.edge_page)
        elif kind == "neuron" and sel.layer > 0:
            self.bias_editor.reset(float(self.session.network.biases[sel.layer - 1][sel.index]))
            self._fill_activation_box(sel.layer)
            self.pages.setCurrentWidget(self.neuron_page)
        elif kind == "layer" and sel.layer > 0:
            self.pages.setCurrentWidget(self.table)
        else:
            self.pages.setCurrentWidget(self.empty)
        self._on_parameters_changed()

    def _on_parameters_changed(self) -> None:
        sel = self.session.selection
        kind = getattr(sel, "kind", None)
        net, trace = self.session.network, self.session.trace
        if kind == "edge":
            k, j, i = sel.layer, sel.index, sel.source
            name = selection_name(sel, self.session.names)
            self.title.setText(name[:1].upper() + name[1:])  # not capitalize(): W⁽²⁾₁₂ keeps its capital
            self.weight_editor.show_value(self._weight(sel))
            a = float(trace.a[k][0, i])  # a Python float: w·a overflows to inf without a warning
            self.edge_info.setText(f"input a = {num(a)}, contribution w·a = {num(self._weight(sel) * a)}")
        elif kind == "neuron":
            layer, j = sel.layer, sel.index
            self.title.setText(self.session.names.describe_neuron(layer, j))
            if layer == 0:
                self.empty.setText(f"Input neuron {j + 1}: value {num(trace.a[0][0, j])}")
                return
            self.bias_editor.show_value(float(net.biases[layer - 1][j]))
            self._show_activation(layer)
            self.neuron_info.setText(
                f"z = {num(net.activations[layer - 1].neuron_sums(trace.z[layer])[0, j])}, "
                f"a = f(z) = {num(trace.a[layer][0, j])}"
            )
        elif kind == "layer" and sel.layer > 0:
            self.title.setText(f"Layer {sel.layer}: weights W (rows: its neurons) and biases b")
            self._fill_table(sel.layer)
        elif kind == "layer":
            self.title.setText(f"Input layer: {net.sizes[0]} inputs")
            self.empty.setText("Inputs have no weights or biases: set their values in the Input panel.")
        else:
            self.title.setText("Nothing selected")
            self.empty.setText("Click a neuron, an edge or a layer on the canvas to inspect and edit it.")

    def _weight(self, sel: Any) -> float:
        return float(self.session.network.weights[sel.layer][sel.index, sel.source])

    def _fill_activation_box(self, layer: int) -> None:
        is_output = layer == len(self.session.network.weights)
        names = [name for name, kind in KINDS.items() if is_output or not kind.output_only]
        with QSignalBlocker(self.activation_box):
            self.activation_box.clear()
            self.activation_box.addItems(names)

    def _show_activation(self, layer: int) -> None:
        act = self.session.network.activations[layer - 1]
        with QSignalBlocker(self.activation_box), QSignalBlocker(self.param_spin):
            self.activation_box.setCurrentText(act.name)
            params = dict(act.params)
            self.param_label.setText(next(iter(params), ""))
            self.param_label.setVisible(bool(params))
            self.param_spin.setVisible(bool(params))
            whole = act.pieces > 1  # maxout's pieces: a whole number of rows per neuron
            self.param_spin.setDecimals(0 if whole else 3)
            self.param_spin.setSingleStep(1.0 if whole else 0.1)
            self.param_spin.setRange(*((2, MAX_PIECES) if whole else (0.001, 1000.0)))
            if params:
                self.param_spin.setValue(next(iter(params.values())))

    def _fill_table(self, layer: int) -> None:
        w, b = self.session.network.weights[layer - 1], self.session.network.biases[layer - 1]
        shown = min(w.shape[1], MAX_TABLE_COLUMNS)
        scale = float(max(np.abs(w).max(), np.abs(b).max(), 1e-12))
        with QSignalBlocker(self.table):
            self.table.setRowCount(w.shape[0])
            self.table.setColumnCount(shown + 1)
            headers = [f"from {self.session.names.neuron(layer - 1, i)}" for i in range(shown)] + ["bias"]
            self.table.setHorizontalHeaderLabels(headers)
            self.table.setVerticalHeaderLabels(_row_names(layer, self.session.network, self.session.names))
            for j in range(w.shape[0]):
                for col in range(shown + 1):
                    value = float(w[j, col] if col < shown else b[j])
                    item = self.table.item(j, col)
                    if item is None:  # setItem on an item the table owns already makes Qt warn
                        item = QTableWidgetItem()
                        self.table.setItem(j, col, item)
                    item.setText(f"{value:.4g}")
                    item.setData(Qt.ItemDataRole.UserRole, col == shown)
                    item.setBackground(weight_colour(value, scale))
                    item.setForeground(QColor(20, 20, 20))
        if shown < w.shape[1]:
            self.table.setToolTip(f"The first {shown} of {w.shape[1]} inputs are shown; the bias is last.")

    # -- edits -------------------------------------------------------------------------------------------
    def _on_weight_edited(self, value: float, gesture: object) -> None:
        sel = self.session.selection
        self.session.edit_weight(sel.layer, sel.index, sel.source, value, gesture)

    def _on_bias_edited(self, value: float, gesture: object) -> None:
        sel = self.session.selection
        self.session.edit_bias(sel.layer - 1, sel.index, value, gesture)

    def _on_activation_chosen(self, name: str) -> None:
        if name:
            self._edit_activation({"name": name})

    def _on_param_edited(self, value: float) -> None:
        act = self.session.network.activations[self.session.selection.layer - 1]
        if act.params:
            self._edit_activation({"name": act.name, next(iter(act.params)): value})

    def _edit_activation(self, spec: dict) -> None:
        self.error.clear()
        try:
            self.session.edit_activation(self.session.selection.layer - 1, spec)
        except ValueError as exc:
            self.error.setText(str(exc))
            self._show_activation(self.session.selection.layer)

    def _on_cell_changed(self, row: int, col: int) -> None:
        self.error.clear()
        layer = self.session.selection.layer
        item = self.table.item(row, col)
        assert item is not None, "the table reports changes of its own items"
        try:
            value = read_float(item.text())
            if not np.isfinite(value):
                raise ValueError
        except ValueError:
            self.error.setText(f"{item.text()!r} is not a finite number")
            self._fill_table(layer)
            return
        if item.data(Qt.ItemDataRole.UserRole):
            self.session.edit_bias(layer - 1, row, value)
        else:
            self.session.edit_weight(layer - 1, row, col, value)


def _row_names(layer: int, network: Any, names: Names) -> list[str]:
    """The weight table's rows: one per neuron, or for maxout one per piece per neuron (piece-major)."""
    n, pieces = network.sizes[layer], network.activations[layer - 1].pieces
    if pieces == 1:
        return [names.neuron(layer, j) for j in range(n)]
    return [f"{names.neuron(layer, j)} piece {p + 1}" for p in range(pieces) for j in range(n)]
