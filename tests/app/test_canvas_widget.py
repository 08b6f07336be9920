"""NetworkCanvas driven through real mouse events (offscreen): selection, weight drags, background edges."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QNativeGestureEvent, QPalette, QPointingDevice, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from nnviz.app.canvas import widget as canvas_widget
from nnviz.app.canvas.palette import CanvasPalette
from nnviz.app.canvas.widget import NetworkCanvas
from nnviz.app.selection import Selection
from nnviz.core.network import Network

pytestmark = pytest.mark.qt_log_level_fail("WARNING")


def network(sizes, seed=0):
    return Network.create(sizes, "tanh", seed=seed)


@pytest.fixture
def canvas(qtbot):
    widget = NetworkCanvas()
    widget.resize(900, 560)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show(qtbot, canvas, net, image_shape=None):
    with qtbot.waitSignal(canvas.edges_rendered, timeout=20000):
        canvas.set_network(net, image_shape)


def neuron_point(canvas, layer, index):
    col = canvas.layout_geometry.columns[layer]
    return canvas.screen_point(col.xs[index], col.ys[index]).toPoint()


def edge_midpoint(canvas, k, j, i):
    x1, y1, x2, y2 = canvas.layout_geometry.edge_points(k, np.array([j]), np.array([i]))[0]
    return canvas.screen_point((x1 + x2) / 2, (y1 + y2) / 2).toPoint()


def click(qtbot, canvas, point, modifier=Qt.KeyboardModifier.NoModifier):
    with qtbot.waitSignal(canvas.selection_requested) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, modifier, point)
    return blocker.args[0]


def pixel(canvas, point):
    return canvas.grab().toImage().pixelColor(point)


def test_clicking_a_neuron_an_edge_a_layer_title_and_empty_space(qtbot, canvas):
    show(qtbot, canvas, network([2, 3, 1]))
    assert click(qtbot, canvas, neuron_point(canvas, 1, 2)) == Selection.neuron(1, 2)
    assert click(qtbot, canvas, edge_midpoint(canvas, 1, 0, 1)) == Selection.edge(1, 0, 1)
    assert click(qtbot, canvas, edge_midpoint(canvas, 0, 2, 0)) == Selection.edge(0, 2, 0)
    layout = canvas.layout_geometry
    title = canvas.screen_point(layout.columns[2].x, layout.title_y(2)).toPoint()
    assert click(qtbot, canvas, title) == Selection.whole_layer(2)
    assert click(qtbot, canvas, QPoint(5, canvas.height() - 5)) is None


def test_clicking_a_receptive_field_pixel_selects_that_input_weight(qtbot, canvas):
    net = network([64, 6, 3])
    show(qtbot, canvas, net, image_shape=(8, 8))
    layout = canvas.layout_geometry
    canvas.set_network(net, image_shape=[8, 8])  # the same shape as a list: nothing changed
    assert canvas.layout_geometry is layout
    assert not canvas.rendering  # unchanged weights: the cached edge image still holds
    x, y, size, _ = canvas.layout_geometry.field_rect(4)
    cell = size / 8
    point = canvas.screen_point(x + 2.5 * cell, y + 7.5 * cell).toPoint()
    assert click(qtbot, canvas, point) == Selection.edge(0, 4, 7 * 8 + 2)


def test_ctrl_drag_on_an_edge_changes_its_weight_as_one_finished_drag(qtbot, canvas):
    net = network([2, 3, 1])
    show(qtbot, canvas, net)
    seen = []

    def apply(k, j, i, value):  # what the Session does: set the weight, hand the network back
        seen.append(value)
        net.set_weight(k, j, i, value)
        canvas.set_network(net)

    canvas.weight_dragged.connect(apply)
    start = edge_midpoint(canvas, 1, 0, 1)
    old = float(net.weights[1][0, 1])
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, start)
    qtbot.mouseMove(canvas, start - QPoint(0, 30))
    qtbot.mouseMove(canvas, start - QPoint(0, 60))
    with qtbot.waitSignal(canvas.weight_drag_finished) as finished:
        qtbot.mouseRelease(
            canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, start - QPoint(0, 60)
        )
    k, j, i, before, after = finished.args
    assert (k, j, i, before) == (1, 0, 1, old)
    assert after > old  # dragging up increases the weight
    assert seen == sorted(seen)
    assert len(seen) == 2
    assert net.weights[1][0, 1] == after


def test_a_changed_weight_shows_before_the_background_render_finishes(qtbot, canvas):
    net = Network([np.full((1, 1), 0.01)], [np.zeros(1)], ["identity"])
    show(qtbot, canvas, net)
    mid = edge_midpoint(canvas, 0, 0, 0)
    net.set_weight(0, 0, 0, -5.0)
    canvas.set_network(net)  # no wait: the overlay must already draw the new (orange, negative) edge
    colour = pixel(canvas, mid)
    negative = QColor(*CanvasPalette.light().negative)
    assert abs(colour.red() - negative.red()) < 40
    assert abs(colour.blue() - negative.blue()) < 60
    assert canvas.rendering  # the edge layer catches up in the background once the edits pause
    with qtbot.waitSignal(canvas.edges_rendered, timeout=20000):
        pass
    assert canvas.edge_scene().weights[0][0, 0] == -5.0
    assert abs(pixel(canvas, mid).red() - negative.red()) < 40


def test_an_edited_weight_is_drawn_from_the_edit_without_comparing_every_weight(qtbot, canvas, monkeypatch):
    net = Network([np.full((1, 1), 0.01)], [np.zeros(1)], ["identity"])
    show(qtbot, canvas, net)
    mid = edge_midpoint(canvas, 0, 0, 0)

    def compared(*_):
        raise AssertionError("every weight was compared with the edge image's")

    monkeypatch.setattr(canvas_widget, "changed_positions", compared)
    net.set_weight(0, 0, 0, -5.0)
    canvas.parameter_edited(0, 0, 0)  # what the edit says it set: W[0][0, 0]
    negative = QColor(*CanvasPalette.light().negative)
    assert abs(pixel(canvas, mid).red() - negative.red()) < 40  # the overlay draws it before any render
    monkeypatch.undo()  # the render that follows is compared with the weights it was made from
    with qtbot.waitSignal(canvas.edges_rendered, timeout=20000):
        pass
    assert canvas.edge_scene().weights[0][0, 0] == -5.0


def test_784_16_16_10_renders_its_edges_in_the_background_and_draws_them(qtbot, canvas):
    net = network([784, 16, 16, 10], seed=3)
    show(qtbot, canvas, net, image_shape=(28, 28))
    image = canvas.grab().toImage()
    layout = canvas.layout_geometry
    # sample the gap between the two hidden layers: edges make it far from uniform
    x0, x1 = (canvas.screen_point(layout.columns[k].x, 0).x() for k in (1, 2))
    samples = [
        image.pixelColor(int(x), int(y))
        for x in np.linspace(x0 + 20, x1 - 20, 40)
        for y in np.linspace(40, canvas.height() - 40, 40)
    ]
    background = QColor(*CanvasPalette.light().background)
    edge_pixels = [c for c in samples if c != background]
    assert len(edge_pixels) > 0.05 * len(samples)
    assert any(c.blue() > c.red() + 60 for c in edge_pixels)  # positive weights: blue
    assert any(c.red() > c.blue() + 60 for c in edge_pixels)  # negative weights: orange
    canvas.set_trace(net.trace(np.random.default_rng(0).random(784)))
    assert pixel(canvas, neuron_point(canvas, 0, 0)) != QColor(*CanvasPalette.light().neutral)


def test_step_state_dims_neurons_not_yet_computed(qtbot, canvas):
    net = network([2, 3, 1])
    show(qtbot, canvas, net)
    canvas.set_trace(net.trace(np.array([0.5, -0.5])))
    computed = [np.ones(2, bool), np.array([True, True, False]), np.zeros(1, bool)]
    canvas.set_step_state(computed, current=(1, 1))
    dim = QColor(*CanvasPalette.light().dim)
    assert pixel(canvas, neuron_point(canvas, 1, 2)) == dim
    assert pixel(canvas, neuron_point(canvas, 2, 0)) == dim
    assert pixel(canvas, neuron_point(canvas, 1, 0)) != dim


def test_tooltip_text_holds_the_numbers_of_the_trace(qtbot, canvas):
    net = network([2, 3, 1])
    show(qtbot, canvas, net)
    trace = net.trace(np.array([0.25, 0.75]))
    canvas.set_trace(trace)
    text = canvas.describe(Selection.neuron(1, 2))
    assert f"z = {trace.z[1][0, 2]:.6g}" in text
    assert f"a = {trace.a[1][0, 2]:.6g}" in text
    assert f"bias = {net.biases[0][2]:.6g}" in text
    assert f"= {net.weights[0][1, 0]:.6g}" in canvas.describe(Selection.edge(0, 1, 0))


def test_wheel_and_pinch_zoom_keep_the_point_under_the_cursor(qtbot, canvas):
    show(qtbot, canvas, network([2, 4, 1]))
    at = QPointF(300, 200)
    before = canvas.view_transform.inverted()[0].map(at)
    event = QWheelEvent(
        at, canvas.mapToGlobal(at), QPoint(), QPoint(0, 240), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(canvas, event)
    assert canvas.view_transform.m11() == pytest.approx(1.44)
    after = canvas.view_transform.inverted()[0].map(at)
    assert (after.x(), after.y()) == pytest.approx((before.x(), before.y()))
    canvas.fit_to_window()
    assert canvas.view_transform.isIdentity()
    pinch = QNativeGestureEvent(
        Qt.NativeGestureType.ZoomNativeGesture, QPointingDevice.primaryPointingDevice(), 2,
        at, at, canvas.mapToGlobal(at), 0.5, QPointF(),
    )  # fmt: skip
    QApplication.sendEvent(canvas, pinch)
    assert canvas.view_transform.m11() == pytest.approx(1.5)
    after = canvas.view_transform.inverted()[0].map(at)
    assert (after.x(), after.y()) == pytest.approx((before.x(), before.y()))
    qtbot.waitUntil(lambda: not canvas.rendering)


def test_dark_system_palette_gives_a_dark_canvas(qtbot, canvas):
    show(qtbot, canvas, network([2, 2]))
    palette = QPalette(canvas.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(30, 30, 30))
    canvas.setPalette(palette)
    assert pixel(canvas, QPoint(3, 3)).lightness() < 80
    qtbot.waitUntil(lambda: not canvas.rendering)


def test_closing_waits_for_the_render_thread(qtbot, canvas):
    canvas.set_network(network([784, 128, 64, 10]), (28, 28))
    canvas.close()
    assert not canvas.rendering


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform's tooltip
def test_hovering_shows_the_numbers_as_a_tooltip(qtbot, canvas):
    net = network([2, 3, 1])
    show(qtbot, canvas, net)
    point = neuron_point(canvas, 1, 0)
    QApplication.sendEvent(canvas, QHelpEvent(QEvent.Type.ToolTip, point, canvas.mapToGlobal(point)))
    assert QToolTip.isVisible()
    assert f"bias = {net.biases[0][0]:.6g}" in QToolTip.text()
    QToolTip.hideText()


def test_dragging_empty_space_pans_without_selecting(qtbot, canvas):
    show(qtbot, canvas, network([2, 3, 1]))
    selections = []
    canvas.selection_requested.connect(selections.append)
    start = QPoint(20, canvas.height() - 20)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, start + QPoint(40, -25))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(40, -25))
    assert (canvas.view_transform.dx(), canvas.view_transform.dy()) == (40, -25)
    assert selections == []
    qtbot.waitUntil(lambda: not canvas.rendering)


def test_without_a_network_the_canvas_says_so_and_selects_nothing(qtbot, canvas):
    show(qtbot, canvas, network([2, 2]))
    canvas.set_network(None)
    assert canvas.layout_geometry is None
    assert click(qtbot, canvas, QPoint(100, 100)) is None
    with pytest.raises(ValueError, match="image shape"):
        canvas.set_network(network([10, 2]), image_shape=(3, 3))


def test_a_resize_keeps_the_same_part_of_the_network_in_view(qtbot, canvas):
    """The layout fits the widget, so a pan in pixels scales with it (a view restored before the window
    was maximized moved the network elsewhere)."""
    show(qtbot, canvas, network([2, 3, 1]))
    canvas.set_view(2.0, 80.0, -40.0)

    def where():  # the neuron's place as a fraction of the widget
        point = neuron_point(canvas, 1, 1)
        return point.x() / canvas.width(), point.y() / canvas.height()

    before = where()
    canvas.resize(canvas.width() * 2, canvas.height() + 100)
    qtbot.waitUntil(lambda: canvas.view[1] == 160.0)
    assert where() == pytest.approx(before, abs=0.01)


def edge_width_in_device_pixels(image, x, y_from, y_to, background):
    """Rows of column `x` of `image` (device pixels) between y_from and y_to that are not background."""
    return sum(image.pixelColor(x, y) != background for y in range(y_from, y_to))


def test_at_a_device_pixel_ratio_of_2_the_edge_image_has_twice_the_pixels_and_lines_as_wide(qtbot, canvas):
    net = Network([np.full((1, 1), 1.0)], [np.zeros(1)], ["identity"])  # one horizontal edge at full width
    show(qtbot, canvas, net)
    one = canvas.rendered_edges
    assert (one.width(), one.height(), one.devicePixelRatio()) == (900, 560, 1.0)
    canvas.devicePixelRatioF = lambda: 2.0  # what a 200 % display (or QT_SCALE_FACTOR=2) reports
    with qtbot.waitSignal(canvas.edges_rendered, timeout=20000):
        canvas.event(QEvent(QEvent.Type.DevicePixelRatioChange))
    two = canvas.rendered_edges
    assert (two.width(), two.height(), two.devicePixelRatio()) == (1800, 1120, 2.0)
    assert two.deviceIndependentSize().toSize() == canvas.size()
    mid = edge_midpoint(canvas, 0, 0, 0)
    background = QColor(*CanvasPalette.light().background)
    thick_1x = edge_width_in_device_pixels(one, mid.x(), mid.y() - 10, mid.y() + 10, background)
    thick_2x = edge_width_in_device_pixels(two, 2 * mid.x(), 2 * mid.y() - 20, 2 * mid.y() + 20, background)
    assert thick_1x >= 2
    assert thick_2x >= 1.5 * thick_1x  # the line keeps its width on screen: about twice the device pixels


def test_after_a_weight_change_the_render_picks_the_strongest_edges_off_the_gui_thread(
    qtbot, canvas, monkeypatch
):
    """784 image inputs: each first-layer neuron draws only its strongest few edges; a weak weight made the
    strongest is drawn once the background render has picked the edges for the new weights."""
    import threading

    from nnviz.app.canvas import edge_layer, widget

    net = network([784, 16, 10], seed=3)
    show(qtbot, canvas, net, image_shape=(28, 28))
    targets, sources = canvas._edges[0]
    drawn = set(sources[targets == 5].tolist())
    weak = next(i for i in range(784) if i not in drawn)
    threads = []

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return widget_pick(*args, **kwargs)

    widget_pick = widget.visible_edges
    monkeypatch.setattr(widget, "visible_edges", recording)
    monkeypatch.setattr(edge_layer, "visible_edges", recording)
    net.set_weight(0, 5, weak, 100.0)
    with qtbot.waitSignal(canvas.edges_rendered, timeout=20000):
        canvas.set_network(net, (28, 28))
    assert threads
    assert threading.main_thread() not in threads
    targets, sources = canvas._edges[0]
    assert weak in sources[targets == 5].tolist()


def test_an_export_is_drawn_at_its_own_pixel_ratio_not_the_screens(qtbot, canvas):
    """On a 200 % display the canvas widens its pens; a picture exported at 1x keeps lines of 1x width."""
    from PySide6.QtGui import QImage, QPainter

    net = Network([np.full((1, 1), 1.0)], [np.zeros(1)], ["identity"])
    show(qtbot, canvas, net)

    def exported_width():
        image = QImage(canvas.size(), QImage.Format.Format_RGB32)
        painter = QPainter(image)
        canvas.paint_as_drawn(painter)
        painter.end()
        mid = edge_midpoint(canvas, 0, 0, 0)
        background = QColor(*CanvasPalette.light().background)
        return edge_width_in_device_pixels(image, mid.x(), mid.y() - 10, mid.y() + 10, background)

    at_1x = exported_width()
    canvas.devicePixelRatioF = lambda: 2.0
    with qtbot.waitSignal(canvas.edges_rendered, timeout=20000):
        canvas.event(QEvent(QEvent.Type.DevicePixelRatioChange))
    assert exported_width() == at_1x


def test_a_render_reads_the_networks_arrays_and_an_edit_leaves_them_as_they_were(qtbot, canvas):
    """The scene a render works on shares the network's arrays (a copy was 15 MB and 6 ms of the GUI thread
    at each snapshot of 784-1024-1024-10); an edit made while it renders changes a copy of its layer."""
    net = network([3, 4, 2])
    show(qtbot, canvas, net)
    scene = canvas.edge_scene()
    assert all(a is b for a, b in zip(scene.weights, net.weights, strict=True))
    old = float(scene.weights[1][1, 2])
    net.set_weight(1, 1, 2, old + 3.0)
    canvas.parameter_edited(1, 1, 2)
    assert scene.weights[1][1, 2] == old
    assert scene.weights[0] is net.weights[0]
    with qtbot.waitSignal(canvas.edges_rendered, timeout=20000):
        pass
    assert canvas.edge_scene().weights[1][1, 2] == old + 3.0
