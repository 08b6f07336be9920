"""File ▸ New, New from example and Revert: through the real menu actions, with the unsaved-changes prompt."""

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from nnviz.core.datasets.builtin import BUILTINS
from nnviz.core.examples import list_examples, load_example


def _file_menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")


def _example_actions(window):
    menu = window.project_ui.examples_menu
    menu.aboutToShow.emit()
    return {a.data(): a for a in menu.actions() if a.data()}


def _answer(monkeypatch, button, asked=None):
    def question(*args, **kwargs):
        if asked is not None:
            asked.append(args[2])
        return button

    monkeypatch.setattr(QMessageBox, "question", question)


def test_file_menu_order_and_shortcuts(window):
    texts = [a.text() for a in _file_menu(window).actions() if not a.isSeparator()]
    assert texts[:6] == ["&New", "New from &example", "&Open…", "&Save", "Save &As…", "Re&vert"]
    assert window.project_ui.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)


def test_the_submenu_lists_every_example_and_every_built_in_set(window):
    actions = _example_actions(window)
    assert {name for kind, name in actions if kind == "example"} == set(list_examples())
    assert {name for kind, name in actions if kind == "builtin"} == set(BUILTINS)
    assert actions[("example", "classic")].text() == "The classic 2-2-2 backpropagation walk-through"


def test_an_example_opens_untitled_and_unmodified(window, session):
    _example_actions(window)[("example", "xor")].trigger()
    assert session.path is None
    assert session.network.describe() == load_example("xor").network.describe()
    assert session.project.extra["title"].startswith("XOR")
    assert not window.isWindowModified()


def test_a_built_in_set_opens_as_unsaved_work(window, session):
    _example_actions(window)[("builtin", "gaussian")].trigger()
    assert session.dataset is not None
    assert session.dataset.name.startswith("gaussian")
    assert window.isWindowModified()
    assert not window.project_ui.revert_action.isEnabled()  # no file to go back to


@pytest.mark.parametrize(
    ("button", "replaced"),
    [(QMessageBox.StandardButton.Discard, True), (QMessageBox.StandardButton.Cancel, False)],
)
def test_unsaved_work_is_asked_about_first(window, session, monkeypatch, button, replaced):
    session.edit_weight(0, 0, 0, 3.0)
    asked = []
    _answer(monkeypatch, button, asked)
    window.project_ui.new_action.trigger()
    assert asked == ["The network has unsaved changes. Save them first?"]
    assert bool(session.network.weights[0][0, 0] != 3.0) is replaced


def test_revert_reloads_the_saved_file_after_confirmation(window, session, tmp_path, monkeypatch):
    revert = window.project_ui.revert_action
    assert not revert.isEnabled()  # no file yet
    path = tmp_path / "saved.nnviz"
    assert window._write(str(path))
    assert not revert.isEnabled()  # nothing changed
    session.edit_weight(0, 0, 0, 7.0)
    assert revert.isEnabled()
    _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    revert.trigger()
    assert session.network.weights[0][0, 0] == 7.0
    _answer(monkeypatch, QMessageBox.StandardButton.Discard)
    revert.trigger()
    assert session.network.weights[0][0, 0] == 0.15
    assert session.path == str(path)
    assert not window.isWindowModified()
    assert not revert.isEnabled()
