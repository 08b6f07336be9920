"""A seeded monkey on the real main window: clicks, drags, wheel turns, keys, focus changes, menu actions and
training started, stepped and paused in between; every modal dialog that pops up is answered at random.

Pass: no exception reaches sys.excepthook (pytest-qt fails the test), no Qt warning about threads or deleted
objects (a Qt message handler records them), and a final save loads back.
Replay: the seed is printed and is in the test id; `MONKEY_SEED=N MONKEY_EVENTS=M python -m pytest
tests/hardening/test_gui_monkey.py -k replay` runs one seed. The events follow from the seed; the widgets on
screen also depend on how far training got, so a replay can drift once training is involved.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, qInstallMessageHandler, qWarning
from PySide6.QtGui import QAction, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QMessageBox,
    QWidget,
)

from nnviz.app.canvas.widget import NetworkCanvas
from nnviz.app.dialogs.csv_import import CsvImportDialog
from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.core.document import load_project, save_project
from nnviz.core.examples import load_example

# actions that would end the run rather than open a dialog
_SKIPPED = ("quit", "exit", "close")
_KEYS = [
    Qt.Key.Key_Space,
    Qt.Key.Key_Right,
    Qt.Key.Key_Left,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_Z,
    Qt.Key.Key_N,
    Qt.Key.Key_L,
    Qt.Key.Key_E,
    Qt.Key.Key_R,
    Qt.Key.Key_F,
    Qt.Key.Key_Backspace,
    Qt.Key.Key_Delete,
    Qt.Key.Key_Escape,
    Qt.Key.Key_Return,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Minus,
    Qt.Key.Key_9,
]
_MODIFIERS = [Qt.KeyboardModifier.NoModifier] * 4 + [
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
]
# what a Qt warning must not say: a thread touching another's objects, or a deleted object still in use
_BAD_QT_WORDS = ("thread", "deleted", "destroyed")


def _skipped(action: QAction) -> bool:
    return any(word in action.text().lower() for word in _SKIPPED)


def _menu_actions(actions: list[QAction]) -> list[QAction]:
    """The window's menu commands (pyqtgraph's scene actions expect a right-click first; not menu items)."""
    found = []
    for action in actions:
        if action.menu() is not None:
            found += _menu_actions(action.menu().actions())
        elif action.text():
            found.append(action)
    return found


class DialogAnswerer:
    """Answers whatever modal dialog is up, at random (seeded): a message box gets one of its buttons, the
    CSV import Import or Cancel, a file dialog one of `files` or a cancel, any other dialog accept/reject."""

    def __init__(self, rng: random.Random, files: list[Path]) -> None:
        self.rng, self.files = rng, files
        self.answered: list[str] = []
        self.timer = QTimer()
        # answered from a single shot, not in the periodic slot: an answer may open another modal dialog
        # (overwrite this file?) whose loop runs inside it, and Qt does not re-enter a timer's own slot
        self.timer.timeout.connect(lambda: QTimer.singleShot(0, self.answer))
        self.timer.start(20)

    def answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            return
        self.answered.append(type(dialog).__name__)
        if isinstance(dialog, QMessageBox) and dialog.buttons():
            self.rng.choice(dialog.buttons()).click()
        elif isinstance(dialog, CsvImportDialog):
            (dialog.import_button if self.rng.random() < 0.6 else dialog.buttons.button(
                dialog.buttons.StandardButton.Cancel
            )).click()  # fmt: skip
        elif isinstance(dialog, QFileDialog) and self.rng.random() < 0.5:
            dialog.selectFile(str(self.rng.choice(self.files)))
            dialog.accept()  # an Open of a missing file stays up: the next tick answers it again
        elif isinstance(dialog, QDialog):
            dialog.accept() if self.rng.random() < 0.5 else dialog.reject()
        else:
            dialog.close()

    def stop(self) -> None:
        self.timer.stop()


class QtWarnings:
    """A Qt message handler (chained to the one before it) that keeps the messages naming a bad word."""

    def __init__(self) -> None:
        self.bad: list[str] = []
        self.previous = qInstallMessageHandler(self.handle)

    def handle(self, mode, context, message: str) -> None:
        if any(word in message.lower() for word in _BAD_QT_WORDS):
            self.bad.append(message)
        if self.previous is not None:
            self.previous(mode, context, message)

    def remove(self) -> None:
        qInstallMessageHandler(self.previous)


def _wheel(target: QWidget, point: QPoint, rng: random.Random) -> None:
    """One wheel notch or a few, either way, optionally with Ctrl (zoom) or Shift, sent where Qt would."""
    if isinstance(target, QAbstractScrollArea):
        target = target.viewport()  # tables and plots take the wheel on their viewport
    delta = QPoint(0, rng.choice([-360, -120, -40, 40, 120, 360]))
    modifiers = rng.choice(_MODIFIERS)
    global_pos = QPointF(target.mapToGlobal(point))
    event = QWheelEvent(
        QPointF(point), global_pos, QPoint(), delta, Qt.MouseButton.NoButton, modifiers,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(target, event)


def _wheel_targets(widgets: list[QWidget]) -> list[QWidget]:
    kinds = (NetworkCanvas, QAbstractSpinBox, QAbstractSlider, QComboBox, QAbstractScrollArea)
    return [w for w in widgets if isinstance(w, kinds)]


def _training(win: MainWindow, rng: random.Random) -> None:
    controller = win.training.controller
    rng.choice([controller.start, controller.pause, controller.step_batch, controller.step_epoch])()


def _monkey(qtbot, win: MainWindow, rng: random.Random, events: int) -> dict[str, int]:
    """Send `events` random events; returns how many of each kind were sent."""
    kinds = ["click", "click", "drag", "wheel", "zoom", "key", "focus", "action", "training"]
    sent = dict.fromkeys(kinds, 0)
    for _ in range(events):
        widgets = [w for w in win.findChildren(QWidget) if w.isVisible()]  # panels come and go
        kind = rng.choice(kinds)
        sent[kind] += 1
        if kind == "zoom":  # the wheel on the canvas
            target = win.canvas
        else:
            target = rng.choice((_wheel_targets(widgets) if kind == "wheel" else None) or widgets)
        point = QPoint(rng.randrange(max(target.width(), 1)), rng.randrange(max(target.height(), 1)))
        if kind == "click":
            button = rng.choice([Qt.MouseButton.LeftButton] * 3 + [Qt.MouseButton.RightButton])
            qtbot.mouseClick(target, button, pos=point)
        elif kind == "drag":
            qtbot.mousePress(target, Qt.MouseButton.LeftButton, rng.choice(_MODIFIERS), point)
            qtbot.mouseMove(
                target, QPoint(point.x() + rng.randint(-40, 40), point.y() + rng.randint(-40, 40))
            )
            qtbot.mouseRelease(target, Qt.MouseButton.LeftButton)
        elif kind in ("wheel", "zoom"):
            _wheel(target, point, rng)
        elif kind == "key":
            qtbot.keyClick(target, rng.choice(_KEYS), rng.choice(_MODIFIERS))
        elif kind == "focus":
            target.setFocus()
        elif kind == "action":  # menus are read afresh: Open Recent rebuilds its actions
            actions = [a for a in _menu_actions(win.menuBar().actions()) if not _skipped(a)]
            rng.choice(actions).trigger()
        else:
            _training(win, rng)
        QApplication.processEvents()
    return sent


def _files_for_dialogs(folder: Path) -> list[Path]:
    """What a file dialog may be answered with: a good project, a CSV, an NPZ, garbage, a new name."""
    save_project(load_example("classic"), folder / "classic.nnviz")
    (folder / "points.csv").write_text("a,b,label\n0,0,x\n1,0,y\n0,1,y\n1,1,x\n")
    np.savez(folder / "blobs.npz", X=np.eye(3), y=np.arange(3))
    (folder / "garbage.nnviz").write_bytes(b"\x00{not json")
    return [folder / n for n in ("classic.nnviz", "points.csv", "blobs.npz", "garbage.nnviz", "new.nnviz")]


def _run_monkey(qtbot, tmp_path, seed: int, events: int) -> None:
    print(f"monkey seed {seed}, {events} events")  # shown with a failure: replay with MONKEY_SEED
    warnings = QtWarnings()
    answerer = DialogAnswerer(random.Random(seed + 1), _files_for_dialogs(tmp_path))
    session = Session(load_example("xor"))
    win = MainWindow(session)
    lost = []  # the training process died: its traceback went to its own stderr, not to sys.excepthook
    win.training.controller.lost.connect(lambda: lost.append(True))
    win.show()
    qtbot.waitExposed(win)
    try:
        sent = _monkey(qtbot, win, random.Random(seed), events)
        print(f"sent {sent}; dialogs answered {len(answerer.answered)}: {sorted(set(answerer.answered))}")
        win.training.controller.pause()
        qtbot.waitUntil(lambda: not win.training.controller.running, timeout=20_000)
        path = tmp_path / "after.nnviz"
        save_project(session.project, path)
        assert load_project(path).network.sizes == win.session.network.sizes
    finally:
        answerer.stop()
        win.session.undo_stack.setClean()
        win.close()
        win.deleteLater()
        QApplication.processEvents()
        warnings.remove()
    assert not warnings.bad
    assert not lost, "the training process died (its traceback is in the captured stderr)"


@pytest.mark.parametrize(("seed", "events"), [(1, 300), pytest.param(2, 3000, marks=pytest.mark.slow)])
def test_monkey_on_the_main_window(qtbot, tmp_path, seed, events):
    _run_monkey(qtbot, tmp_path, seed, events)


@pytest.mark.skipif("MONKEY_SEED" not in os.environ, reason="set MONKEY_SEED (and MONKEY_EVENTS) to replay")
def test_monkey_replay(qtbot, tmp_path):
    _run_monkey(qtbot, tmp_path, int(os.environ["MONKEY_SEED"]), int(os.environ.get("MONKEY_EVENTS", "300")))


def test_the_qt_message_handler_keeps_thread_and_deleted_object_warnings():
    """The monkey's pass condition must be able to fail: a warning of the kind it watches for is caught."""
    thread = "QObject::setParent: Cannot set parent, new parent is in a different thread"
    deleted = "QObject::disconnect: wrapped C/C++ object has been deleted"
    warnings = QtWarnings()
    try:
        for message in (thread, "This plugin does not support raise()", deleted):
            qWarning(message)
    finally:
        warnings.remove()
    assert warnings.bad == [thread, deleted]
