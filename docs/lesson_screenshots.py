"""Open the real window in a built-in lesson, part way through, for docs/images/lesson-N.png:
`python docs/lesson_screenshots.py N` (N = 1, 5 or 7), run under `docs/capture.sh OUT.png --size 1366x768 --`.

Each lesson is brought to a step a student would be at, by the steps' own actions and the buttons the
student presses (lesson 7's training is paused once its goal is met). The window stays open until ended.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nnviz.app.main import start
from nnviz.lessons.builtin import builtin_lesson_paths


def one_neuron(window) -> None:
    """Lesson 1 at its bias step, the bias raised to 1.5."""
    lessons = window.lessons
    for _ in range(3):
        lessons.next()
    window.session.edit_bias(0, 0, 1.5)


def backpropagation(window) -> None:
    """Lesson 5 at its chain-rule step, predict first on, stepped to the gradients into o1."""
    lessons = window.lessons
    for _ in range(4):
        lessons.next()
    for _ in range(8):
        window.session.step_neuron()


def challenges(window) -> None:
    """Lesson 7's first challenge: the circle on 2-3-1, trained until its goal is met."""
    lessons, session = window.lessons, window.session
    lessons.next()
    from nnviz.app.edits import architecture

    architecture.remove_hidden_layer(session, 2)
    architecture.resize_layer(session, 1, 3)
    controller = window.training.controller

    def pause_when_met(_snapshot) -> None:
        if lessons.goal_met():
            controller.pause()

    controller.snapshot_ready.connect(pause_when_met)
    controller.start()


SCENES = {1: one_neuron, 5: backpropagation, 7: challenges}


def main() -> int:
    number = int(sys.argv[1])
    window = start()
    window.lessons.open_lesson(str(builtin_lesson_paths()[number - 1]))
    QTimer.singleShot(500, lambda: SCENES[number](window))
    return QApplication.instance().exec()


if __name__ == "__main__":
    sys.exit(main())
