"""Driving a built-in lesson through the real window as a student does: open it, press Next, use the panels
the step names, and read the goal's check mark. Each lesson's test module uses these with the `window`
fixture (tests/app/conftest.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton

from nnviz.lessons.builtin import builtin_lesson_paths

TRAINING_TIMEOUT_MS = 120_000  # a training process starts on a busy machine; no claim about speed


def open_lesson(window, file_name: str):
    """Open the built-in lesson `file_name` in `window`; returns the window's lessons UI."""
    path = next(p for p in builtin_lesson_paths() if p.name == file_name)
    assert window.lessons.open_lesson(str(path))
    return window.lessons


def next_step(qtbot, window, title: str) -> None:
    """Press Next and check the step shown is the one the test means."""
    click(qtbot, window.lessons.panel.next_button)
    assert window.lessons.panel.step_title.text() == title


def goal_shown(window) -> bool:
    """The check mark beside the goal says it is met."""
    return "✓" in window.lessons.panel.goal_mark.text()


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, spin, text: str) -> None:
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def button(parent, text: str) -> QAbstractButton:
    """The button labelled `text` inside `parent` (e.g. the step-through's Neuron)."""
    return next(b for b in parent.findChildren(QAbstractButton) if b.text().replace("&", "") == text)


def train_until(qtbot, window, done) -> None:
    """Press Play in the Training panel, wait until `done()`, then pause and wait until the run stopped."""
    training = window.training
    click(qtbot, training.panel.play)
    qtbot.waitUntil(done, timeout=TRAINING_TIMEOUT_MS)
    training.controller.pause()
    qtbot.waitUntil(lambda: not training.controller.running, timeout=TRAINING_TIMEOUT_MS)


def train_until_goal(qtbot, window) -> None:
    """The goal is not met yet; training (Play) reaches it."""
    assert not window.lessons.goal_met()
    train_until(qtbot, window, lambda: goal_shown(window))


def epochs(window) -> int:
    """Epochs trained on the network shown, as the lesson counts them."""
    return window.lessons.training.epoch


def discard_when_asked(monkeypatch) -> list[str]:
    """Answer "Discard" when a step opens another example over unsaved work; returns the questions asked."""
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent, title, *_args, **_kwargs):
        asked.append(title)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def set_pace(window, label: str) -> None:
    """The Training panel's pace, e.g. "30 epochs/s", so a goal met is paused near where it was met."""
    window.training.panel.pace.setCurrentText(label)
