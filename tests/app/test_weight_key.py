"""A weight's sign is not told by colour alone: the canvas carries a key that names each colour's sign."""

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from nnviz.app.canvas import weight_key
from nnviz.app.canvas.palette import CanvasPalette


def test_the_key_names_both_signs_in_words():
    texts = [text for _colour, text in weight_key.ROWS]
    assert texts == ["+ weight", "− weight"]


def test_the_canvas_draws_the_key_with_each_signs_colour(qtbot, window):
    canvas = window.canvas
    image = canvas.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    palette = CanvasPalette.from_system(canvas.palette())
    rect = canvas.weight_key_rect.toRect()
    assert canvas.rect().contains(rect)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.width(), 4)
    key = pixels[rect.top() : rect.bottom(), rect.left() : rect.right(), 2::-1].reshape(-1, 3).astype(int)
    for sign in (palette.positive, palette.negative):
        assert (np.abs(key - np.array(sign)).sum(axis=1) < 12).sum() > 20, sign


def test_an_exported_picture_carries_the_key_too(qtbot, window):
    image = QImage(window.canvas.size(), QImage.Format.Format_RGB32)
    painter = QPainter(image)
    window.canvas.paint_as_drawn(painter)
    painter.end()
    rect = window.canvas.weight_key_rect.toRect()
    colours = {image.pixelColor(x, y).rgb() for x in range(rect.left(), rect.right(), 2)
               for y in range(rect.top(), rect.bottom(), 2)}  # fmt: skip
    assert len(colours) > 3  # lines and words, not the empty background


def column_rect(canvas, k) -> QRectF:
    col = canvas.layout_geometry.columns[k]
    top_left = canvas.screen_point(col.x - col.half_width, col.top)
    bottom_right = canvas.screen_point(col.x + col.half_width, col.bottom)
    return QRectF(top_left, bottom_right)


@pytest.mark.parametrize(("scale", "size"), [(1.0, (660, 400)), (2.0, (1000, 600)), (2.0, (420, 390))])
def test_the_key_covers_no_neuron(qtbot, scale, size):
    """At 1366x768 the canvas is about 660x400 (in presentation mode at x2 about 420x390, the key 280 px
    wide): ten outputs filled its height and the key sat on the last one and its class name. The key now goes
    under the input column where that leaves room (an image, two inputs), else under the output column,
    moved up; where it is wider than the room beside the output column, every column ends above it."""
    from nnviz.app.canvas.widget import NetworkCanvas
    from nnviz.core.network import Network

    canvas = NetworkCanvas()
    canvas.resize(*size)
    qtbot.addWidget(canvas)
    canvas.set_scale(scale)
    cases = [([784, 16, 16, 10], (28, 28), True), ([30, 8, 10], None, False), ([2, 2, 2], None, True)]
    for sizes, image_shape, left in cases:
        canvas.set_network(Network.create(sizes, "sigmoid", "softmax", seed=0), image_shape)
        canvas.set_output_names([str(d) for d in range(sizes[-1])])
        key = canvas.weight_key_rect
        assert (key.center().x() < canvas.width() / 2) == (left and size[0] > 420), sizes
        for k in range(len(sizes)):
            assert not key.intersects(column_rect(canvas, k)), (sizes, k)
    columns = canvas.layout_geometry.columns
    assert columns[-1].ys.tolist() == columns[1].ys.tolist()  # the classic example's outputs stay level
