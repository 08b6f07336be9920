"""The canvas's key to its edges, so a weight's sign is not told by colour alone: a line of each sign's
colour labelled "+ weight" and "− weight", and a thin and a thick line: "thicker: stronger". It sits in a
bottom corner where the layout leaves it room: under the input column, else under the output column."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from nnviz.app.canvas.edge_layer import MAX_WIDTH, MIN_WIDTH
from nnviz.app.canvas.layout import KEY_MARGIN, MARGIN_Y
from nnviz.app.canvas.palette import CanvasPalette

ROWS = (("positive", "+ weight"), ("negative", "− weight"))
LINE = 22.0  # px of each sample line
ROW = 16.0  # px between rows


def _pen(colour, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def key_size(palette: CanvasPalette) -> tuple[float, float]:
    """Width and height of the key at the palette's scale."""
    s = palette.scale
    return 140.0 * s, (len(ROWS) + 1) * ROW * s + 6


def key_rect(palette: CanvasPalette, width: float, height: float, left: bool = False) -> QRectF:
    """Where the key is drawn in a canvas of `width` × `height` pixels: a bottom corner (the one the layout
    chose, `Layout.key_left`), above the band of gradient readouts under the columns."""
    w, h = key_size(palette)
    return QRectF(KEY_MARGIN if left else width - w - KEY_MARGIN, height - h - MARGIN_Y, w, h)


def paint_weight_key(painter: QPainter, palette: CanvasPalette, rect: QRectF) -> None:
    s = palette.scale
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    font = QFont(painter.font())
    font.setPixelSize(round(11 * s))
    painter.setFont(font)
    rows: list[tuple[QColor, float | None, str]] = [
        (palette.qcolor(colour), MAX_WIDTH, text) for colour, text in ROWS
    ]
    rows.append((palette.qcolor("text"), None, "thicker: stronger"))
    for n, (colour, pen_width, text) in enumerate(rows):
        y = rect.top() + 3 + (n + 0.5) * ROW * s
        x = rect.left()
        if pen_width is not None:
            painter.setPen(_pen(colour, pen_width * s))
            painter.drawLine(QLineF(x, y, x + LINE * s, y))
            x += (LINE + 6) * s
        else:
            for k, w in enumerate((MIN_WIDTH, MAX_WIDTH)):
                painter.setPen(_pen(colour, w * s))
                painter.drawLine(QLineF(x + k * 12 * s, y + 4 * s, x + (k * 12 + 8) * s, y - 4 * s))
            x += (LINE + 6) * s
        painter.setPen(palette.qcolor("text"))
        painter.drawText(QRectF(QPointF(x, y - ROW * s / 2), QPointF(rect.right(), y + ROW * s / 2)),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)  # fmt: skip
    painter.restore()
