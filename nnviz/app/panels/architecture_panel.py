"""The architecture editor: one row per layer with its size and activation, and buttons to grow or shrink.

Every change goes through `nnviz.app.edits.architecture` (undoable); the table is rebuilt from the
session whenever the network changes, so undo and redo show up here too.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.edits import architecture as commands
from nnviz.app.session import Session
from nnviz.core.activations import KINDS, MAX_PIECES, ActivationError
from nnviz.core.network import MAX_NEURONS_PER_LAYER, NetworkError

_COLUMNS = ("Layer", "Neurons", "Activation", "Pieces")


class ArchitecturePanel(QWidget):
    """Edit layer sizes, activations, and the number of hidden layers of the session's network."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Layers")
        self.table.setToolTip("One row per layer: its neurons and activation; select a row to add or remove")
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.add_layer_button = QPushButton("Add hidden layer")
        self.add_layer_button.setToolTip("Insert a hidden layer after the selected layer")
        self.remove_layer_button = QPushButton("Remove layer")
        self.remove_layer_button.setToolTip("Remove the selected hidden layer")
        self.add_layer_button.clicked.connect(self._add_layer)
        self.remove_layer_button.clicked.connect(self._remove_layer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_layer_button)
        buttons.addWidget(self.remove_layer_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        session.network_changed.connect(self.refresh)
        session.parameters_changed.connect(self._on_parameters_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.refresh()

    # -- view ---------------------------------------------------------------------------------------------
    def _on_parameters_changed(self) -> None:
        """Rebuild only when the layers changed (an activation edit): not on every training snapshot."""
        if self._shown != self._layers():
            self.refresh()

    def _layers(self) -> tuple:
        network = self.session.network
        return tuple(network.sizes), list(network.activations)

    def refresh(self) -> None:
        network = self.session.network
        self._shown = self._layers()
        selected = self.selected_layer()
        self.table.setRowCount(len(network.sizes))
        last = len(network.sizes) - 1
        for layer, size in enumerate(network.sizes):
            role = "input" if layer == 0 else "output" if layer == last else "hidden"
            self.table.setItem(layer, 0, QTableWidgetItem(f"{layer} ({role})"))
            self.table.setCellWidget(layer, 1, self._size_box(layer, size))
            self.table.setCellWidget(layer, 2, self._activation_box(layer))
            if (pieces := self._pieces_box(layer)) is not None:
                self.table.setCellWidget(layer, 3, pieces)
            else:
                self.table.removeCellWidget(layer, 3)  # what Qt does with no widget
        self.summary.setText(f"{network.describe()} — {network.n_parameters:,} parameters")
        if selected is not None:
            self.table.selectRow(min(selected, last))
        self._update_buttons()

    def _size_box(self, layer: int, size: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(1, MAX_NEURONS_PER_LAYER)
        box.setValue(size)
        box.setKeyboardTracking(False)  # one edit per typed number, not one per digit
        name = self.session.names.layer_name(layer)
        box.setAccessibleName(f"Neurons in the {name}")
        box.setToolTip(f"How many neurons the {name} has (the kept neurons keep their weights)")
        box.valueChanged.connect(lambda value, layer=layer: self._try(commands.resize_layer, layer, value))
        return box

    def _activation_box(self, layer: int) -> QWidget:
        if layer == 0:
            return QLabel("—")
        box = QComboBox()
        box.addItems(sorted(KINDS))
        box.setCurrentText(self.session.network.activations[layer - 1].name)
        name = self.session.names.layer_name(layer)
        box.setAccessibleName(f"Activation of the {name}")
        box.setToolTip(f"The activation function f of the {name}'s neurons: a = f(z)")
        box.currentTextChanged.connect(lambda name, layer=layer: self._try(self._set_activation, layer, name))
        return box

    def _pieces_box(self, layer: int) -> QWidget | None:
        """Maxout's k, the linear pieces per neuron (the other activations have one)."""
        act = self.session.network.activations[layer - 1] if layer else None
        if act is None or act.name != "maxout":
            return None
        box = QSpinBox()
        box.setRange(2, MAX_PIECES)
        box.setValue(act.pieces)
        box.setKeyboardTracking(False)
        box.setToolTip("Linear pieces per maxout neuron: each has its own weights and bias; the largest wins")
        box.setAccessibleName(f"Maxout pieces of the {self.session.names.layer_name(layer)}")
        spec = {"name": "maxout"}
        box.valueChanged.connect(
            lambda k, layer=layer: self._try(self._set_activation, layer, {**spec, "pieces": k})
        )
        return box

    def selected_layer(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else None

    def _update_buttons(self) -> None:
        layer = self.selected_layer()
        last = len(self.session.network.sizes) - 1
        self.add_layer_button.setEnabled(layer is not None and layer < last)
        self.remove_layer_button.setEnabled(layer is not None and 0 < layer < last)

    # -- edits --------------------------------------------------------------------------------------------
    def _try(self, edit, *args) -> None:
        """Run one edit; an impossible one is explained under the table and the view is put back."""
        try:
            edit(self.session, *args)
            self.message.clear()
        except (NetworkError, ActivationError) as exc:
            self.message.setText(str(exc))
            self.refresh()

    @staticmethod
    def _set_activation(session: Session, layer: int, spec: str | dict) -> None:
        session.edit_activation(layer - 1, spec)

    def _add_layer(self) -> None:
        """A new layer after the selected one, as wide as the nearest hidden layer (4 if there is none)."""
        layer = self.selected_layer()
        if layer is None:
            return
        network = self.session.network
        hidden_sizes = network.sizes[1:-1]
        size = network.sizes[layer] if layer > 0 else (hidden_sizes[0] if hidden_sizes else 4)
        previous = network.activations[max(layer - 1, 0)]
        activation = "tanh" if previous.kind.output_only else previous
        self._try(commands.insert_hidden_layer, layer + 1, size, activation)
        self.table.selectRow(layer + 1)

    def _remove_layer(self) -> None:
        layer = self.selected_layer()
        if layer is not None:
            self._try(commands.remove_hidden_layer, layer)
