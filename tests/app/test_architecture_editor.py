"""The architecture editor drives undoable architecture commands through real widgets."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.edits import architecture as commands
from nnviz.app.panels.architecture_panel import ArchitecturePanel
from nnviz.app.session import Session
from nnviz.core.examples import load_example
from nnviz.core.network import NetworkError


@pytest.fixture
def panel(qtbot, session):
    widget = ArchitecturePanel(session)
    qtbot.addWidget(widget)
    return widget


def _size_box(panel, layer):
    return panel.table.cellWidget(layer, 1)


def _set_size(qtbot, panel, layer, size):
    box = _size_box(panel, layer)
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), str(size))
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)


def test_undo_reverses_every_architecture_edit_exactly(session):
    before = session.network.copy()
    commands.add_neuron(session, 1)
    commands.insert_hidden_layer(session, 2, 5, "relu")
    commands.remove_neuron(session, 1, 0)
    assert session.network.sizes == [2, 2, 5, 2]
    assert session.undo_stack.count() == 3
    for _ in range(3):
        session.undo_stack.undo()
    assert session.network.sizes == before.sizes
    for w, v in zip(
        session.network.weights + session.network.biases, before.weights + before.biases, strict=True
    ):
        np.testing.assert_array_equal(w, v)
    session.undo_stack.redo()
    assert session.network.sizes == [2, 3, 2]


def test_a_layer_removal_is_undone_with_its_weights(session):
    commands.insert_hidden_layer(session, 1, 3, "tanh")
    kept = [w.copy() for w in session.network.weights]
    commands.remove_hidden_layer(session, 1)
    session.undo_stack.undo()
    for w, v in zip(session.network.weights, kept, strict=True):
        np.testing.assert_array_equal(w, v)


def test_an_impossible_edit_pushes_nothing(session):
    with pytest.raises(NetworkError):
        commands.remove_hidden_layer(session, 2)
    assert session.undo_stack.count() == 0


def test_build_784_16_16_10_through_the_panel(qtbot):
    session = Session(load_example("xor"))
    panel = ArchitecturePanel(session)
    qtbot.addWidget(panel)
    assert session.network.sizes == [2, 4, 1]
    _set_size(qtbot, panel, 0, 784)
    _set_size(qtbot, panel, 2, 10)
    _set_size(qtbot, panel, 1, 16)
    panel.table.selectRow(1)
    qtbot.mouseClick(panel.add_layer_button, Qt.MouseButton.LeftButton)
    panel.table.cellWidget(3, 2).setCurrentText("softmax")
    assert session.network.sizes == [784, 16, 16, 10]
    assert session.network.output_activation.name == "softmax"
    assert panel.summary.text().startswith("784-16-16-10")
    assert session.trace.output.shape == (1, 10)
    assert session.input.shape == (784,)


def test_panel_follows_undo_and_explains_refusals(qtbot, panel, session):
    _set_size(qtbot, panel, 1, 5)
    assert session.network.sizes[1] == 5
    session.undo_stack.undo()
    assert _size_box(panel, 1).value() == 2
    panel.table.selectRow(1)
    panel.table.cellWidget(1, 2).setCurrentText("softmax")
    assert "output layer" in panel.message.text()
    assert panel.table.cellWidget(1, 2).currentText() == session.network.activations[0].name


def test_remove_button_only_for_hidden_layers(qtbot, panel, session):
    panel.table.selectRow(0)
    assert not panel.remove_layer_button.isEnabled()
    panel.table.selectRow(1)
    qtbot.mouseClick(panel.remove_layer_button, Qt.MouseButton.LeftButton)
    assert session.network.sizes == [2, 2]


def test_a_hidden_layer_edit_keeps_the_input_editor_and_new_inputs_rebuild_it(qtbot, open_window):
    """The drawing pad of image inputs is built once per inputs and data, not on every architecture edit
    (rebuilding it read every sample of the data for its scale)."""
    window = open_window(Session(load_example("digits8")))
    pad = window.input_panel.pad
    assert pad is not None
    commands.add_neuron(window.session, 1)
    assert window.input_panel.pad is pad
    window.session.set_sample(3)
    assert np.allclose(pad.pixels.ravel() * pad.full_scale, window.session.input)  # still shows the sample
    commands.insert_hidden_layer(window.session, 1, 4, "relu")
    assert window.input_panel.pad is pad
    window.session.undo_stack.undo()
    window.session.undo_stack.undo()
    assert window.input_panel.pad is pad
    xor = load_example("xor")
    window.session.set_project(xor)
    assert window.input_panel.pad is None
    assert len(window.input_panel.spins) == 2


def test_each_layer_control_is_named_for_its_layer(panel, session):
    """A screen reader hears which layer a control edits, not "Architecture spinbox"."""
    assert panel.table.accessibleName() == "Layers"
    names = [_size_box(panel, layer).accessibleName() for layer in range(len(session.network.sizes))]
    assert names == [
        "Neurons in the input layer",
        "Neurons in the hidden layer 1",
        "Neurons in the output layer",
    ]
    activation = panel.table.cellWidget(1, 2)
    assert activation.accessibleName() == "Activation of the hidden layer 1"
    assert "hidden layer 1" in activation.toolTip()
    assert "hidden layer 1" in _size_box(panel, 1).toolTip()
