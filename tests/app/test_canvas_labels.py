"""What the canvas's words say: layer titles that name the layer ("hidden layer 1 · 2 neurons · sigmoid"),
never overlap at the window's canvas sizes, and output neurons that carry their class names (0–9 for the
digit network, "red rose" and "white lotus"), on the canvas, in its tooltips and in the output panel."""

import itertools

import numpy as np
import pytest
from PySide6.QtGui import QFont, QTransform

from nnviz.app.canvas import overlay
from nnviz.app.canvas.layout import Layout
from nnviz.app.canvas.palette import CanvasPalette
from nnviz.app.main_window import MainWindow
from nnviz.app.panels.output_panel import OutputPanel
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.examples import load_example
from nnviz.core.network import Network


def titles(sizes, width, height, image_shape=None, hidden="sigmoid", output="sigmoid"):
    net = Network.create(sizes, hidden, output, seed=0)
    layout = Layout(sizes, width, height, image_shape)
    state = overlay.OverlayState(layout, net, CanvasPalette.light(), QTransform(), edges=[])
    font = QFont()
    font.setPixelSize(13)
    return overlay.layer_titles(state, font, width)


def test_the_classic_layers_say_what_they_are():
    texts = [text.replace("\n", " · ") for _, text, _ in titles([2, 2, 2], 900, 400)]
    assert texts == [
        "input layer · 2 neurons",
        "hidden layer 1 · 2 neurons · sigmoid",
        "output layer · 2 neurons · sigmoid",
    ]


def test_image_input_single_neuron_and_maxout_titles():
    texts = [t.replace("\n", " · ") for _, t, _ in titles([784, 16, 1], 1200, 700, (28, 28), "relu")]
    assert texts == [
        "input layer · 28×28 pixels",
        "hidden layer 1 · 16 neurons · relu",
        "output layer · 1 neuron · sigmoid",
    ]
    net = Network.create([2, 3, 1], {"name": "maxout", "pieces": 3}, seed=0)
    assert overlay._label(net, Layout([2, 3, 1], 600, 400), 1) == ("hidden layer 1", "3 neurons · maxout×3")


@pytest.mark.parametrize(
    ("sizes", "image_shape", "width", "height"),
    [
        ([2, 2, 2], None, 725, 420),  # the classic example's canvas in a 1366x768 window
        ([784, 16, 16, 10], (28, 28), 660, 420),  # the digit network's
        ([784, 16, 16, 10], (28, 28), 420, 300),  # a small canvas: two lines, then a smaller font
        ([3, 4, 4, 2], None, 660, 420),
    ],
)
def test_titles_stay_on_screen_and_never_overlap(sizes, image_shape, width, height):
    rects = [rect for rect, _, _ in titles(sizes, width, height, image_shape)]
    for rect in rects:
        assert rect.left() >= 0
        assert rect.right() <= width
        assert rect.top() >= 0
    for a, b in itertools.pairwise(rects):
        assert not a.intersects(b), (a, b)


def test_session_output_names_come_from_the_data_when_they_name_every_output():
    assert Session(load_example("digits8")).output_names == [str(d) for d in range(10)]
    assert Session(load_example("rose_lotus")).output_names == ["red rose", "white lotus"]
    assert Session(load_example("classic")).output_names is None  # regression targets: no classes


@pytest.fixture
def rose_window(qtbot):
    win = MainWindow(Session(load_example("rose_lotus")))
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.session.undo_stack.setClean()
    win.close()
    win.deleteLater()


def test_the_canvas_names_the_outputs_and_makes_room_for_them(rose_window):
    canvas = rose_window.canvas
    assert canvas._output_names == ["red rose", "white lotus"]
    assert "class white lotus" in canvas.describe(Selection.neuron(3, 1))
    assert "class" not in canvas.describe(Selection.neuron(2, 1))
    without = Layout(canvas._layout.sizes, canvas.width(), canvas.height())
    assert canvas._layout.columns[-1].x < without.columns[-1].x  # moved left: the names fit on screen
    room = canvas.width() - canvas._layout.columns[-1].x - canvas._layout.columns[-1].radius
    assert room >= overlay.output_names_width(["white lotus"], canvas.font()) - 4
    canvas.set_output_names(None)
    assert canvas._layout.columns[-1].x == pytest.approx(without.columns[-1].x)


def test_the_output_panel_labels_the_digit_outputs_0_to_9(qtbot):
    session = Session(load_example("digits8"))
    panel = OutputPanel(session)
    qtbot.addWidget(panel)
    assert [name for _, name in panel._ticks[0]] == [str(d) for d in range(10)]
    assert panel.prediction.text().startswith(
        f"prediction: class {int(np.argmax(session.trace.output[0]))} ("
    )


def test_render_names_the_outputs_as_the_window_does(qapp, tmp_path):
    from nnviz.app.files.render import render_to_file

    out = render_to_file(load_example("rose_lotus"), tmp_path / "rose.svg", 800, 500)
    text = out.read_text()
    assert "red rose" in text
    assert "white lotus" in text
    assert "output layer" in text
