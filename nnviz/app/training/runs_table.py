"""The Runs dock: the project's runs side by side (final figures and settings), renamed and deleted with undo,
and ticked to overlay their loss curves in the loss plot.

Runs are compared on the epochs of each run (a branch counts on from the epoch it left its parent at), not on
the project's running epoch count, on which they would sit one after the other. While any run is ticked, the
loss plot shows only the ticked runs, each in its own colour, and its key names them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.plots.colours import class_hex
from nnviz.app.plots.loss_plot import key_html
from nnviz.app.training.run_edits import DeleteRunCommand, rename_run
from nnviz.core.numbers import is_number, is_whole
from nnviz.core.runs import Run, history_values, same_runs

COLUMNS = (
    "compare", "run", "epochs", "loss", "test loss", "accuracy", "test accuracy",
    "optimizer", "learning rate", "batch", "from",
)  # fmt: skip
NAME_COLUMN = 1


def last_number(history: dict[str, Any], key: str) -> float | None:
    """The column's last number, searched from the end (a growing run's row is refreshed every snapshot)."""
    return next((v for v in reversed(history.get(key, [])) if is_number(v)), None)


def epoch_count(run: Run) -> int:
    """How many epochs the run trained: its first recorded epoch to its last (a long run's record is thinned
    to fewer rows than that)."""
    epochs = run.history.get("epoch", [])
    first = next((e for e in epochs if is_whole(e)), None)
    last = next((e for e in reversed(epochs) if is_whole(e)), None)
    return 0 if first is None or last is None else last - first + 1


def run_epochs(run: Run) -> np.ndarray:
    """The run's epochs counted from its own start (a branch: from its parent's epoch)."""
    epochs = np.asarray([e if is_whole(e) else np.nan for e in run.history.get("epoch", [])], float)
    if not np.isfinite(epochs).any():  # none, or none readable (a hand-edited file)
        return epochs
    offset = (run.parent or {}).get("epoch", 0)
    return epochs - np.nanmin(epochs) + 1 + (offset if is_whole(offset) else 0)


def figures(run: Run) -> list[str]:
    """The table's cells after the tick: name, epochs, final losses and accuracies, settings, parent."""
    h, t = run.history, run.training or {}

    def number(value: Any, form: str) -> str:
        return "—" if value is None else format(value, form)

    parent = run.parent or {}
    return [
        run.name,
        str(epoch_count(run)),
        number(last_number(h, "loss"), ".4g"),
        number(last_number(h, "test_loss"), ".4g"),
        number(last_number(h, "accuracy"), ".1%"),
        number(last_number(h, "test_accuracy"), ".1%"),
        str(t.get("optimizer", "—")),
        number(t.get("learning_rate"), "g"),
        str(t.get("batch_size", "—")),
        f"{parent['run']} @ {parent['epoch']}" if {"run", "epoch"} <= parent.keys() else "",
    ]


class RunsPanel(QWidget):
    """The table and its buttons; `RunsUI` fills it and acts on it."""

    def __init__(self, delete: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.addAction(delete)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.delete = QPushButton("Delete run")
        self.delete.setToolTip(delete.toolTip())
        self.delete.clicked.connect(delete.trigger)
        hint = QLabel("Tick runs to compare their loss; double-click a name to rename it.")
        hint.setWordWrap(True)  # a narrow dock (a small screen) wraps it rather than growing
        buttons = QHBoxLayout()
        buttons.addWidget(hint, 1)
        buttons.addWidget(self.delete)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)


class RunsUI(QObject):
    """Keeps the Runs dock in step with the project's runs and the loss plot's overlay with the ticks."""

    def __init__(self, window: Any, session: Any, training: Any) -> None:
        super().__init__(window)
        self.session, self.log, self.loss_plot = session, training.runs, training.loss_plot
        self.delete_action = QAction("&Delete run", window)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.setToolTip(
            "Remove the selected run and its checkpoints from the project (undoable)"
        )
        self.delete_action.triggered.connect(self.delete_selected)
        self.panel = RunsPanel(self.delete_action)
        self.dock = QDockWidget("Runs", window)
        self.dock.setObjectName("runs")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.runs: list[Run] = []  # the table's rows, in order
        self.ticked: list[Run] = []
        self.overlays: dict[int, pg.PlotDataItem] = {}
        self._filling = False
        self.panel.table.itemChanged.connect(self._on_item_changed)
        self.log.runs_changed.connect(lambda: self.refresh(overlay=bool(self.ticked or self.overlays)))
        session.network_changed.connect(self.refresh)
        self.refresh()

    def refresh(self, overlay: bool = True) -> None:
        """Rows for the project's runs: rebuilt when runs come or go, else the cells that changed rewritten
        (a run growing as it trains must not close a name being edited or lose the selection). The loss
        plot's overlay is redrawn when asked: a growing run with nothing ticked leaves the plot alone."""
        runs = list(self.session.project.runs)
        same = same_runs(runs, self.runs)
        self.runs = runs
        self.ticked = [r for r in self.ticked if any(r is run for run in runs)]
        table = self.panel.table
        self._filling = True
        if not same:
            table.setRowCount(0)
            table.setRowCount(len(runs))
        for row, run in enumerate(runs):
            if not same:
                self._add_row(row, run)
            for column, text in enumerate(figures(run), start=1):
                cell = self._cell(row, column)
                if cell.text() != text:
                    cell.setText(text)
        self._filling = False
        self.panel.delete.setEnabled(bool(runs))
        if overlay or not same:
            self._overlay()

    def _add_row(self, row: int, run: Run) -> None:
        table, flags = self.panel.table, Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        tick = QTableWidgetItem()
        tick.setFlags(flags | Qt.ItemFlag.ItemIsUserCheckable)
        ticked = any(r is run for r in self.ticked)
        tick.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        tick.setToolTip("Overlay this run's loss in the loss plot")
        table.setItem(row, 0, tick)
        for column in range(1, len(COLUMNS)):
            item = QTableWidgetItem()
            item.setFlags(flags | Qt.ItemFlag.ItemIsEditable if column == NAME_COLUMN else flags)
            if column > NAME_COLUMN:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        run = self.runs[item.row()]
        if item.column() == 0:
            self.ticked = [r for r in self.runs if self._is_ticked(r)]
            self._overlay()
        elif item.column() == NAME_COLUMN:
            why = rename_run(self.session, self.log, run, item.text())
            self.panel.message.setText(why)
            if why:
                self.refresh()  # the old name back in its cell

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.panel.table.item(row, column)
        assert item is not None, "each run's row has an item in every column"
        return item

    def _is_ticked(self, run: Run) -> bool:
        row = next(i for i, r in enumerate(self.runs) if r is run)
        return self._cell(row, 0).checkState() == Qt.CheckState.Checked

    def tick(self, run: Run, on: bool = True) -> None:
        """Tick (or untick) a run's compare box, as a click does."""
        row = next(i for i, r in enumerate(self.runs) if r is run)
        self._cell(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def delete_selected(self) -> None:
        rows = self.panel.table.selectionModel().selectedRows()
        if rows:
            self.session.undo_stack.push(DeleteRunCommand(self.session, self.log, self.runs[rows[0].row()]))

    def _overlay(self) -> None:
        """Draw the ticked runs' losses; with none ticked, the plot's own curves come back."""
        plot = self.loss_plot
        for item in self.overlays.values():
            plot.loss_plot.removeItem(item)
        self.overlays.clear()
        comparing = bool(self.ticked)
        for curve in plot.curves.values():
            curve.setVisible(not comparing)
        # runs are compared on their loss: the accuracy plot's room (and its x axis) goes to it meanwhile
        classification = plot.task == "classification"
        plot.accuracy_plot.setVisible(not comparing and classification)
        plot.loss_plot.setLabel("bottom", "epoch of the run")  # pyqtgraph shows an axis it labels: first
        plot.loss_plot.getAxis("bottom").showLabel(comparing)
        plot.loss_plot.showAxis("bottom", comparing or not classification)
        entries = []
        for run in self.ticked:
            index = next(i for i, r in enumerate(self.runs) if r is run)
            colour = class_hex(index)
            pen = pg.mkPen(colour, width=2)
            item = plot.loss_plot.plot(run_epochs(run), history_values(run, "loss"), pen=pen)
            self.overlays[index] = item
            entries.append((colour, run.name))
        if comparing:
            plot.x_axis.setCurrentText("epoch")
        plot.key.setText(key_html(entries) if comparing else plot.default_key)


def install_runs_ui(window: Any, session: Any, training: Any) -> RunsUI:
    """Add the Runs dock (beside the loss curves)."""
    return RunsUI(window, session, training)
