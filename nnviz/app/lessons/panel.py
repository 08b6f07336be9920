"""The lesson dock's widget: the course list when no lesson is open, else the current step (title, text,
goal with its check mark, Back / Next). A view only: `LessonsUI` tells it what to show and listens to its
buttons."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nnviz.lessons.format import Lesson, Step
from nnviz.lessons.text import markdown_with_maths

MET, NOT_MET = "✓", "○"
MET_COLOUR = "#2e9d4a"  # a green legible on the light and the dark theme
TEXT_SCALE = 1.1  # as the math panel: sub- and superscripts stay legible


class LessonPanel(QWidget):
    open_requested = Signal(str)  # a built-in lesson's path, picked in the list
    open_file_requested = Signal()
    back_requested = Signal()
    next_requested = Signal()
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._course_page())
        self.stack.addWidget(self._step_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)

    # -- the course list ------------------------------------------------------------------------------------
    def _course_page(self) -> QWidget:
        page = QWidget()
        heading = QLabel("<b>Lessons</b>: a guided course, from one neuron up. Pick one to start.")
        heading.setWordWrap(True)
        self.course = QListWidget()
        self.course.setAccessibleName("Built-in lessons")
        self.course.setSpacing(3)
        self.course.itemActivated.connect(self._on_course_item)
        self.course.currentItemChanged.connect(self._describe)
        self.about = QLabel()  # the selected lesson's summary
        self.about.setWordWrap(True)
        self.about.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.about.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.start_button = QPushButton("Start lesson")
        self.start_button.setToolTip("Open the selected lesson and its project")
        self.start_button.clicked.connect(lambda: self._on_course_item(self.course.currentItem()))
        open_file = QPushButton("Open lesson file…")
        open_file.setToolTip("A lesson of your own or your teacher's (.nnlesson)")
        open_file.clicked.connect(self.open_file_requested)
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addWidget(open_file)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.course, 1)
        layout.addWidget(self.about)
        layout.addLayout(row)
        return page

    def show_course(self, lessons: list[tuple[Path, Lesson | str, bool]]) -> None:
        """The built-in lessons: (path, the lesson or why it cannot be read, finished)."""
        self.course.clear()
        for number, (path, lesson, done) in enumerate(lessons, start=1):
            if isinstance(lesson, str):
                item = QListWidgetItem(f"{number}. {path.name} (cannot be read)")
                about = html.escape(lesson)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            else:
                item = QListWidgetItem(f"{number}. {lesson.title}" + (f"   {MET}" if done else ""))
                item.setData(Qt.ItemDataRole.UserRole, str(path))
                state = "finished" if done else "not finished yet"
                about = f"{html.escape(lesson.summary)}<br><i>{len(lesson.steps)} steps · {state}</i>"
            item.setData(Qt.ItemDataRole.ToolTipRole, about)
            self.course.addItem(item)
        self.course.setCurrentRow(0)
        self.stack.setCurrentIndex(0)

    def _describe(self, item: QListWidgetItem | None) -> None:
        self.about.setText("" if item is None else item.toolTip())
        self.start_button.setEnabled(item is not None and bool(item.data(Qt.ItemDataRole.UserRole)))

    def _on_course_item(self, item: QListWidgetItem | None) -> None:
        path = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.open_requested.emit(path)

    # -- a step ---------------------------------------------------------------------------------------------
    def _step_page(self) -> QWidget:
        page = QWidget()
        self.lesson_title = QLabel()
        self.lesson_title.setWordWrap(True)
        self.close_button = QPushButton("Close lesson")
        self.close_button.setToolTip("Close the lesson (your progress is kept)")
        self.close_button.clicked.connect(self.close_requested)
        top = QHBoxLayout()
        top.addWidget(self.lesson_title, 1)
        top.addWidget(self.close_button)
        self.step_title = QLabel()
        self.step_title.setWordWrap(True)
        font = self.step_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.step_title.setFont(font)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setAccessibleName("Lesson text")
        text_font = self.text.font()
        text_font.setPointSizeF(text_font.pointSizeF() * TEXT_SCALE)
        self.text.document().setDefaultFont(text_font)
        self.goal_mark = QLabel()
        self.goal_mark.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.goal = QLabel()
        self.goal.setWordWrap(True)
        self.goal.setAccessibleName("Goal")
        goal_row = QHBoxLayout()
        goal_row.addWidget(self.goal_mark)
        goal_row.addWidget(self.goal, 1)
        self.note = QLabel()  # an action that could not be done on the student's network
        self.note.setWordWrap(True)
        self.note.hide()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.step_title)
        layout.addWidget(self.text, 1)
        layout.addLayout(goal_row)
        layout.addWidget(self.note)
        layout.addLayout(self._navigation())
        return page

    def _navigation(self) -> QHBoxLayout:
        """Back, "Step n of N", Next."""
        self.back_button = QPushButton("← &Back")
        self.back_button.setToolTip("The previous step (Alt+Left); its actions are done again")
        self.back_button.clicked.connect(self.back_requested)
        self.position = QLabel()
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = QPushButton("&Next →")
        self.next_button.clicked.connect(self.next_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.position, 1)
        buttons.addWidget(self.next_button)
        return buttons

    def show_step(self, lesson: Lesson, index: int, note: str = "") -> None:
        step: Step = lesson.steps[index]
        last = index == len(lesson.steps) - 1
        self.lesson_title.setText(f"<i>Lesson:</i> {html.escape(lesson.title)}")
        self.step_title.setText(step.title)
        self.text.setMarkdown(markdown_with_maths(step.text))
        self.position.setText(f"Step {index + 1} of {len(lesson.steps)}")
        self.back_button.setEnabled(index > 0)
        self.next_button.setText("Finish" if last else "&Next →")
        self.next_button.setToolTip(
            "Close the lesson: you have reached its end" if last else "The next step (Alt+Right)"
        )
        self.goal_mark.setVisible(step.goal is not None)
        self.goal.setVisible(step.goal is not None)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.stack.setCurrentIndex(1)

    def show_goal(self, say: str, met: bool) -> None:
        colour = MET_COLOUR if met else self.palette().placeholderText().color().name()
        mark = MET if met else NOT_MET
        self.goal_mark.setText(f'<span style="color:{colour}; font-size:large"><b>{mark}</b></span>')
        self.goal_mark.setToolTip("Done" if met else "Not yet")
        self.goal.setText(f"<b>Goal:</b> {html.escape(say)}" + (" <i>— done!</i>" if met else ""))
