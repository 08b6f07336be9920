"""Lessons in the real window: the Lessons menu, the lesson panel, goals checked live, progress kept, and
lesson 1 ("One neuron") driven end to end through the widgets a student uses."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nnviz.app import main as app_main
from nnviz.app.lessons import progress
from nnviz.app.selection import Selection
from nnviz.lessons.builtin import builtin_lesson_paths
from tests.lessons.files import head, step

LESSON_1 = builtin_lesson_paths()[0]
TRAINING_TIMEOUT_MS = 120_000  # a training process starts on a busy machine; no claim about speed


def lessons_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Lessons")


def menu_entry(window, text):
    menu = lessons_menu(window)
    menu.aboutToShow.emit()
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def click(qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_into(qtbot, spin, text):
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)


def goal_shown(window):
    """(the check mark shows the goal met, the goal's line)."""
    panel = window.lessons.panel
    return "✓" in panel.goal_mark.text(), panel.goal.text()


def test_lesson_one_end_to_end_each_goal_reached_by_doing_what_the_step_asks(qtbot, window):
    lessons, panel, session = window.lessons, window.lessons.panel, window.session
    entry = menu_entry(window, "1. One neuron")
    assert not entry.isChecked()
    entry.trigger()
    assert session.network.sizes == [2, 1]  # the line example, opened as File ▸ New from example does
    assert panel.step_title.text() == "Meet the neuron"
    assert panel.position.text() == "Step 1 of 8"
    assert "neuron" in panel.text.toPlainText()
    assert not panel.back_button.isEnabled()
    assert session.selection == Selection.neuron(1, 0)
    assert lessons.goal_met() is None  # no goal: done when shown

    click(qtbot, panel.next_button)  # 2: weights
    assert session.selection == Selection.edge(0, 0, 0)
    assert goal_shown(window) == (False, "<b>Goal:</b> Set the weight w1 to about 2 (between 1.5 and 2.5).")
    type_into(qtbot, window.inspector.weight_editor.spin, "2")
    assert session.network.weights[0][0, 0] == 2.0
    assert goal_shown(window)[0]

    click(qtbot, panel.next_button)  # 3: a negative weight (w1 is 2 from the step before)
    assert not lessons.goal_met()
    type_into(qtbot, window.inspector.weight_editor.spin, "-1")
    assert goal_shown(window)[0]

    click(qtbot, panel.next_button)  # 4: the bias
    assert session.selection == Selection.neuron(1, 0)
    assert not lessons.goal_met()
    type_into(qtbot, window.inspector.bias_editor.spin, "1.5")
    assert goal_shown(window)[0]

    click(qtbot, panel.next_button)  # 5: its actions reset the weights and bias, undoably; input (1, 1)
    assert session.network.weights[0].tolist() == [[0.5, -0.5]]
    assert session.network.biases[0].tolist() == [0.0]
    assert session.trace.output[0][0] == pytest.approx(0.5)
    assert not goal_shown(window)[0]
    type_into(qtbot, window.inspector.bias_editor.spin, "3")
    assert goal_shown(window)[0]
    window.undo_action.trigger()  # the student's bias, then the step's own edits, come off the stack
    assert not lessons.goal_met()
    window.undo_action.trigger()
    assert session.network.biases[0].tolist() == [1.5]
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert lessons.goal_met()

    click(qtbot, panel.next_button)  # 6: step through
    assert not lessons.goal_met()
    click(qtbot, _neuron_button(window))
    assert goal_shown(window)[0]

    click(qtbot, panel.next_button)  # 7: training to 95% on the test set
    assert not lessons.goal_met()
    window.training.play_pause_action.trigger()
    qtbot.waitUntil(lambda: goal_shown(window)[0], timeout=TRAINING_TIMEOUT_MS)
    window.training.controller.pause()
    qtbot.waitUntil(lambda: not window.training.controller.running, timeout=TRAINING_TIMEOUT_MS)
    assert lessons.training.epochs[-1].test_accuracy >= 0.95

    click(qtbot, panel.next_button)  # 8: the summary; then Finish closes the lesson, finished
    assert panel.next_button.text() == "Finish"
    click(qtbot, panel.next_button)
    assert lessons.lesson is None
    assert panel.stack.currentIndex() == 0  # back to the course list
    assert panel.course.item(0).text().endswith("✓")
    assert "finished" in panel.about.text()
    assert menu_entry(window, "1. One neuron").isChecked()


def _neuron_button(window):
    """The step-through's "Neuron" button (it triggers Step ▸ Step neuron)."""
    from PySide6.QtWidgets import QAbstractButton

    return next(b for b in window.step_controls.findChildren(QAbstractButton) if b.text() == "Neuron")


def test_a_lesson_reopens_at_the_step_the_student_was_at(window):
    lessons = window.lessons
    assert lessons.open_lesson(str(LESSON_1))
    lessons.next()
    lessons.next()
    assert lessons.index == 2
    lessons.close_lesson()
    assert not progress.finished(LESSON_1)
    assert lessons.open_lesson(str(LESSON_1))
    assert lessons.index == 2
    assert lessons.panel.position.text() == "Step 3 of 8"


def test_back_runs_the_earlier_steps_actions_again(window):
    lessons = window.lessons
    lessons.open_lesson(str(LESSON_1))
    lessons.next()
    window.session.set_selection(None)
    lessons.next()
    lessons.back()
    assert window.session.selection == Selection.edge(0, 0, 0)
    assert lessons.back_action.isEnabled()


def test_opening_a_lesson_over_unsaved_work_asks_first_and_cancel_keeps_it(window, monkeypatch):
    window.session.edit_bias(0, 0, 2.0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    assert not window.lessons.open_lesson(str(LESSON_1))
    assert window.lessons.lesson is None
    assert window.session.network.biases[0][0] == 2.0


def broken(extra, project="example:classic"):
    """A two-step lesson whose second step has `extra` lines."""
    return head(project) + step() + step(extra)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('actions = [ { do = "dance" } ]', "step 2: action 1 (dance): unknown action"),
        ("goal = { weight = [1, 9, 1], min = 0 }", "step 2: goal (weight): weight = [1, 9, 1]"),
        ('goal = { accuracy = "high" }', 'step 2: goal (accuracy): accuracy = "high": expected a number'),
        ('actions = [ { do = "open_example", name = "nope" } ]', 'name = "nope": no such example'),
        (step(text="Half $maths"), "step 3: text: unclosed $maths$ span"),
    ],
)
def test_a_broken_lesson_is_a_dialog_naming_file_and_step_and_nothing_changes(
    window, tmp_path, monkeypatch, extra, expected
):
    path = tmp_path / "broken.nnlesson"
    path.write_text(broken(extra), encoding="utf-8")
    seen = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: seen.append((title, text)))
    before = window.session.network.sizes
    assert not window.load(str(path))  # File ▸ Open of a lesson goes the same way
    ((title, text),) = seen
    assert title == "Cannot open lesson"
    assert text.startswith(f"{path}: ")
    assert expected in text
    assert window.lessons.lesson is None
    assert window.session.network.sizes == before


def test_reverting_the_lessons_own_project_keeps_the_lesson_open(window, tmp_path, monkeypatch):
    from nnviz.core.document import save_project
    from nnviz.core.examples import load_example

    save_project(load_example("xor"), tmp_path / "mine.nnviz")
    path = tmp_path / "mine.nnlesson"
    path.write_text(broken("goal = { hidden_neurons_at_most = 3 }", project="mine.nnviz"), encoding="utf-8")
    assert window.lessons.open_lesson(str(path))
    window.session.edit_bias(0, 0, 3.0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    assert window.project_ui.revert()
    assert window.session.network.biases[0][0] != 3.0
    assert window.lessons.lesson is not None


def test_a_lesson_with_a_project_of_its_own_opens_that_file(window, tmp_path):
    from nnviz.core.document import save_project
    from nnviz.core.examples import load_example

    save_project(load_example("xor"), tmp_path / "mine.nnviz")
    path = tmp_path / "mine.nnlesson"
    path.write_text(broken("goal = { hidden_neurons_at_most = 3 }", project="mine.nnviz"), encoding="utf-8")
    assert window.lessons.open_lesson(str(path))
    assert window.session.path == str(tmp_path / "mine.nnviz")
    window.lessons.next()
    assert not window.lessons.goal_met()  # xor has 4 hidden neurons


def test_the_lessons_menu_sits_before_help_and_its_step_keys_work_with_it_closed(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Lessons") == titles.index("&Help") - 1
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.lessons.dock.toggleViewAction() in view.actions()
    lessons = window.lessons
    assert not lessons.next_action.isEnabled()
    lessons.open_lesson(str(LESSON_1))
    assert lessons.next_action.shortcut().toString() == "Alt+Right"
    assert lessons.back_action.shortcut().toString() == "Alt+Left"
    lessons.next_action.trigger()
    assert lessons.index == 1


def test_nnviz_with_a_lesson_file_opens_the_window_on_it(qtbot):
    window = app_main.start(str(LESSON_1))
    try:
        qtbot.waitUntil(lambda: window.lessons.lesson is not None)
        assert window.lessons.dock.isVisible()
        assert window.session.network.sizes == [2, 1]
    finally:
        window.session.undo_stack.setClean()
        window.close()
        window.deleteLater()


def test_maths_in_the_text_is_set_as_formulas_not_shown_as_markup(window):
    lessons = window.lessons
    lessons.open_lesson(str(LESSON_1))
    lessons.next()
    lessons.next()
    lessons.next()  # "z = w_1 x_1 + w_2 x_2 + b"
    shown = lessons.panel.text
    assert "$" not in shown.toPlainText()
    assert "<i>" not in shown.toPlainText()
    assert "<sub>1</sub>" in shown.toHtml() or "vertical-align:sub" in shown.toHtml()


def test_the_course_list_opens_a_lesson(qtbot, window):
    lessons = window.lessons
    lessons.show_action.trigger()
    assert lessons.dock.isVisible()
    click(qtbot, lessons.panel.start_button)
    assert lessons.lesson is not None
    assert Path(lessons.lesson.path) == LESSON_1


def test_a_lesson_dropped_on_the_window_opens(window):
    from tests.app.dropping import drop

    assert drop(window, LESSON_1)
    assert window.lessons.lesson is not None
    assert window.session.network.sizes == [2, 1]


@pytest.mark.parametrize("path", builtin_lesson_paths(), ids=lambda p: p.stem)
def test_every_step_of_every_builtin_lesson_can_be_entered_and_its_actions_done(window, monkeypatch, path):
    """Each action of the course works on the network its step shows (a lesson's own edits, unsaved, are
    discarded when a later step opens another example, as the student would be asked to)."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Discard)
    lessons = window.lessons
    assert lessons.open_lesson(str(path))
    for index in range(len(lessons.lesson.steps)):
        assert lessons.index == index
        assert lessons.panel.note.isHidden(), lessons.panel.note.text()
        if lessons.step.goal is not None:
            assert lessons.panel.goal.text().startswith("<b>Goal:</b>")
        lessons.next()
    window.training.controller.pause()
    assert lessons.lesson is None


def test_highlight_brings_a_panel_forward_and_flashes_its_title_for_a_moment(qtbot, window):
    lessons = window.lessons
    lessons.open_lesson(str(LESSON_1))
    lessons.next()
    lessons.next()  # step 3 highlights the decision map
    dock = lessons.runner.flashed
    assert dock.objectName() == "decision_map"
    assert dock.isVisible()
    assert "QDockWidget::title" in dock.styleSheet()
    qtbot.waitUntil(lambda: dock.styleSheet() == "")
    assert lessons.runner.flashed is None


@pytest.mark.parametrize("how", ["open", "new"])
def test_opening_another_project_ends_the_lesson_and_says_how_to_resume(window, tmp_path, how):
    """The lesson's steps and goals are about its own network: they must not go on judging another one."""
    from nnviz.core.document import save_project
    from nnviz.core.examples import load_example

    lessons = window.lessons
    assert lessons.open_lesson(str(LESSON_1))
    lessons.next()
    title = lessons.lesson.title
    if how == "open":
        save_project(load_example("xor"), tmp_path / "other.nnviz")
        assert window.load(str(tmp_path / "other.nnviz"))
    else:
        assert window.project_ui.new_from_example("xor")
    assert lessons.lesson is None
    assert not lessons.next_action.isEnabled()
    assert f"Lessons ▸ {title}" in window.statusBar().currentMessage()
    assert lessons.open_lesson(str(LESSON_1))
    assert lessons.index == 1  # resumed where the student left it


def test_a_step_that_opens_an_example_keeps_the_lesson_open(window, tmp_path):
    path = tmp_path / "two.nnlesson"
    path.write_text(broken('actions = [ { do = "open_example", name = "xor" } ]'), encoding="utf-8")
    lessons = window.lessons
    assert lessons.open_lesson(str(path))
    lessons.next()
    assert lessons.lesson is not None
    assert lessons.index == 1
    assert window.session.network.sizes == [2, 4, 1]
