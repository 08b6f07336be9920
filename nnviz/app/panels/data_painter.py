"""Paint your own 2-D data, as the browser playgrounds let you: a plane where clicks drop labelled points.

Click adds a point of the chosen class, shift-click one of the next class, a drag sprays points around the
cursor, a right-click erases the points under it. The points become the session's data ("Use as dataset":
an inline dataset, with the network's input and output resized to fit, one undo step) or a CSV file
(x1,x2,label) that the CSV import reads back.
"""

from __future__ import annotations

import csv
import io

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.painting import guarded_paint, painting
from nnviz.app.plots.colours import class_colour
from nnviz.core.atomic_file import WriteError, atomic_write_text
from nnviz.core.dataset_ref import inline_reference
from nnviz.core.datasets.base import Dataset

#: the plane shown, in data units (square, centred on 0, like the built-in 2-D sets)
EXTENT = 1.0
#: a right-click erases points within this many pixels; a spray scatters within this many
ERASE_RADIUS_PX = 10.0
SPRAY_RADIUS_PX = 12.0


def class_color(label: int) -> QColor:
    """The class's colour from the one mapping every view uses (opaque: cheap to draw)."""
    return QColor(*class_colour(label))


class PaintCanvas(QWidget):
    """The plane. Points are kept in data units so resizing the widget does not move them."""

    #: the point set changed (added, erased, cleared)
    points_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(240, 240)
        self.points = np.zeros((0, 2))
        self.labels = np.zeros(0, dtype=np.int64)
        self.current_class = 0
        self.n_classes = 2
        self._spray_class: int | None = None
        self._rng = np.random.default_rng(0)
        self.points_changed.connect(self.update)  # each point shows as it is added, not at the next resize

    # -- coordinates ---------------------------------------------------------------------------------------
    def _plane(self) -> QRectF:
        side = min(self.width(), self.height()) - 8
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_data(self, pos: QPointF) -> np.ndarray:
        r = self._plane()
        x = (pos.x() - r.left()) / r.width() * 2 * EXTENT - EXTENT
        y = EXTENT - (pos.y() - r.top()) / r.height() * 2 * EXTENT
        return np.array([x, y])

    def to_pixel(self, point: np.ndarray) -> QPointF:
        r = self._plane()
        return QPointF(
            r.left() + (point[0] + EXTENT) / (2 * EXTENT) * r.width(),
            r.top() + (EXTENT - point[1]) / (2 * EXTENT) * r.height(),
        )

    def _px_to_data(self, px: float) -> float:
        return px / self._plane().width() * 2 * EXTENT

    # -- edits ---------------------------------------------------------------------------------------------
    def add_point(self, xy: np.ndarray, label: int) -> None:
        xy = np.clip(xy, -EXTENT, EXTENT)
        self.points = np.vstack([self.points, xy[None, :]])
        self.labels = np.append(self.labels, label)
        self.points_changed.emit()

    def erase_near(self, xy: np.ndarray) -> int:
        """Remove the points within ERASE_RADIUS_PX of `xy`; returns how many went."""
        keep = np.hypot(*(self.points - xy).T) > self._px_to_data(ERASE_RADIUS_PX)
        removed = int((~keep).sum())
        if removed:
            self.points, self.labels = self.points[keep], self.labels[keep]
            self.points_changed.emit()
        return removed

    def clear(self) -> None:
        self.points, self.labels = np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
        self.points_changed.emit()

    def _spray(self, xy: np.ndarray) -> None:
        angle = self._rng.uniform(0, 2 * np.pi)
        radius = self._px_to_data(SPRAY_RADIUS_PX) * np.sqrt(self._rng.uniform())
        self.add_point(xy + radius * np.array([np.cos(angle), np.sin(angle)]), self._spray_class or 0)

    # -- mouse ---------------------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        xy = self.to_data(event.position())
        if event.button() == Qt.MouseButton.RightButton:
            self.erase_near(xy)
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return
        label = self.current_class
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            label = (label + 1) % self.n_classes
        self._spray_class = label
        self.add_point(xy, label)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        xy = self.to_data(event.position())
        if event.buttons() & Qt.MouseButton.RightButton:
            self.erase_near(xy)
        elif event.buttons() & Qt.MouseButton.LeftButton and self._spray_class is not None:
            self._spray(xy)

    def mouseReleaseEvent(self, _event: QMouseEvent) -> None:
        self._spray_class = None

    # -- drawing -------------------------------------------------------------------------------------------
    @guarded_paint
    def paintEvent(self, _event: QPaintEvent) -> None:
        with painting(self) as painter:
            self._paint(painter)

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self._plane()
        painter.fillRect(r, QColor("#ffffff"))
        painter.setPen(QPen(QColor("#dddddd"), 1))
        for t in (-0.5, 0.0, 0.5):
            a, b = self.to_pixel(np.array([t * EXTENT, 0])), self.to_pixel(np.array([0, t * EXTENT]))
            painter.drawLine(QPointF(a.x(), r.top()), QPointF(a.x(), r.bottom()))
            painter.drawLine(QPointF(r.left(), b.y()), QPointF(r.right(), b.y()))
        painter.setPen(QPen(QColor("#888888"), 1))
        painter.drawRect(r)
        painter.setPen(QPen(QColor("#333333"), 0.8))
        for label in np.unique(self.labels):
            painter.setBrush(class_color(int(label)))
            for xy in self.points[self.labels == label]:
                painter.drawEllipse(self.to_pixel(xy), 4.5, 4.5)


class DataPainter(QWidget):
    """The canvas with its class picker, point count, Clear, Use as dataset and Save as CSV."""

    def __init__(self, session=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Paint data")
        self.canvas = PaintCanvas()
        self.classes = QSpinBox()
        self.classes.setRange(2, 20)
        self.classes.setValue(2)
        self.classes.setToolTip("how many classes the painted data has")
        self.current = QSpinBox()
        self.current.setRange(0, 1)
        self.current.setToolTip("class of a click; shift-click paints the next class")
        self.swatch = QLabel()
        self.swatch.setFixedSize(18, 18)
        self.count = QLabel()
        self.clear_button = QPushButton("Clear")
        self.use_button = QPushButton("Use as dataset")
        self.save_button = QPushButton("Save as CSV…")
        top = QHBoxLayout()
        top.addWidget(QLabel("Classes"))
        top.addWidget(self.classes)
        top.addWidget(QLabel("Paint class"))
        top.addWidget(self.current)
        top.addWidget(self.swatch)
        top.addStretch(1)
        top.addWidget(self.count)
        bottom = QHBoxLayout()
        bottom.addWidget(self.clear_button)
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(QLabel("click: add · shift-click: next class · drag: spray · right-click: erase"))
        layout.addLayout(bottom)
        self.classes.valueChanged.connect(self._on_classes_changed)
        self.current.valueChanged.connect(self._on_current_changed)
        self.canvas.points_changed.connect(self._on_points_changed)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.use_button.clicked.connect(self.use_as_dataset)
        self.save_button.clicked.connect(self.save_dialog)
        self.use_button.setEnabled(session is not None)
        self._on_current_changed(0)
        self._on_points_changed()

    def _on_classes_changed(self, n: int) -> None:
        self.canvas.n_classes = n
        self.current.setMaximum(n - 1)

    def _on_current_changed(self, label: int) -> None:
        self.canvas.current_class = label
        self.swatch.setStyleSheet(f"background: {class_color(label).name()}; border: 1px solid #333;")

    def _on_points_changed(self) -> None:
        counts = np.bincount(self.canvas.labels, minlength=self.classes.value())
        self.count.setText(f"{len(self.canvas.labels)} points (" + ", ".join(map(str, counts)) + ")")

    def dataset(self) -> Dataset:
        """The painted points; classes are the spinner's count, so an unpainted class still gets a name."""
        n = max(self.classes.value(), int(self.canvas.labels.max(initial=-1)) + 1)
        return Dataset(
            self.canvas.points.copy(),
            self.canvas.labels.copy(),
            "classification",
            ["x1", "x2"],
            class_names=[str(i) for i in range(n)],
            name="painted",
        )

    def save_csv(self, path: str) -> None:
        """Header x1,x2,label, one row a point: what the CSV import dialog reads back."""
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["x1", "x2", "label"])
        for (x1, x2), label in zip(self.canvas.points, self.canvas.labels, strict=True):
            writer.writerow([repr(float(x1)), repr(float(x2)), int(label)])
        atomic_write_text(path, text.getvalue())

    def save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save painted data", "painted.csv", "CSV table (*.csv)")
        if not path:
            return
        try:
            self.save_csv(path if path.endswith(".csv") else path + ".csv")
        except (OSError, WriteError) as exc:
            QMessageBox.warning(self, "Save failed", f"Could not write {path}:\n{exc}")

    def use_as_dataset(self) -> bool:
        """Give the session the points as an inline dataset, the network's input and output resized: one
        undo step (Ctrl+Z in the window brings back the previous network and data)."""
        from nnviz.app.edits.data import use_data

        if self.session is None:
            return False
        if len(self.canvas.labels) < 2:
            QMessageBox.information(self, "Too few points", "Paint at least two points first.")
            return False
        data = self.dataset()
        use_data(self.session, data, None, inline_reference(data), f"use {len(data)} painted points as data")
        return True
