"""A seeded monkey on the real main window: random clicks, drags, focus changes, keys and menu actions.

Modal dialogs are answered by a timer that rejects whatever `QApplication.activeModalWidget()` is.
Pass: no exception reaches sys.excepthook (pytest-qt fails the test), no Qt warning about threads or
deleted objects, and a final save loads back. Replay a failure with the seed in the test id.
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.core.document import load_project, save_project
from nnviz.core.examples import load_example

# actions that would end the run or block on the file system rather than on a dialog
_SKIPPED = ("quit", "exit", "close")
_KEYS = [
    Qt.Key.Key_Space,
    Qt.Key.Key_Right,
    Qt.Key.Key_Left,
    Qt.Key.Key_Z,
    Qt.Key.Key_Delete,
    Qt.Key.Key_Escape,
]


def _answer_modals() -> None:
    modal = QApplication.activeModalWidget()
    if modal is not None:
        modal.close()


def _menu_actions(actions: list[QAction]) -> list[QAction]:
    """The window's menu commands (pyqtgraph's scene actions expect a right-click first; not menu items)."""
    found = []
    for action in actions:
        if action.menu() is not None:
            found += _menu_actions(action.menu().actions())
        elif action.text():
            found.append(action)
    return found


def _monkey(qtbot, win: MainWindow, rng: random.Random, events: int) -> None:
    menu = _menu_actions(win.menuBar().actions())
    actions = [a for a in menu if not any(s in a.text().lower() for s in _SKIPPED)]
    for _ in range(events):
        widgets = [w for w in win.findChildren(QWidget) if w.isVisible()]  # panels come and go
        target = rng.choice(widgets)
        point = QPoint(rng.randrange(max(target.width(), 1)), rng.randrange(max(target.height(), 1)))
        kind = rng.choice(["click", "click", "drag", "key", "focus", "action"])
        if kind == "click":
            qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=point)
        elif kind == "drag":
            qtbot.mousePress(target, Qt.MouseButton.LeftButton, pos=point)
            qtbot.mouseMove(
                target, QPoint(point.x() + rng.randint(-40, 40), point.y() + rng.randint(-40, 40))
            )
            qtbot.mouseRelease(target, Qt.MouseButton.LeftButton)
        elif kind == "key":
            qtbot.keyClick(target, rng.choice(_KEYS))
        elif kind == "focus":
            target.setFocus()
        else:
            rng.choice(actions).trigger()
        QApplication.processEvents()


@pytest.mark.parametrize(("seed", "events"), [(1, 300), pytest.param(2, 3000, marks=pytest.mark.slow)])
def test_monkey_on_the_main_window(qtbot, qtlog, tmp_path, seed, events):
    answerer = QTimer()
    answerer.timeout.connect(_answer_modals)
    answerer.start(20)
    session = Session(load_example("xor"))
    win = MainWindow(session)
    win.show()
    qtbot.waitExposed(win)
    try:
        _monkey(qtbot, win, random.Random(seed), events)
        path = tmp_path / "after.nnviz"
        save_project(session.project, path)
        assert load_project(path).network.sizes == session.network.sizes
    finally:
        answerer.stop()
        session.undo_stack.setClean()
        win.close()
        win.deleteLater()
    bad = [
        r.message for r in qtlog.records if "thread" in r.message.lower() or "deleted" in r.message.lower()
    ]
    assert not bad
