"""Training insight docks: a live confusion matrix, predicted-vs-true, and per-layer weight histograms.

`install_insight_docks(window, session, training)` adds three docks ("Confusion", "Predicted vs true",
"Weights") to the right-hand column, where the main window tabs them behind the other views. They observe
the Session: while training runs its network changes about ten times a second, so a dock recomputes only
while it can be seen (window/visibility.py) — a hidden one is marked stale and catches up when its tab is
shown — and evaluates the network on a fixed sample of at most MAX_ROWS rows, a few milliseconds on
784-16-16-10.
Signals that arrive together (a new network, then its parameters) coalesce into one update.

The rows are the training UI's (`training.data`: features already scaled as the network sees them): the
test split when there is one, else the training rows.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from nnviz.app.plots.confusion_matrix import ConfusionMatrixView
from nnviz.app.plots.prediction_plot import PredictionPlot
from nnviz.app.plots.weight_histogram import WeightHistograms
from nnviz.app.window.visibility import ComingIntoView, on_screen
from nnviz.core.metrics import confusion_counts, evaluation_rows, n_classes_of, predicted_classes

MAX_ROWS = 2000  # one forward pass of this many rows costs a few ms on 784-16-16-10
#: (title, objectName) of each dock; the names are what the saved window layout refers to
DOCKS = (("Confusion", "confusion"), ("Predicted vs true", "predicted_vs_true"), ("Weights", "weights"))
Rows = tuple[np.ndarray, np.ndarray, str]  # (x, y, description) of the evaluated rows


def evaluation_set(data) -> Rows:
    """(x, y, description) of the rows the docks evaluate: the test split if any, else training rows."""
    if data.x_test is not None and len(data.x_test):
        x, y, split = data.x_test, data.y_test, "test split"
    else:
        x, y, split = data.x, data.y, "training rows (no test split)"
    rows = evaluation_rows(len(x), MAX_ROWS)
    count = f"{len(rows):,}" if len(rows) == len(x) else f"{len(rows):,} of {len(x):,}"
    count += " row" if len(x) == 1 else " rows"
    return x[rows], np.asarray(y)[rows], f"{split}, {count}"


class InsightDocks(QObject):
    """Owns the three insight views and their docks; keeps each up to date while it is visible."""

    def __init__(self, window: QMainWindow, session, training) -> None:
        super().__init__(window)
        self.session, self.training = session, training
        self.confusion = ConfusionMatrixView()
        self.prediction = PredictionPlot()
        self.weights = WeightHistograms()
        views = (self.confusion, self.prediction, self.weights)
        self.docks = [
            self._add_dock(window, title, name, view)
            for (title, name), view in zip(DOCKS, views, strict=True)
        ]
        self._refreshers = {
            self.confusion: self._refresh_confusion,
            self.prediction: self._refresh_prediction,
            self.weights: self._refresh_weights,
        }
        self._stale: set[QWidget] = set(views)
        self._names = {view: name for (_, name), view in zip(DOCKS, views, strict=True)}
        self.refreshes = dict.fromkeys(self._names.values(), 0)  # recomputations per dock (tests count them)
        self._data = None  # the training data `_rows` were drawn from
        self._rows: Rows | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._update_visible)
        for view in views:
            ComingIntoView(view, partial(self._on_shown, view))
        for view in (self.prediction, self.weights):
            view.options_changed.connect(lambda v=view: self._refresh(v))
        session.network_changed.connect(self._on_changed)
        session.parameters_changed.connect(self._on_changed)
        # a new test fraction re-splits the data (training.data) without touching the network
        session.training_changed.connect(self._on_changed)

    @staticmethod
    def _add_dock(window: QMainWindow, title: str, name: str, view: QWidget) -> QDockWidget:
        dock = QDockWidget(title, window)
        dock.setObjectName(name)
        dock.setWidget(view)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        return dock

    # -- when to work ---------------------------------------------------------------------------------------
    def _on_changed(self) -> None:
        self._stale.update(self._refreshers)
        self._timer.start()

    def _update_visible(self) -> None:
        for view in [v for v in self._stale if on_screen(v)]:
            self._refresh(view)

    def _on_shown(self, view: QWidget) -> None:
        if view in self._stale and on_screen(view):
            self._refresh(view)

    def _refresh(self, view: QWidget) -> None:
        self._stale.discard(view)
        self.refreshes[self._names[view]] += 1
        self._refreshers[view]()

    # -- what to show ---------------------------------------------------------------------------------------
    def _evaluation(self) -> Rows | None:
        """The rows to evaluate (drawn once per training data set), or None when there is no data."""
        data, network = self.training.data, self.session.network
        if data is not self._data:
            self._data = data
            self._rows = None if data is None or not len(data.x) else evaluation_set(data)
        if self._rows is None or self._rows[0].shape[1] != network.sizes[0]:
            return None  # no data, or data of the previous network until the training UI reloads
        x, y, description = self._rows
        if x.dtype != network.dtype:  # cast once, not in every forward pass (a float32 network)
            self._rows = (x.astype(network.dtype), y, description)
        return self._rows

    def _rows_for(self, view, title: str, task: str, no_data: str) -> Rows | None:
        """The evaluation rows when there is data of `task`; else None, with the reason shown in `view`."""
        rows = self._evaluation()
        if rows is None:
            view.show_message(f"{title}: {no_data}")
        elif self.training.data.task != task:
            view.show_message(f"{title}: {task} data only.")
            return None
        return rows

    def _refresh_confusion(self) -> None:
        view = self.confusion
        rows = self._rows_for(
            view, "Confusion matrix", "classification", "this project has no data to count."
        )
        if rows is None:
            return
        x, y, description = rows
        network = self.session.network
        n_classes = n_classes_of(network.sizes[-1])
        try:
            counts = confusion_counts(y, predicted_classes(network.forward(x)), n_classes)
        except ValueError:
            view.show_message(
                f"Confusion matrix: the data has more classes than the network's {n_classes} can tell apart."
            )
            return
        names = self.session.dataset.class_names if self.session.dataset is not None else []
        if len(names) != n_classes:
            names = [str(c) for c in range(n_classes)]
        view.set_counts(counts, list(names), description)

    def _refresh_prediction(self) -> None:
        view = self.prediction
        rows = self._rows_for(view, "Predicted vs true", "regression", "this project has no data.")
        if rows is None:
            return
        x, y, description = rows
        y = y.reshape(len(y), -1)
        outputs = self.session.network.forward(x)
        if outputs.shape[1] != y.shape[1]:
            view.show_message(
                f"Predicted vs true: the network has {outputs.shape[1]} outputs but the data "
                f"{y.shape[1]} targets."
            )
            return
        names = self.session.dataset.target_names if self.session.dataset is not None else []
        if len(names) != y.shape[1]:
            names = [f"output {k + 1}" for k in range(y.shape[1])]
        view.set_output_names(list(names))
        k = view.output_index
        view.set_values(outputs[:, k], y[:, k], description)

    def _refresh_weights(self) -> None:
        self.weights.set_network(self.session.network)


def install_insight_docks(window: QMainWindow, session, training) -> InsightDocks:
    """Add the confusion-matrix, predicted-vs-true and weight-histogram docks to `window`."""
    return InsightDocks(window, session, training)
