"""A small drawing pad for image inputs: paint with the left button, erase with the right."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.app.painting import guarded_paint, painting


class DrawPad(QWidget):
    """Shows an image and lets the mouse paint on it. `drawn(pixels)` after each stroke segment carries the
    whole image as a flat copy in input units, row by row, as the network's inputs are laid out."""

    drawn = Signal(object)

    def __init__(
        self, shape: tuple[int, int], full_scale: float = 1.0, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.shape = shape
        self.full_scale = full_scale  # the input value of a fully painted pixel (16 for 8x8 digits)
        self.pixels = np.zeros(shape)
        self._painting: float | None = None
        self.setMinimumSize(4 * shape[1], 4 * shape[0])
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("Draw with the left mouse button, erase with the right")

    def sizeHint(self) -> QSize:
        return QSize(8 * self.shape[1], 8 * self.shape[0])

    def set_pixels(self, flat: np.ndarray) -> None:
        values = np.asarray(flat, dtype=np.float64).reshape(self.shape) / self.full_scale
        self.pixels = np.clip(values, 0.0, 1.0)
        self.update()

    def clear(self) -> None:
        self.pixels[:] = 0.0
        self.update()
        self.drawn.emit(self.pixels.ravel() * self.full_scale)

    def _cell(self) -> float:
        return min(self.width() / self.shape[1], self.height() / self.shape[0])

    def _pixel_at(self, pos: QPointF) -> tuple[int, int] | None:
        cell = self._cell()
        r, c = int(pos.y() // cell), int(pos.x() // cell)
        return (r, c) if 0 <= r < self.shape[0] and 0 <= c < self.shape[1] else None

    def _paint_at(self, pos: QPointF) -> None:
        hit = self._pixel_at(pos)
        if hit is None or self._painting is None:
            return
        r, c = hit
        # a soft round brush: the pixel itself fully, its four neighbours half, like a pen stroke
        for dr, dc, strength in ((0, 0, 1.0), (-1, 0, 0.5), (1, 0, 0.5), (0, -1, 0.5), (0, 1, 0.5)):
            rr, cc = r + dr, c + dc
            if 0 <= rr < self.shape[0] and 0 <= cc < self.shape[1]:
                if self._painting > 0:
                    self.pixels[rr, cc] = max(self.pixels[rr, cc], strength)
                else:
                    self.pixels[rr, cc] = min(self.pixels[rr, cc], 1.0 - strength)
        self.update()
        self.drawn.emit(self.pixels.ravel() * self.full_scale)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._painting = 0.0 if event.button() == Qt.MouseButton.RightButton else 1.0
        self._paint_at(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._paint_at(event.position())

    def mouseReleaseEvent(self, _event: QMouseEvent) -> None:
        self._painting = None

    @guarded_paint
    def paintEvent(self, _event: QPaintEvent) -> None:
        with painting(self) as painter:
            self._paint(painter)

    def _paint(self, painter: QPainter) -> None:
        cell = self._cell()
        painter.fillRect(QRectF(0, 0, cell * self.shape[1], cell * self.shape[0]), QColor(0, 0, 0))
        for (r, c), v in np.ndenumerate(self.pixels):
            if v > 0:
                grey = round(255 * v)
                painter.fillRect(QRectF(c * cell, r * cell, cell, cell), QColor(grey, grey, grey))
