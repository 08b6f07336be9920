"""Absurd numbers through the real window: a clear message or a bounded working state, no traceback.

pytest-qt fails a test on any exception reaching sys.excepthook, so each case only has to drive the
widgets and check the state the user is left in.
"""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.app.main_window import MainWindow
from nnviz.app.selection import Selection
from nnviz.app.session import Session
from nnviz.core.document import Project
from nnviz.core.examples import load_example
from nnviz.core.network import Network


@pytest.fixture
def open_window(qtbot):
    windows = []

    def open_(project):
        session = Session(project)
        win = MainWindow(session)
        win.show()
        qtbot.waitExposed(win)
        windows.append(win)
        return win, session

    yield open_
    for win in windows:
        win.session.undo_stack.setClean()
        win.close()
        win.deleteLater()


def test_weight_1e308_typed_into_the_layer_table_keeps_the_window_working(qtbot, qtlog, open_window):
    win, session = open_window(load_example("classic"))
    session.set_selection(Selection("layer", 1, None, None))
    qtbot.wait(50)
    win.inspector.table.item(0, 0).setText("1e308")
    qtbot.wait(50)
    assert session.network.weights[0][0, 0] == 1e308
    # regression: refilling the table re-inserted its own items and Qt warned once per cell
    assert not [r for r in qtlog.records if "cannot insert an item" in r.message]
    win.inspector.table.item(0, 1).setText("1e999")  # overflows to inf: refused with a message
    qtbot.wait(50)
    assert "not a finite number" in win.inspector.error.text()
    session.undo_stack.undo()
    assert session.network.weights[0][0, 0] != 1e308


def test_weight_spin_box_clamps_a_huge_typed_value(qtbot, open_window):
    win, session = open_window(load_example("classic"))
    session.set_selection(Selection("edge", 0, 0, 0))
    win.inspector.weight_editor.spin.setValue(1e308)
    qtbot.wait(50)
    assert abs(session.network.weights[0][0, 0]) <= 1e6


def test_a_layer_of_10000_neurons_opens(qtbot, open_window):
    project = Project(Network.create([2, 10_000, 1], seed=0), None, None, None, None)
    win, session = open_window(project)
    qtbot.wait(100)
    assert np.isfinite(session.network.forward(np.zeros((1, 2)))).all()
    assert win.isVisible()


def test_learning_rate_1e6_is_clamped_by_the_training_panel(qtbot, open_window):
    win, _ = open_window(load_example("xor"))
    box = win.training.panel.learning_rate
    box.setValue(1e6)
    qtbot.wait(20)
    assert box.value() <= box.maximum() <= 10.0
