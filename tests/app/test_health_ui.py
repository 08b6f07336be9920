"""Network health in the real window: dead and saturated units marked on the canvas with their reason in the
tooltip, per-gap gradient readouts with an explaining tooltip, the View menu toggle (remembered), throttled
recomputation that always ends on the latest parameters, and nothing without data."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QSettings
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from nnviz.app.canvas.overlay import readout_rects
from nnviz.app.main_window import MainWindow
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.app.training import health as health_ui
from nnviz.core.examples import load_example
from nnviz.core.health import network_health


def open_window(qtbot, project):
    session = Session(project)
    win = MainWindow(session)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def circle_window(qtbot):
    """circle: 2-8-8-1 tanh on 500 points (400 training rows, so the sample is 256 of them)."""
    win = open_window(qtbot, load_example("circle"))
    yield win
    win.session.undo_stack.setClean()
    win.close()
    win.deleteLater()


def settle(qtbot, win):
    """Wait for the trailing (throttled) refresh, if one is pending."""
    qtbot.waitUntil(lambda: not win.health._timer.isActive(), timeout=5000)


def wait_for(qtbot, condition):
    """Edits reach the training worker, whose next snapshot may briefly carry an older value back into the
    session before the newest one arrives: wait until the canvas shows the condition."""
    qtbot.waitUntil(condition, timeout=10000)


def test_a_relu_unit_pushed_below_zero_is_marked_dead_with_its_reason(qtbot, circle_window):
    win, s = circle_window, circle_window.session
    s.edit_activation(0, "relu")
    s.edit_bias(0, 3, -100.0)
    wait_for(qtbot, lambda: bool(win.canvas.health.layers[0].dead.any()))
    health = win.canvas.health
    assert health.rows == 256
    assert np.flatnonzero(health.layers[0].dead).tolist() == [3]
    assert "dead: output 0 on all 256 rows" in win.canvas.describe(Selection.neuron(1, 3))
    assert "dead" not in win.canvas.describe(Selection.neuron(1, 2))


def test_a_tanh_unit_with_a_huge_bias_is_marked_saturated(qtbot, circle_window):
    win, s = circle_window, circle_window.session
    s.edit_bias(1, 5, 1e3)  # z = w·a + 1000 sits on tanh's flat top on every row
    wait_for(qtbot, lambda: bool(win.canvas.health.layers[1].saturated.any()))
    assert np.flatnonzero(win.canvas.health.layers[1].saturated).tolist() == [5]
    assert "saturated: slope below 1 % of its maximum" in win.canvas.describe(Selection.neuron(2, 5))


def test_the_markers_are_painted_in_the_health_colours(qtbot, circle_window):
    win, s, canvas = circle_window, circle_window.session, circle_window.canvas
    s.edit_activation(0, "relu")
    s.edit_bias(0, 3, -100.0)
    s.edit_bias(1, 5, 1e3)
    wait_for(qtbot, lambda: win.canvas.health.layers[0].dead[3] and win.canvas.health.layers[1].saturated[5])
    settle(qtbot, win)
    qtbot.waitUntil(lambda: not canvas.rendering, timeout=5000)

    def colours_near(layer, index, image):
        col = canvas.layout_geometry.columns[layer]
        centre = canvas.screen_point(col.x, col.ys[index])
        reach = int(col.radius * canvas.view_transform.m11()) + 6
        return {
            image.pixelColor(int(centre.x()) + dx, int(centre.y()) + dy).getRgb()[:3]
            for dx in range(-reach, reach + 1)
            for dy in range(-reach, reach + 1)
        }

    def has(colours, name):
        target = QColor(*getattr(canvas._palette, name))
        return any(max(abs(a - b) for a, b in zip(c, target.getRgb()[:3], strict=True)) < 12 for c in colours)

    shown = canvas.grab().toImage()
    assert has(colours_near(1, 3, shown), "danger")
    assert has(colours_near(2, 5, shown), "warning")
    assert not has(colours_near(1, 2, shown), "danger")
    win.health.toggle_action.setChecked(False)
    hidden = canvas.grab().toImage()
    assert not has(colours_near(1, 3, hidden), "danger")
    assert not has(colours_near(2, 5, hidden), "warning")


def test_gradient_readouts_match_the_core_and_explain_themselves(qtbot, circle_window):
    win, s, canvas = circle_window, circle_window.session, circle_window.canvas
    health = canvas.health
    data = win.training.data
    rows = win.health._rows(data)
    expected = network_health(s.network, rows[0], rows[1], s.loss_name)
    assert [g.rms for g in health.gradients] == pytest.approx([g.rms for g in expected.gradients])
    rects = readout_rects(canvas.layout_geometry, canvas.view_transform, canvas.height())
    assert len(rects) == 3
    for k, rect in enumerate(rects):
        assert canvas.readout_at(rect.center()) == k
        assert 0 <= rect.bottom() <= canvas.height()
    assert canvas.readout_at(QPointF(canvas.width() / 2, 2)) is None
    # every readout sits between its two columns
    for k, rect in enumerate(rects):
        left = canvas.screen_point(canvas.layout_geometry.columns[k].x, 0).x()
        right = canvas.screen_point(canvas.layout_geometry.columns[k + 1].x, 0).x()
        assert left < rect.center().x() < right
    point = rects[1].center().toPoint()
    QApplication.sendEvent(canvas, QHelpEvent(QEvent.Type.ToolTip, point, canvas.mapToGlobal(point)))
    assert QToolTip.text().startswith("weights from layer 1 to layer 2: gradient of the loss on 256 training")
    assert f"RMS of dL/dW = {health.gradients[1].rms:.3g}" in QToolTip.text()
    QToolTip.hideText()


def test_the_view_menu_toggle_turns_health_off_and_is_remembered(qtbot, circle_window):
    win = circle_window
    view = next(a.menu() for a in win.menuBar().actions() if a.text() == "&View")
    texts = [a.text() for a in view.actions()]
    assert texts[0] == "&Fit to window"
    assert "Show network &health" in texts[1:3]  # with the neuron-map toggle, after Fit to window
    action = win.health.toggle_action
    assert action.isCheckable()
    assert action.isChecked()
    assert win.canvas.health is not None
    action.trigger()
    assert win.canvas.health is None
    assert win.health.health is None
    assert QSettings().value(health_ui.SETTINGS_KEY, type=bool) is False
    win.session.edit_bias(0, 0, 0.5)  # edits while off compute nothing
    settle(qtbot, win)
    assert win.canvas.health is None
    again = open_window(qtbot, load_example("circle"))
    try:
        assert not again.health.toggle_action.isChecked()
        assert again.canvas.health is None
    finally:
        again.close()
        again.deleteLater()


def test_a_burst_of_edits_is_throttled_and_ends_on_the_last_parameters(qtbot, circle_window, monkeypatch):
    win, s = circle_window, circle_window.session
    calls = []

    def counting(*args, **kwargs):
        calls.append(1)
        return network_health(*args, **kwargs)

    monkeypatch.setattr(health_ui, "network_health", counting)
    s.edit_activation(0, "relu")
    for step in range(60):
        s.edit_bias(0, 3, -100.0 if step == 59 else 0.1 * step)
    assert len(calls) < 10
    wait_for(qtbot, lambda: win.canvas.health.layers[0].dead[3])  # the final bias, not an intermediate one


def test_without_data_there_is_no_health(qtbot):
    project = load_example("circle")
    project.dataset = None
    win = open_window(qtbot, project)
    try:
        assert win.training.data is None
        assert win.health.health is None
        assert win.canvas.health is None
        win.session.edit_bias(0, 0, 2.0)
        settle(qtbot, win)
        assert win.canvas.health is None
    finally:
        win.session.undo_stack.setClean()
        win.close()
        win.deleteLater()


def test_training_updates_health_and_pausing_shows_the_final_network(qtbot, circle_window):
    win, training = circle_window, circle_window.training
    before = win.canvas.health
    seen = []
    win.session.parameters_changed.connect(lambda: seen.append(win.canvas.health))
    training.controller.start()
    qtbot.waitUntil(lambda: len({id(h) for h in seen}) >= 3, timeout=20000)
    training.controller.pause()
    qtbot.waitUntil(lambda: not training.controller.running, timeout=20000)
    qtbot.wait(300)  # any snapshot still in flight lands
    settle(qtbot, win)
    s = win.session
    x, y = win.health._rows(training.data)
    final = network_health(s.network, x, y, s.loss_name)
    assert win.canvas.health is not before
    assert [g.rms for g in win.canvas.health.gradients] == pytest.approx([g.rms for g in final.gradients])


def test_a_large_network_is_checked_on_a_worker_thread_and_its_latest_health_shown(
    qtbot, circle_window, monkeypatch
):
    """Above WORKER_PARAMETERS (here: any network) the pass runs off the GUI thread, on a copy."""
    import threading

    win, s = circle_window, circle_window.session
    threads = []

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return network_health(*args, **kwargs)

    monkeypatch.setattr(health_ui, "WORKER_PARAMETERS", 0)
    monkeypatch.setattr(health_ui, "network_health", recording)
    s.edit_activation(0, "relu")
    settle(qtbot, win)
    qtbot.waitUntil(lambda: not win.health.pending, timeout=10000)
    s.edit_bias(0, 3, -100.0)
    settle(qtbot, win)
    qtbot.waitUntil(lambda: not win.health.pending, timeout=10000)
    assert threads
    assert threading.main_thread() not in threads
    assert win.canvas.health.layers[0].dead[3]  # the latest parameters' health, not an earlier one
    x, y = win.health._rows(win.training.data)
    expected = network_health(s.network, x, y, s.loss_name)
    assert [g.rms for g in win.canvas.health.gradients] == pytest.approx([g.rms for g in expected.gradients])


def test_the_worker_reads_the_networks_arrays_and_an_edit_meanwhile_leaves_them_as_they_were(
    qtbot, circle_window, monkeypatch
):
    """No copy of the network for the worker (15 MB at 1.86M weights, at each snapshot): it shares the
    arrays, and an edit made while it reads them changes a copy of the layer."""
    import threading

    win, s = circle_window, circle_window.session
    read, go = [], threading.Event()

    def reading(net, *args, **kwargs):
        go.wait(10)
        read.append((net, float(net.biases[0][3])))
        return network_health(net, *args, **kwargs)

    monkeypatch.setattr(health_ui, "WORKER_PARAMETERS", 0)
    monkeypatch.setattr(health_ui, "network_health", reading)
    old = float(s.network.biases[0][3])
    win.health.refresh()
    assert win.health.pending
    s.edit_bias(0, 3, old - 50.0)  # while the worker waits to read
    go.set()
    qtbot.waitUntil(lambda: len(read) >= 1, timeout=10000)
    net, seen = read[0]
    assert seen == old
    assert net.weights[0] is s.network.weights[0]  # shared, not copied
    assert s.network.biases[0][3] == old - 50.0
