"""Bugs a teacher met preparing a class, each reproduced through the real widgets: the painter repaints after
each point, the learning rate takes what training takes, a new project starts with a fresh loss plot, a
fresh test fraction and fresh data-panel controls."""

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from nnviz.app.panels.data_painter import DataPainter
from nnviz.app.training.controller import Snapshot
from nnviz.core.examples import load_example
from nnviz.core.training import EpochStats


class _PaintCounter(QObject):
    def __init__(self, widget):
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, _obj, event):
        self.count += event.type() == QEvent.Type.Paint
        return False


def test_the_painter_repaints_after_each_point(qtbot):
    painter = DataPainter()
    qtbot.addWidget(painter)
    painter.resize(400, 460)
    painter.show()
    qtbot.waitExposed(painter)
    counter = _PaintCounter(painter.canvas)
    for n in (1, 2):
        painted = counter.count
        qtbot.mouseClick(painter.canvas, Qt.MouseButton.LeftButton, pos=painter.canvas.rect().center())
        assert len(painter.canvas.labels) == n
        qtbot.waitUntil(lambda p=painted: counter.count > p)  # no resize needed to see the point


def test_the_learning_rate_field_takes_what_training_takes(window, qtbot):
    box = window.training.panel.learning_rate
    box.selectAll()
    qtbot.keyClicks(box, "50")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.value() == 50.0
    assert f"{box.maximum():g}" in box.toolTip()  # the limit is said, not silent


def _huge_snapshot():
    stats = EpochStats(1, 10, 1e304, None, 1e304, None, 1000.0, 0.1)
    return Snapshot([], [], 1, 10, 40, 1e304, [stats])


def test_the_loss_plot_is_empty_in_a_new_project(window, session, qtbot):
    plot = window.training.loss_plot
    plot.add_snapshot(_huge_snapshot())
    qtbot.waitUntil(lambda: plot.loss_plot.viewRange()[1][1] > 1e300)
    session.set_project(load_example("xor"))
    assert all(len(c.getData()[0] if c.getData()[0] is not None else []) == 0 for c in plot.curves.values())
    assert plot.batch.x.size == 0
    QApplication.processEvents()  # the plot settles its range before painting
    assert plot.loss_plot.viewRange()[1][1] < 1e3  # no axis left from a diverged run


def test_test_fraction_and_data_controls_do_not_carry_over_into_the_next_project(window, session):
    from nnviz.core.datasets.projects import default_project

    session.set_project(default_project("spiral"))
    window.training.panel.test_fraction.setValue(0.5)
    panel = window.data_panel
    panel.parameters["noise"].control.setValue(0.4)
    session.set_project(load_example("classic"))
    assert session.test_fraction is None  # chosen afresh for the new data
    assert window.training.panel.test_fraction.value() == 0.0  # classic: too few samples to hold any out
    assert panel.choice.currentIndex() == 0
    defaults = {p.name: p.default for p in panel.parameters.values() for p in [p.parameter]}
    assert {k: e.value() for k, e in panel.parameters.items()} == defaults
    assert np.isfinite(session.input).all()
