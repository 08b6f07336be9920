"""Overlay details that keep a paint cheap: only the neurons on screen are drawn, and value labels are
reused laid-out texts that still show the right number in the right place."""

import numpy as np
from PySide6.QtGui import QImage, QPainter, QTransform

from nnviz.app.canvas import overlay
from nnviz.app.canvas.layout import Layout
from nnviz.app.canvas.palette import CanvasPalette
from nnviz.core.network import Network


def state_for(layout, view):
    net = Network.create(layout.sizes, "tanh", seed=0)
    return overlay.OverlayState(layout, net, CanvasPalette.light(), view, edges=[])


def test_only_neurons_whose_circle_reaches_the_screen_are_visited(qtbot):
    layout = Layout([2, 64, 1], 400, 800)
    col = layout.columns[1]
    image = QImage(400, 800, QImage.Format.Format_RGB32)
    for zoom, dy in ((1.0, 0.0), (4.0, -1200.0), (6.0, -3000.0), (3.0, 500.0)):
        view = QTransform(zoom, 0, 0, zoom, 0, dy)
        painter = QPainter(image)
        visited = set(overlay._on_screen(painter, state_for(layout, view), col))
        painter.end()
        top, bottom = -dy / zoom, (800 - dy) / zoom  # the visible band in layout units
        reaching = {i for i, y in enumerate(col.ys) if y + col.radius >= top and y - col.radius <= bottom}
        assert reaching <= visited
        assert len(visited - reaching) <= 2  # at most one extra at either end


def test_value_labels_are_cached_per_text_and_size():
    font = QImage(1, 1, QImage.Format.Format_RGB32)  # a paint device makes the default font usable
    painter = QPainter(font)
    first = overlay._static_text("0.25", 9, painter.font())
    assert overlay._static_text("0.25", 9, painter.font()) is first
    assert overlay._static_text("0.25", 11, painter.font()) is not first
    assert first.text() == "0.25"
    painter.end()


def test_values_are_drawn_inside_their_neurons(qtbot):
    """A dark label on a light disc: the dark pixels inside each circle are centred on it."""
    layout = Layout([1, 3, 1], 300, 300)
    net = Network([np.ones((3, 1)), np.ones((1, 3))], [np.zeros(3), np.zeros(1)], ["identity", "identity"])
    trace = net.trace(np.array([0.0]))
    palette = CanvasPalette.light()
    state = overlay.OverlayState(layout, net, palette, QTransform(), edges=[[], []],
                                 activations=[np.ravel(a) for a in trace.a])  # fmt: skip
    image = QImage(300, 300, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    overlay.paint_overlay(painter, state)
    painter.end()
    pixels = np.frombuffer(image.constBits(), np.uint32).reshape(300, 300) & 0xFF  # blue channel
    dark = np.argwhere(pixels < 80)
    col = layout.columns[1]
    for y in col.ys:
        near = dark[np.hypot(dark[:, 1] - col.x, dark[:, 0] - y) < col.radius * 0.9]
        assert len(near) > 5  # "0.00" was written inside this neuron
        centre_y, centre_x = near.mean(axis=0)
        assert abs(centre_x - col.x) < 2.5
        assert abs(centre_y - y) < 2.5
