"""Lessons in the main window: the Lessons menu, the Lesson dock beside the canvas, the lesson that is open.

The window makes one `LessonsUI` and places its menu (its dock's View toggle comes with the dock). A lesson
opens its project through the window's usual paths (File ▸ New from example, File ▸ Open: unsaved work is
offered to be saved first); entering a step runs its actions (nnviz.app.lessons.actions); the goal is
re-checked on every change the Session announces and on every training snapshot (nnviz.app.lessons.goals).
Another project the student opens (File ▸ Open, New, a drop) ends the lesson: its steps and goals are about
its own network. A lesson file that cannot be used ends in a dialog.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMenu, QMessageBox

from nnviz.app.lessons import progress
from nnviz.app.lessons.actions import ActionRunner
from nnviz.app.lessons.goals import TrainingRecord, goal_met
from nnviz.app.lessons.panel import LessonPanel
from nnviz.lessons.builtin import builtin_lesson_paths
from nnviz.lessons.format import Lesson, LessonError, load

LESSON_FILTER = "nnviz lessons (*.nnlesson);;All files (*)"
PANEL_WIDTH = 320  # pixels: about 45 characters a line, easy reading beside the network


class LessonsUI(QObject):
    """The open lesson (if any) and the step shown; the menu and dock that show it."""

    def __init__(self, window: Any) -> None:
        """`window`: the MainWindow (typed Any: its module imports this one)."""
        super().__init__(window)
        self.window, self.session = window, window.session
        self.lesson: Lesson | None = None
        self.index = 0
        self.training = TrainingRecord()
        self.runner = ActionRunner(window)
        self._opening = False  # the lesson itself is opening a project (its own, or a step's action)
        self._course: dict[Path, Lesson | str] = {}  # built-in lessons read so far (or why they cannot be)
        self.panel = LessonPanel()
        self.dock = QDockWidget("Lesson", window)
        self.dock.setObjectName("lesson")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock, Qt.Orientation.Horizontal)
        self.dock.hide()  # until the student asks for lessons
        self._make_actions()
        self.panel.open_requested.connect(self.open_lesson)
        self.panel.open_file_requested.connect(self.open_file)
        self.panel.back_requested.connect(self.back)
        self.panel.next_requested.connect(self.next)
        self.panel.close_requested.connect(self.close_lesson)
        s = self.session
        for signal in (s.parameters_changed, s.trace_changed, s.step_changed, s.network_changed):
            signal.connect(self.refresh_goal)
        s.network_changed.connect(self.training.restart)
        s.project_opened.connect(self._on_project_opened)
        window.training.controller.snapshot_ready.connect(self._on_snapshot)
        self._show_course()

    def _make_actions(self) -> None:
        w = self.window
        self.menu = QMenu("&Lessons", w)
        self.menu.setToolTipsVisible(True)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.show_action = QAction("Lesson &panel", w)
        self.show_action.setStatusTip("Show the lesson panel: the course, or the lesson you are in")
        self.show_action.triggered.connect(self.show_panel)
        self.open_file_action = QAction("&Open lesson file…", w)
        self.open_file_action.setStatusTip("Open a lesson of your own or your teacher's (.nnlesson)")
        self.open_file_action.triggered.connect(self.open_file)
        self.back_action = QAction("&Back a step", w)
        self.back_action.setShortcut(QKeySequence("Alt+Left"))
        self.back_action.triggered.connect(self.back)
        self.next_action = QAction("&Next step", w)
        self.next_action.setShortcut(QKeySequence("Alt+Right"))
        self.next_action.triggered.connect(self.next)
        self.close_action = QAction("&Close lesson", w)
        self.close_action.triggered.connect(self.close_lesson)
        for action in (self.back_action, self.next_action, self.close_action):
            action.setStatusTip(action.text().replace("&", "") + " of the open lesson")
        w.addActions([self.back_action, self.next_action])  # their keys work with the menu closed
        self.menu.addActions([self.show_action, self.open_file_action])
        self.menu.addSeparator()
        self.menu.addActions([self.back_action, self.next_action, self.close_action])
        self._course_actions: list[QAction] = []  # the course's entries, above these: made when shown
        self._update_actions()

    # -- the course ---------------------------------------------------------------------------------------
    def course(self) -> list[tuple[Path, Lesson | str]]:
        """The built-in lessons in order, each read once: the Lesson, or why it cannot be used."""
        paths = builtin_lesson_paths()
        for path in paths:
            if path not in self._course:
                try:
                    self._course[path] = load(path)
                except LessonError as exc:
                    self._course[path] = str(exc)
        return [(p, self._course[p]) for p in paths]

    def _show_course(self) -> None:
        self.panel.show_course([(p, lesson, progress.finished(p)) for p, lesson in self.course()])

    def _fill_menu(self) -> None:
        """The course's lessons at the top of the menu, each checked once finished (made anew each time the
        menu opens: progress changes while it is closed)."""
        for action in self._course_actions:
            self.menu.removeAction(action)
            action.deleteLater()
        first = self.show_action
        self._course_actions = [self.menu.insertSection(first, "Course")]
        for number, (path, lesson) in enumerate(self.course(), start=1):
            readable = isinstance(lesson, Lesson)
            if isinstance(lesson, Lesson):
                title, about = lesson.title, lesson.summary
            else:
                title, about = path.name, lesson
            action = QAction(f"&{number}. {title}", self.menu)
            action.setCheckable(True)
            action.setChecked(progress.finished(path))
            action.setEnabled(readable)
            action.setToolTip(about)
            action.triggered.connect(lambda _=False, p=path: self.open_lesson(str(p)))
            self.menu.insertAction(first, action)
            self._course_actions.append(action)
        self._course_actions.append(self.menu.insertSeparator(first))

    def show_panel(self) -> None:
        """Show the dock as a column of its own between the left docks and the canvas; the canvas gives up
        the width, not the input column."""
        if not self.dock.isVisible():
            beside = [d for d in self.window.findChildren(QDockWidget) if d.objectName() == "input"]
            widths = [d.width() for d in beside]
            self.dock.show()
            self.window.resizeDocks([*beside, self.dock], [*widths, PANEL_WIDTH], Qt.Orientation.Horizontal)
        self.dock.raise_()

    # -- opening and closing ------------------------------------------------------------------------------
    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open lesson", "", LESSON_FILTER)
        if path:
            self.open_lesson(path)

    def open_lesson(self, path: str) -> bool:
        """Read the lesson, open its project (the user may keep unsaved work instead) and show where the
        student was; a lesson that cannot be used is explained in a dialog and nothing changes."""
        try:
            lesson = load(path)
        except LessonError as exc:
            QMessageBox.critical(self.window, "Cannot open lesson", str(exc))
            return False
        with self._lesson_opening():
            if not self._open_project(lesson):
                return False
        self.lesson = lesson
        self.show_panel()
        self.go_to(progress.resume_step(path, len(lesson.steps)))
        return True

    def _open_project(self, lesson: Lesson) -> bool:
        if lesson.example is not None:
            return self.window.project_ui.new_from_example(lesson.example)
        return self.window.confirm_discard() and self.window.load(str(lesson.project_path))

    def close_lesson(self) -> None:
        self.lesson = None
        self._update_actions()
        self._show_course()

    @contextlib.contextmanager
    def _lesson_opening(self) -> Iterator[None]:
        """A project opened meanwhile is the lesson's own doing, not the student leaving it."""
        self._opening = True
        try:
            yield
        finally:
            self._opening = False

    def _on_project_opened(self) -> None:
        lesson = self.lesson
        if lesson is None or self._opening or self._is_own_file(lesson):
            return
        self.close_lesson()
        self.window.statusBar().showMessage(
            f"Lesson closed: another project was opened. Lessons ▸ {lesson.title} resumes it at this step.",
            15000,
        )

    def _is_own_file(self, lesson: Lesson) -> bool:
        """Whether the project now open is the lesson's own file, opened again (File ▸ Revert, say)."""
        return lesson.example is None and self.session.path == str(lesson.project_path)

    # -- steps --------------------------------------------------------------------------------------------
    def go_to(self, index: int) -> None:
        """Show step `index` and run its actions; an action that cannot be done (the student changed the
        network) is noted under the text rather than stopping the lesson."""
        lesson = self.lesson
        if lesson is None:
            return
        self.index = index
        self.training.step_start = self.training.epoch
        with self._lesson_opening():
            notes = [note for action in lesson.steps[index].actions if (note := self.runner.run(action))]
        progress.record(lesson.path, index, len(lesson.steps))
        problem = "Could not " + "; ".join(notes) if notes else ""
        self.panel.show_step(lesson, index, problem)
        self.refresh_goal()
        self._update_actions()

    def next(self) -> None:
        if self.lesson is None:
            return
        if self.index + 1 < len(self.lesson.steps):
            self.go_to(self.index + 1)
        else:
            self.close_lesson()

    def back(self) -> None:
        if self.lesson is not None and self.index > 0:
            self.go_to(self.index - 1)

    @property
    def step(self):
        return None if self.lesson is None else self.lesson.steps[self.index]

    def goal_met(self) -> bool | None:
        """Whether the current step's goal holds now (None: no lesson, or a step without a goal)."""
        step = self.step
        if step is None or step.goal is None:
            return None
        return goal_met(step.goal, self.session, self.training)

    def refresh_goal(self, *_: object) -> None:
        """Show whether the goal holds now (called with whatever the Session's signals carry)."""
        met = self.goal_met()
        if met is not None:
            self.panel.show_goal(self.step.goal.say, met)

    def _on_snapshot(self, snap) -> None:
        if self.window.training.is_stale(snap):
            return
        self.training.add(snap.new_epochs)
        self.refresh_goal()

    def _update_actions(self) -> None:
        is_open = self.lesson is not None
        self.back_action.setEnabled(is_open and self.index > 0)
        self.next_action.setEnabled(is_open)
        self.close_action.setEnabled(is_open)
