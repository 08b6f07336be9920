"""Maxout in the window: chosen and its pieces edited in the architecture editor (one undo step each),
stepped with every piece and the winner in the math panel, drawn and described on the canvas, inspected."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.panels.architecture_panel import ArchitecturePanel
from nnviz.app.panels.math_text import num
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.document import Project
from nnviz.core.network import Network


@pytest.fixture
def panel(qtbot, session):
    widget = ArchitecturePanel(session)
    qtbot.addWidget(widget)
    return widget


def test_maxout_is_chosen_and_its_pieces_edited_in_the_architecture_editor(qtbot, panel, session):
    before = session.network.copy()
    assert panel.table.cellWidget(1, 3) is None  # sigmoid: no pieces to edit
    panel.table.cellWidget(1, 2).setCurrentText("maxout")
    assert session.network.activations[0].pieces == 2
    assert session.network.weights[0].shape == (4, 2)
    np.testing.assert_array_equal(session.network.weights[0][:2], before.weights[0])  # piece 1 kept
    pieces = panel.table.cellWidget(1, 3)
    pieces.lineEdit().selectAll()
    qtbot.keyClicks(pieces.lineEdit(), "3")
    qtbot.keyClick(pieces.lineEdit(), Qt.Key.Key_Return)
    assert session.network.weights[0].shape == (6, 2)
    assert panel.table.cellWidget(1, 3).value() == 3
    assert "maxout×3" in panel.summary.text()
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.network.activations[0].name == "sigmoid"
    for ours, theirs in zip(session.network.weights, before.weights, strict=True):
        np.testing.assert_array_equal(ours, theirs)


@pytest.fixture
def maxout_window(open_window):
    net = Network.create([2, 3, 2], {"name": "maxout", "pieces": 3}, "sigmoid", seed=4)
    session = Session(Project(net))
    session.set_input([0.4, -0.7])
    return open_window(session)


def test_a_step_shows_each_piece_and_the_winner(maxout_window):
    session = maxout_window.session
    maxout_window.step_neuron_action.trigger()
    step = session.stepper.current
    text = maxout_window.math_panel.toPlainText()
    for p, z in enumerate(step.piece_sums):
        assert f"neth1,{p + 1}" in text  # net_h1,p: each piece's sum on its own line, worked out
        assert num(z).replace("-", "−") in text  # the maths writes a true minus sign
    assert "max(neth1,1, neth1,2, neth1,3)" in text
    assert f"maxout: piece {step.winner + 1} of 3 wins" in text
    assert num(max(step.piece_sums)) in text


def test_the_canvas_draws_piece_one_and_names_the_winning_sum(qtbot, maxout_window):
    canvas = maxout_window.canvas
    qtbot.waitUntil(lambda: canvas._cache is not None, timeout=10000)
    assert not canvas.grab().isNull()
    trace = maxout_window.session.trace
    tip = canvas.describe(Selection.neuron(1, 2))
    assert f"z = {float(trace.a[1][0, 2]):.6g}" in tip  # the winner's sum, which is the neuron's output
    net = maxout_window.session.network
    edge = canvas.describe(Selection.edge(0, 1, 0))
    pieces = ", ".join(f"{w:.4g}" for w in net.weights[0][1::3, 0])
    assert f"the weights of its 3 pieces are {pieces} (piece 1 is drawn)" in edge
    assert "the biases of its 3 pieces" in tip
    assert all(w.shape == (n, m) for w, n, m in zip(canvas.edge_scene().weights, [3, 2], [2, 3], strict=True))


def test_the_inspector_names_each_piece_row(maxout_window):
    session = maxout_window.session
    session.set_selection(Selection.whole_layer(1))
    table = maxout_window.inspector.table
    assert table.rowCount() == 9
    labels = [table.verticalHeaderItem(r).text() for r in range(9)]
    assert labels[:4] == ["h1 piece 1", "h2 piece 1", "h3 piece 1", "h1 piece 2"]


@pytest.fixture
def xor_maxout_window(open_window):
    from nnviz.core.examples import load_example

    session = Session(load_example("xor"))
    session.edit_activation(0, {"name": "maxout", "pieces": 3})
    return open_window(session)


def test_the_window_trains_a_maxout_layer(qtbot, xor_maxout_window):
    """The training process receives the maxout layer (k rows per neuron) and its snapshots come back."""
    session, training = xor_maxout_window.session, xor_maxout_window.training
    before = session.network.weights[0].copy()
    assert before.shape[0] == 3 * session.network.sizes[1]
    training.controller.start()
    qtbot.waitUntil(lambda: len(training.loss_plot.batch.x) > 3, timeout=20000)
    training.controller.pause()
    qtbot.waitUntil(lambda: not np.array_equal(session.network.weights[0], before), timeout=20000)
    assert session.network.weights[0].shape == before.shape
    assert session.network.activations[0].pieces == 3


def test_inspector_and_single_neuron_show_the_winning_piece(maxout_window):
    session = maxout_window.session
    net, trace = session.network, session.trace
    session.set_selection(Selection.edge(0, 1, 0))  # input 1 → neuron 2 of the maxout layer
    view = maxout_window.neuron_view
    view.draw()
    x, y = view.curve.getData()
    rows = [1, 4, 7]
    expected = np.max(np.outer(net.weights[0][rows, 0], x) + net.biases[0][rows, None], axis=0)
    np.testing.assert_allclose(y, expected)  # the largest piece's line, not a sigmoid
    session.set_selection(Selection.neuron(1, 0))  # won by its piece 2 for this input
    assert (
        f"z = {num(trace.a[1][0, 0])}, a = f(z) = {num(trace.a[1][0, 0])}"
        in maxout_window.inspector.neuron_info.text()
    )
