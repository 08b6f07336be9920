"""The canvas without a mouse: arrow keys move the selection between neurons, layers and edges; Enter puts
the focus in the selected item's editor."""

import pytest
from PySide6.QtCore import Qt

from nnviz.app.canvas.keyboard_nav import next_selection
from nnviz.app.selection import Selection

K = Qt.Key
SIZES = [2, 3, 1]
N, E, L = Selection.neuron, Selection.edge, Selection.whole_layer


@pytest.mark.parametrize(
    ("start", "key", "shift", "expected"),
    [
        (None, K.Key_Right, False, N(0, 0)),
        (N(0, 0), K.Key_Down, False, N(0, 1)),
        (N(0, 1), K.Key_Down, False, N(0, 1)),  # the bottom of the column: stays
        (N(0, 1), K.Key_Right, False, N(1, 1)),
        (N(1, 2), K.Key_Right, False, N(2, 0)),  # a shorter column: the nearest row
        (N(2, 0), K.Key_Right, False, N(2, 0)),  # the last layer: stays
        (N(0, 1), K.Key_Right, True, E(0, 0, 1)),  # onto the first edge leaving it
        (N(1, 2), K.Key_Left, True, E(0, 2, 0)),  # onto the first edge arriving
        (E(0, 0, 1), K.Key_Up, False, E(0, 0, 0)),  # another source
        (E(0, 0, 1), K.Key_Down, True, E(0, 1, 1)),  # another target
        (E(0, 2, 1), K.Key_Left, False, N(0, 1)),
        (E(0, 2, 1), K.Key_Right, False, N(1, 2)),
        (L(1), K.Key_Right, False, L(2)),
        (L(1), K.Key_Down, False, N(1, 0)),
    ],
)
def test_arrow_keys_move_the_selection(start, key, shift, expected):
    assert next_selection(start, SIZES, key, shift) == expected


def test_the_arrows_on_the_canvas_select_and_enter_edits_the_bias(qtbot, window):
    canvas, session = window.canvas, window.session
    window.activateWindow()
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    for key in (K.Key_Right, K.Key_Right, K.Key_Down):
        qtbot.keyClick(canvas, key)
    assert session.selection == N(1, 1)
    assert window.inspector.pages.currentWidget() is not window.inspector.empty
    qtbot.keyClick(canvas, K.Key_Return)
    spin = window.inspector.bias_editor.spin
    qtbot.waitUntil(spin.hasFocus)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "0.5")
    qtbot.keyClick(spin.lineEdit(), K.Key_Return)
    assert session.network.biases[0][1] == 0.5


def test_enter_on_an_edge_edits_its_weight(qtbot, window):
    window.session.set_selection(E(1, 0, 1))
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    qtbot.keyClick(window.canvas, K.Key_Enter)
    qtbot.waitUntil(window.inspector.weight_editor.spin.hasFocus)
