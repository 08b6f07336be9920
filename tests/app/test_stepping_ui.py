"""Stepping through a forward and backward pass from the window: keys, buttons, canvas highlight, math."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from nnviz.app.main_window import MainWindow
from nnviz.app.panels.math_text import num
from nnviz.app.session import Session
from nnviz.core.document import Project
from nnviz.core.network import Network


@pytest.fixture
def canvas_states(window, monkeypatch):
    """Every (computed, current, gradients) the window hands the canvas."""
    states = []
    original = window.canvas.set_step_state

    def record(computed, current, gradients=None):
        states.append((computed, current, gradients))
        original(computed, current, gradients)

    monkeypatch.setattr(window.canvas, "set_step_state", record)
    return states


def test_n_key_steps_one_neuron_highlights_it_and_the_math_shows_the_trace(qtbot, window, canvas_states):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N)
    trace = window.session.trace
    computed, current, _ = canvas_states[-1]
    assert current == (1, 0)
    assert computed[1].tolist() == [True, False]
    assert not computed[2].any()
    text = window.math_panel.toPlainText()
    assert "Forward pass · h1" in text
    assert num(trace.z[1][0, 0]) in text
    assert num(trace.a[1][0, 0]) in text
    assert "0.15·0.05 + 0.2·0.1 + 0.35" in text


def test_every_forward_step_shows_the_numbers_of_the_core_trace(qtbot, window, canvas_states):
    trace = window.session.trace
    for layer, index in [(1, 0), (1, 1), (2, 0), (2, 1)]:
        window.step_neuron_action.trigger()
        assert canvas_states[-1][1] == (layer, index)
        text = window.math_panel.toPlainText()
        name = ("h", "o")[layer - 1] + str(index + 1)
        assert f"Forward pass · {name}" in text
        assert num(trace.z[layer][0, index]) in text
        assert num(trace.a[layer][0, index]) in text
    assert "in matrix form: out = f(W·in + b)" in window.math_panel.toPlainText()


def test_layer_end_back_and_reset_controls(qtbot, window, canvas_states):
    session = window.session
    window.step_layer_action.trigger()
    assert session.stepper.position == 2
    assert canvas_states[-1][0][1].all()
    window.run_action.trigger()
    assert session.stepper.done
    assert "The error after the update" in window.math_panel.toPlainText()
    gradients = canvas_states[-1][2]
    np.testing.assert_allclose(gradients[0], session.stepper.gradients.weights[0])
    window.back_action.trigger()
    assert session.stepper.position == len(session.stepper.steps) - 1
    window.reset_action.trigger()
    assert session.stepper.position == 0
    assert canvas_states[-1][:2] == (None, None)
    assert "Press N" in window.math_panel.toPlainText()


def test_the_backward_pass_shows_output_error_and_deltas(qtbot, window):
    for _ in range(4):
        window.step_neuron_action.trigger()
    window.step_neuron_action.trigger()
    assert num(0.298371109) in window.math_panel.toPlainText()
    window.step_neuron_action.trigger()
    text = window.math_panel.toPlainText()
    delta = window.session.stepper.gradients.deltas[1][0, 0]
    assert "δ of o1" in text
    assert num(delta) in text
    assert "0.74136507 · 0.1868156" in text  # ∂E/∂out · ∂out/∂net, factor by factor


def test_the_precision_switch_rewrites_the_step_and_is_remembered(qtbot, window):
    from PySide6.QtCore import QSettings

    from nnviz.app.panels.math_panel import SETTINGS_KEY

    window.step_neuron_action.trigger()
    panel = window.math_panel
    panel.digits.setCurrentIndex(panel.digits.findData(4))
    assert "0.5933" in panel.toPlainText()
    assert "0.59326999" not in panel.toPlainText()
    assert QSettings().value(SETTINGS_KEY, type=int) == 4
    panel.digits.setCurrentIndex(panel.digits.findData(8))
    assert "0.59326999" in panel.toPlainText()


def test_the_math_panel_and_nnviz_explain_write_the_same_step(qtbot, window):
    """One source: the panel's section is the walk-through's, figure for figure."""
    from nnviz.core.explain_render import section_text
    from nnviz.core.walkthrough import explain

    for _ in range(8):  # 4 forward, the error, 2 deltas: then the gradients into o1
        window.step_neuron_action.trigger()
    s = window.session
    walk = explain(s.network, [0.05, 0.10], [0.01, 0.99], "mse", 0.5, False)
    expected = section_text(walk.section(("gradient", 2, 0)))
    shown = window.math_panel.toPlainText()
    for figure in ("0.74136507", "0.1868156", "0.59326999", "0.082167041", "0.082667628"):
        assert figure in expected
        assert figure in shown


def test_play_animates_to_the_end_and_stops(qtbot, window):
    window.step_controls.speed.setValue(20)
    window.play_action.setChecked(True)
    qtbot.waitUntil(lambda: window.session.stepper.done, timeout=5000)
    assert not window.play_action.isChecked()
    assert not window.step_controls.timer.isActive()


def test_the_output_panel_shows_prediction_bars_and_loss(qtbot, window):
    panel = window.output_panel
    assert "0.75136507" in panel.prediction.text()
    assert panel.loss.text() == f"loss (mse) = {num(0.298371109)}"
    heights = panel.bars.opts["height"]
    np.testing.assert_allclose(heights, window.session.trace.output[0])


def test_typing_a_target_sets_the_loss_and_a_bad_target_says_why(qtbot, window):
    edit = window.input_panel.target_edit
    edit.setText("0.5, 0.5")
    edit.editingFinished.emit()
    np.testing.assert_allclose(window.session.target, [0.5, 0.5])
    edit.setText("7")
    edit.editingFinished.emit()
    assert "class index" in window.input_panel.error.text()
    np.testing.assert_allclose(window.session.target, [0.5, 0.5])


def test_typing_an_input_value_reruns_the_pass(qtbot, window):
    spin = window.input_panel.spins[0]
    spin.setValue(1.0)
    assert window.session.input.tolist() == [1.0, 0.1]
    np.testing.assert_allclose(window.session.trace.output, window.session.network.forward([1.0, 0.1]))


@pytest.fixture
def digit_window(qtbot, tmp_path):
    session = Session(Project(Network.create([784, 16, 16, 10], "sigmoid", "softmax", seed=3)))
    win = MainWindow(session)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    win.deleteLater()


def test_drawing_on_the_pad_changes_the_input_and_the_output(qtbot, digit_window):
    session, pad = digit_window.session, digit_window.input_panel.pad
    assert pad.shape == (28, 28)
    before = session.trace.output.copy()
    cell = pad._cell()
    start = QPoint(round(10.5 * cell), round(14.5 * cell))
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 8):
        qtbot.mouseMove(pad, QPoint(start.x() + round(step * cell), start.y()))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(start.x() + round(7 * cell), start.y()))
    image = session.input.reshape(28, 28)
    assert image[14, 10] == 1.0
    assert image[14, 17] == 1.0
    assert image[0].sum() == 0.0
    assert not np.allclose(session.trace.output, before)
    pad.clear()
    assert session.input.sum() == 0.0


def test_a_long_sum_is_shortened_in_the_math_panel(qtbot, digit_window):
    digit_window.step_neuron_action.trigger()
    text = digit_window.math_panel.toPlainText()
    assert "(778 more terms)" in text
    assert num(digit_window.session.trace.z[1][0, 0]) in text


def test_dataset_buttons_walk_through_the_samples(qtbot, window):
    from nnviz.core.examples import load_example

    window.session.set_project(load_example("xor"))
    panel, data = window.input_panel, window.session.dataset
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert window.session.sample_index == 1
    assert [s.value() for s in panel.spins] == data.x[1].tolist()
    np.testing.assert_allclose(window.session.trace.a[0][0], data.x[1])
    qtbot.mouseClick(panel.prev_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.prev_button, Qt.MouseButton.LeftButton)
    assert window.session.sample_index == len(data) - 1
    assert panel.sample_label.text().startswith(f"sample {len(data)} of {len(data)}")
    qtbot.mouseClick(panel.random_button, Qt.MouseButton.LeftButton)
    assert 0 <= window.session.sample_index < len(data)


def test_the_update_steps_show_w_plus_and_applying_them_is_one_undo_step(qtbot, window):
    """After the backward steps: an update step per layer, then the new loss; Apply writes the published
    new weights (the classic example keeps its biases) as one undoable command."""
    session, controls = window.session, window.step_controls
    steps = session.stepper.steps
    first_update = next(n for n, s in enumerate(steps) if s.kind == "update")
    session.go_to_step(first_update)
    assert not controls.apply_update_action.isEnabled()  # the gradients are shown, the update not yet
    window.step_neuron_action.trigger()
    text = window.math_panel.toPlainText()
    assert "Update · hidden layer 1 (η = 0.5)" in text
    assert "0.14978072" in text  # w1⁺, published 0.149780716
    window.step_neuron_action.trigger()
    assert "0.35891648" in window.math_panel.toPlainText()  # w5⁺
    window.step_neuron_action.trigger()
    assert "0.29102777" in window.math_panel.toPlainText()  # the new loss
    assert controls.apply_update_action.isEnabled()
    before = session.undo_stack.count()
    controls.apply_update_action.trigger()
    assert session.undo_stack.count() == before + 1
    assert session.undo_stack.undoText() == "apply the update (η = 0.5) to w1…w8"
    net = session.network
    assert net.weights[1][0, 0] == pytest.approx(0.35891648, abs=5e-9)
    assert net.weights[0][0, 0] == pytest.approx(0.149780716, abs=5e-9)
    assert net.biases[0].tolist() == [0.35, 0.35]  # "update biases" is off in the classic example
    assert session.trace.output[0, 0] == pytest.approx(0.742088111, abs=1e-8)  # the pass was re-run
    session.undo_stack.undo()
    assert session.network.weights[1][0, 0] == 0.4
