"""The data painter: clicks, shift-clicks, drags and right-clicks make the points a person expects, and the
points become the session's data (network resized) or a CSV the import reads back."""

import csv

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from nnviz.app.panels.data_painter import DataPainter
from nnviz.core.dataset_ref import load_file


def _painter(qtbot, session=None):
    painter = DataPainter(session)
    qtbot.addWidget(painter)
    painter.resize(400, 460)
    painter.show()
    qtbot.waitExposed(painter)
    return painter


def _move(canvas, pos, buttons):
    event = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        QPointF(pos),
        QPointF(canvas.mapToGlobal(pos)),
        Qt.MouseButton.NoButton,
        buttons,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, event)


def test_click_adds_chosen_class_and_shift_click_the_next(qtbot):
    painter = _painter(qtbot)
    canvas = painter.canvas
    painter.current.setValue(1)
    centre = canvas.rect().center()
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseClick(
        canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, centre + QPoint(50, 0)
    )
    assert canvas.labels.tolist() == [1, 0]  # shift wraps to the next class of two
    np.testing.assert_allclose(canvas.points[0], [0, 0], atol=0.02)
    assert canvas.points[1][0] > 0.1
    assert abs(canvas.points[1][1]) < 0.02
    assert painter.count.text().startswith("2 points")


def test_any_number_of_classes(qtbot):
    painter = _painter(qtbot)
    painter.classes.setValue(5)
    painter.current.setValue(4)
    qtbot.mouseClick(painter.canvas, Qt.MouseButton.LeftButton, pos=painter.canvas.rect().center())
    assert painter.canvas.labels.tolist() == [4]
    assert painter.dataset().n_classes == 5


def test_drag_sprays_and_right_click_erases(qtbot):
    painter = _painter(qtbot)
    canvas = painter.canvas
    start = canvas.rect().center() + QPoint(-60, -60)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    for step in range(10):
        _move(canvas, start + QPoint(step * 3, 0), Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start)
    assert len(canvas.labels) == 11  # the press and one per move
    far = canvas.rect().center() + QPoint(80, 80)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=far)
    qtbot.mouseClick(canvas, Qt.MouseButton.RightButton, pos=far)
    assert len(canvas.labels) == 11  # only the point under the cursor went
    painter.clear_button.click()
    assert len(canvas.labels) == 0


def test_save_csv_reads_back(qtbot, tmp_path):
    painter = _painter(qtbot)
    for dx, label in ((-40, 0), (40, 1), (0, 1)):
        painter.current.setValue(label)
        qtbot.mouseClick(
            painter.canvas, Qt.MouseButton.LeftButton, pos=painter.canvas.rect().center() + QPoint(dx, 0)
        )
    path = tmp_path / "painted.csv"
    painter.save_csv(str(path))
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["x1", "x2", "label"]
    data = load_file(str(path), ["label"])
    np.testing.assert_allclose(data.x, painter.canvas.points)
    assert data.y.reshape(-1).tolist() == [0, 1, 1]


def test_use_as_dataset_resizes_the_network(qtbot, session):
    painter = _painter(qtbot, session)
    painter.classes.setValue(3)
    for i, label in enumerate((0, 1, 2, 2)):
        painter.current.setValue(label)
        qtbot.mouseClick(painter.canvas, Qt.MouseButton.LeftButton, pos=QPoint(100 + 30 * i, 150))
    with qtbot.waitSignal(session.network_changed):
        painter.use_button.click()
    assert len(session.dataset) == 4
    assert session.network.sizes[0] == 2
    assert session.network.sizes[-1] == 3
    assert session.project.dataset["kind"] == "inline"
    np.testing.assert_allclose(session.dataset.x, painter.canvas.points)


def test_use_as_dataset_is_one_undo_step(qtbot, session):
    before = session.network.copy()
    painter = _painter(qtbot, session)
    for i in range(3):
        qtbot.mouseClick(painter.canvas, Qt.MouseButton.LeftButton, pos=QPoint(100 + 30 * i, 150))
    assert painter.use_as_dataset()
    assert session.project.dataset["kind"] == "inline"
    assert len(session.dataset) == 3
    assert not session.undo_stack.isClean()
    session.undo_stack.undo()
    assert session.network.describe() == before.describe()
    assert session.project.dataset["x"] == [[0.05, 0.1]]  # the classic example's own sample
    assert len(session.dataset) == 1
