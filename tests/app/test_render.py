"""`render_to_file`: the canvas drawn headless to PNG and SVG, and clear errors for bad requests."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from nnviz.app.canvas.layout import Layout
from nnviz.app.canvas.palette import CanvasPalette
from nnviz.app.files.render import RenderError, render_to_file
from nnviz.core.document import Project
from nnviz.core.network import Network


@pytest.fixture
def net():
    return Network.create([2, 4, 4, 1], "tanh", seed=2)


def test_png_has_the_requested_size_and_draws_the_neurons(qapp, tmp_path, net):
    out = render_to_file(net, tmp_path / "net.png", 640, 400, inputs=np.array([0.5, -1.0]))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (640, 400)
    layout = Layout(net.sizes, 640, 400)
    background = QColor(*CanvasPalette.light().background)
    assert image.pixelColor(3, 3) == background
    for col in layout.columns:
        assert image.pixelColor(int(col.xs[0]), int(col.ys[0])) != background


def test_svg_is_well_formed_and_holds_the_edges(qapp, tmp_path, net):
    out = render_to_file(net, tmp_path / "net.svg", 800, 500)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg")
    text = out.read_text()
    assert text.count("<polyline") + text.count("<line") + text.count("<path") >= 1
    assert "hidden layer 1" in text
    assert "4 neurons · tanh" in text


def test_project_dataset_image_shape_draws_the_input_as_an_image(qapp, tmp_path):
    net = Network.create([64, 6, 3], "relu", seed=0)
    project = Project(network=net, dataset={"image_shape": [8, 8]})
    out = render_to_file(project, tmp_path / "digits.png", 800, 500, inputs=np.linspace(-1, 1, 64))
    image = QImage(str(out))
    left, top, w, h = Layout(net.sizes, 800, 500, (8, 8)).columns[0].image_rect
    # first and last pixels of the input show opposite signs of the ramp
    first = image.pixelColor(int(left + w / 16), int(top + h / 16))
    last = image.pixelColor(int(left + w * 15 / 16), int(top + h * 15 / 16))
    assert first.red() > first.blue()
    assert last.blue() > last.red()


@pytest.mark.parametrize(
    ("name", "width", "height", "message"),
    [
        ("net.jpg", 100, 100, "must end in .png or .svg"),
        ("net.png", 10, 100, "width must be a whole number"),
        ("net.png", 100, 2.5, "height must be a whole number"),
        ("missing/net.svg", 100, 100, "does not exist"),
        ("missing/net.png", 100, 100, "cannot write"),
    ],
)
def test_bad_requests_fail_with_a_clear_message(qapp, tmp_path, net, name, width, height, message):
    with pytest.raises(RenderError, match=message):
        render_to_file(net, tmp_path / name, width, height)


def test_something_that_is_not_a_network_is_refused(tmp_path):
    with pytest.raises(RenderError, match="network"):
        render_to_file({"layers": []}, tmp_path / "x.png")


def test_receptive_fields_show_each_neurons_incoming_weights_pixel_for_pixel(qapp, tmp_path):
    net = Network.create([64, 6, 3], "relu", seed=0)
    net.weights[0][2] = np.where(np.arange(64) % 8 < 4, 1.0, -1.0)  # neuron 2: left half +, right half -
    out = render_to_file(net, tmp_path / "fields.png", 800, 500)
    image = QImage(str(out))
    x, y, size, _ = Layout(net.sizes, 800, 500, (8, 8)).field_rect(2)
    left = image.pixelColor(int(x + size / 16), int(y + size / 2))
    right = image.pixelColor(int(x + size * 15 / 16), int(y + size / 2))
    positive, negative = (
        QColor(*c) for c in (CanvasPalette.light().positive, CanvasPalette.light().negative)
    )
    assert left == positive
    assert right == negative
