"""A weight's sign is not told by colour alone: the canvas carries a key that names each colour's sign."""

import numpy as np
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
    rect = weight_key.key_rect(palette, canvas.width(), canvas.height()).toRect()
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
    palette = CanvasPalette.from_system(window.canvas.palette())
    rect = weight_key.key_rect(palette, image.width(), image.height()).toRect()
    colours = {image.pixelColor(x, y).rgb() for x in range(rect.left(), rect.right(), 2)
               for y in range(rect.top(), rect.bottom(), 2)}  # fmt: skip
    assert len(colours) > 3  # lines and words, not the empty background
