"""The inspector driven through the real window: click on the canvas, edit, watch the output, undo."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from nnviz.app.selection import Selection


def click_edge(qtbot, canvas, k, j, i, along=0.25):
    """Click on the drawn edge W[k][j, i], a quarter of the way along (away from where edges cross)."""
    x1, y1, x2, y2 = canvas.layout_geometry.edge_points(k, np.array([j]), np.array([i]))[0]
    point = canvas.screen_point(x1 + along * (x2 - x1), y1 + along * (y2 - y1))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(point.x()), round(point.y())))


def test_clicking_an_edge_selects_it_and_the_inspector_shows_its_weight(qtbot, window):
    click_edge(qtbot, window.canvas, 1, 0, 1)
    assert window.session.selection == Selection.edge(1, 0, 1)
    assert window.inspector.pages.currentWidget() is window.inspector.edge_page
    assert window.inspector.weight_editor.spin.value() == pytest.approx(0.45)
    assert window.inspector.title.text() == "Weight w6 (h2 → o1)"


def test_typing_a_weight_changes_network_and_output_and_undo_restores_both(qtbot, window):
    session, spin = window.session, window.inspector.weight_editor.spin
    click_edge(qtbot, window.canvas, 1, 0, 1)
    shown_before = window.output_panel.prediction.text()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "-1.5")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert session.network.weights[1][0, 1] == -1.5
    expected = session.network.forward([0.05, 0.10])[0, 0]
    assert f"{expected:.8g}" in window.output_panel.prediction.text()
    assert window.output_panel.prediction.text() != shown_before
    window.undo_action.trigger()
    assert session.network.weights[1][0, 1] == 0.45
    assert window.output_panel.prediction.text() == shown_before
    assert spin.value() == pytest.approx(0.45)


def test_a_slider_drag_is_one_undo_step(qtbot, window):
    session, slider = window.session, window.inspector.weight_editor.slider
    session.set_selection(Selection.edge(0, 0, 0))
    slider.setSliderDown(True)  # what a mouse press on the handle does
    for ticks in (100, 250, 400, 600):
        slider.setValue(ticks)
    slider.setSliderDown(False)
    assert session.network.weights[0][0, 0] == pytest.approx(0.6 * window.inspector.weight_editor._limit)
    assert session.undo_stack.count() == 1
    assert window.undo_action.text().startswith("&Undo set weight w1 ")
    session.undo_stack.undo()
    assert session.network.weights[0][0, 0] == 0.15


def test_each_slider_move_reruns_the_forward_pass_at_once(qtbot, window):
    session, slider = window.session, window.inspector.weight_editor.slider
    session.set_selection(Selection.edge(1, 1, 1))
    slider.setSliderDown(True)
    slider.setValue(-500)
    assert session.network.weights[1][1, 1] < 0
    np.testing.assert_allclose(session.trace.output, session.network.forward([0.05, 0.10]))
    slider.setSliderDown(False)


def test_a_neuron_shows_its_bias_and_activation_and_both_are_editable(qtbot, window):
    session, inspector = window.session, window.inspector
    session.set_selection(Selection.neuron(1, 1))
    assert inspector.pages.currentWidget() is inspector.neuron_page
    assert inspector.bias_editor.spin.value() == pytest.approx(0.35)
    assert inspector.activation_box.currentText() == "sigmoid"
    assert inspector.param_label.text() == "slope"
    inspector.param_spin.setValue(4.0)
    assert session.network.activations[0].params["slope"] == 4.0
    inspector.bias_editor.spin.setValue(-0.5)
    assert session.network.biases[0][1] == -0.5
    inspector.activation_box.setCurrentText("leaky_relu")
    assert session.network.activations[0].name == "leaky_relu"
    assert inspector.param_label.text() == "alpha"
    assert "softmax" not in [
        inspector.activation_box.itemText(i) for i in range(inspector.activation_box.count())
    ]
    assert session.undo_stack.count() == 3


def test_a_layer_shows_its_weight_matrix_and_a_cell_edit_is_undoable(qtbot, window):
    session, table = window.session, window.inspector.table
    session.set_selection(Selection.whole_layer(2))
    assert (table.rowCount(), table.columnCount()) == (2, 3)
    assert table.item(1, 1).text() == "0.55"
    assert table.item(0, 2).text() == "0.6"  # the bias column
    table.item(1, 1).setText("2")
    assert session.network.weights[1][1, 1] == 2.0
    table.item(0, 2).setText("-1")
    assert session.network.biases[1][0] == -1.0
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert table.item(1, 1).text() == "0.55"


def test_a_cell_that_is_not_a_number_is_refused_with_a_message(qtbot, window):
    session, table = window.session, window.inspector.table
    session.set_selection(Selection.whole_layer(1))
    table.item(0, 0).setText("abc")
    assert "not a finite number" in window.inspector.error.text()
    assert session.undo_stack.count() == 0
    assert table.item(0, 0).text() == "0.15"


def test_the_input_layer_says_where_its_values_are_set(window):
    window.session.set_selection(Selection.whole_layer(0))
    assert window.inspector.pages.currentWidget() is window.inspector.empty
    assert window.inspector.title.text() == "Input layer: 2 inputs"
    assert "Input panel" in window.inspector.empty.text()
