"""The confusion matrix as a coloured grid: true class per row, predicted class per column, counts in cells.

Painted with QPainter (a hundred rectangles and numbers cost about a millisecond, far less than as many
pyqtgraph text items). Each cell is tinted by its share of its row — the fraction of that true class — blue
on the diagonal (right) and orange off it (wrong), the training views' palette; a tooltip spells it out.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from nnviz.app.painting import guarded_paint, painting
from nnviz.app.plots.colours import CLASS_COLOURS, WHITE, class_colour
from nnviz.core.metrics import accuracy_of_counts

RIGHT, WRONG = CLASS_COLOURS[1], CLASS_COLOURS[0]
GAP = 6  # pixels between the class names and the grid
SWATCH = 5  # px: the class-colour bar beside each class name (inside the gap between names and grid)
MAX_STRETCH = 2.0  # cells fill the space but stay within this ratio of width to height (either way)


def row_fractions(counts: np.ndarray) -> np.ndarray:
    """Each count as a fraction of its row (its true class); 0 in a row with no samples."""
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)


def cell_colours(counts: np.ndarray) -> np.ndarray:
    """(n, n, 3) RGB: white for none of the class, up to blue (diagonal) or orange (elsewhere) for all.

    The tint grows with the square root of the share, so a few mistakes (2 % of a class) still show."""
    fraction = np.sqrt(row_fractions(counts))[..., None]
    target = np.where(np.eye(len(counts), dtype=bool)[..., None], RIGHT, WRONG)
    return np.round(WHITE + (target - WHITE) * fraction).astype(np.uint8)


def cell_tooltip(counts: np.ndarray, names: list[str], true: int, predicted: int) -> str:
    """E.g. `true 3 predicted 8: 12 samples (4.0 % of class 3)`."""
    n = int(counts[true, predicted])
    total = int(counts[true].sum())
    share = (
        f"{100 * n / total:.1f} % of class {names[true]}" if total else f"no samples of class {names[true]}"
    )
    return f"true {names[true]} predicted {names[predicted]}: {n} sample{'' if n == 1 else 's'} ({share})"


class ConfusionGrid(QWidget):
    """The painted grid; `set_counts` replaces what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self.names: list[str] = []
        self._colours = np.zeros((0, 0, 3), dtype=np.uint8)
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    def set_counts(self, counts: np.ndarray, names: list[str]) -> None:
        self.counts, self.names = counts, names
        self._colours = cell_colours(counts)
        self.update()

    # -- geometry --------------------------------------------------------------------------------------------
    def _origin_and_cell(self) -> tuple[QPoint, int, int]:
        """Top-left corner of the grid and the width and height of one cell, in pixels."""
        metrics = self.fontMetrics()
        label_width = max((metrics.horizontalAdvance(name) for name in self.names), default=0)
        line = metrics.height()
        left = line + GAP + label_width + GAP  # rotated axis title, then the row names
        top = line + GAP + line + GAP  # axis title, then the column names
        n = max(len(self.counts), 1)
        width = max(1, (self.width() - left - GAP) // n)
        height = max(1, (self.height() - top - GAP) // n)
        width, height = min(width, int(height * MAX_STRETCH)), min(height, int(width * MAX_STRETCH))
        return QPoint(left, top), width, height

    def cell_rect(self, true: int, predicted: int) -> QRect:
        origin, width, height = self._origin_and_cell()
        return QRect(origin.x() + predicted * width, origin.y() + true * height, width, height)

    def cell_at(self, pos: QPoint) -> tuple[int, int] | None:
        """(true, predicted) of the cell under `pos`, or None outside the grid."""
        origin, width, height = self._origin_and_cell()
        n = len(self.counts)
        col, row = (pos.x() - origin.x()) // width, (pos.y() - origin.y()) // height
        inside = pos.x() >= origin.x() and pos.y() >= origin.y() and col < n and row < n
        return (row, col) if inside else None

    # -- drawing --------------------------------------------------------------------------------------------
    @guarded_paint
    def paintEvent(self, _event: QPaintEvent) -> None:
        with painting(self) as painter:
            self._paint(painter)

    def _paint(self, painter: QPainter) -> None:
        n = len(self.counts)
        if not n:
            return
        origin, width, height = self._origin_and_cell()
        line = self.fontMetrics().height()
        painter.setPen(self.palette().windowText().color())
        painter.drawText(QRect(origin.x(), 0, n * width, line), Qt.AlignmentFlag.AlignCenter, "predicted →")
        painter.save()
        painter.translate(0, origin.y() + n * height)
        painter.rotate(-90)
        painter.drawText(QRect(0, 0, n * height, line), Qt.AlignmentFlag.AlignCenter, "true →")
        painter.restore()
        names_left = line + GAP
        for i, name in enumerate(self.names[:n]):
            painter.drawText(
                QRect(origin.x() + i * width, line + GAP, width, line), Qt.AlignmentFlag.AlignCenter, name
            )
            painter.drawText(
                QRect(names_left, origin.y() + i * height, origin.x() - GAP - names_left, height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
        widest = self.fontMetrics().horizontalAdvance(str(int(self.counts.max())))
        show_text = widest + 2 <= width and line <= height + 2  # else colour only; the tooltip has the number
        x0, y0 = origin.x(), origin.y()
        for t in range(n):
            for p in range(n):
                r, g, b = (int(v) for v in self._colours[t, p])
                painter.fillRect(x0 + p * width, y0 + t * height, width, height, QColor(r, g, b))
        painter.setPen(QColor(210, 210, 210))
        for i in range(n + 1):
            painter.drawLine(x0, y0 + i * height, x0 + n * width, y0 + i * height)
            painter.drawLine(x0 + i * width, y0, x0 + i * width, y0 + n * height)
        for i in range(n):  # each class's colour beside its name, as the data and map views draw it
            colour = QColor(*class_colour(i))
            painter.fillRect(self.swatch_rect(i, "row"), colour)
            painter.fillRect(self.swatch_rect(i, "column"), colour)
        if show_text:
            self._paint_counts(painter, x0, y0, width, height)

    def swatch_rect(self, i: int, along: str) -> QRect:
        """The class-colour bar of class `i` just outside the grid: left of its row, above its column."""
        origin, width, height = self._origin_and_cell()
        if along == "row":
            return QRect(origin.x() - SWATCH, origin.y() + i * height + 1, SWATCH - 1, height - 1)
        return QRect(origin.x() + i * width + 1, origin.y() - SWATCH, width - 1, SWATCH - 1)

    def _paint_counts(self, painter: QPainter, x0: int, y0: int, width: int, height: int) -> None:
        """The numbers, centred, white on dark cells; placed by hand (no per-cell text layout)."""
        metrics = self.fontMetrics()
        baseline = (height + metrics.ascent() - metrics.descent()) / 2
        dark = self._colours.astype(float) @ np.array([0.299, 0.587, 0.114]) < 150
        for t, row in enumerate(self.counts):
            for p, count in enumerate(row):
                text = str(int(count))
                painter.setPen(Qt.GlobalColor.white if dark[t, p] else Qt.GlobalColor.black)
                x = x0 + p * width + (width - metrics.horizontalAdvance(text)) / 2
                painter.drawText(QPointF(x, y0 + t * height + baseline), text)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), cell_tooltip(self.counts, self.names, *cell), self)
            return True
        return super().event(event)


class ConfusionMatrixView(QWidget):
    """The grid under a heading (accuracy, which rows), or a message when there is nothing to count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.grid = ConfusionGrid()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.message, 1)
        self.show_message("")

    def set_counts(self, counts: np.ndarray, names: list[str], rows: str) -> None:
        """Show `counts` (true × predicted); `rows` says which rows were counted (`test split, 200 rows`)."""
        accuracy = accuracy_of_counts(counts)
        self.heading.setText(f"<b>Accuracy {100 * accuracy:.1f} %</b> · {rows}")
        self.grid.set_counts(counts, names)
        self.message.hide()
        self.heading.show()
        self.grid.show()

    def show_message(self, text: str) -> None:
        """Say why there is no matrix, instead of a blank grid."""
        self.message.setText(text)
        self.heading.hide()
        self.grid.hide()
        self.message.show()
