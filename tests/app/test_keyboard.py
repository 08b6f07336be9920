"""Keys that never surprise: single keys type in a field and act elsewhere; undo and redo reach the document
from any field; the Training and Help menus; a toolbar that does not move as the undo text changes."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QToolBar

from nnviz.app.selection import Selection
from nnviz.app.window.guide import user_guide_markdown

SINGLE_KEYS = {
    Qt.Key.Key_N: "step_neuron_action",
    Qt.Key.Key_L: "step_layer_action",
    Qt.Key.Key_E: "run_action",
    Qt.Key.Key_P: "play_action",
    Qt.Key.Key_R: "reset_action",
    Qt.Key.Key_Backspace: "back_action",
}
TYPED = {Qt.Key.Key_N: "n", Qt.Key.Key_L: "l", Qt.Key.Key_E: "e", Qt.Key.Key_P: "p", Qt.Key.Key_R: "r",
         Qt.Key.Key_Space: " "}  # fmt: skip


def action_for(window, key):
    if key == Qt.Key.Key_Space:
        return window.training.play_pause_action
    return getattr(window, SINGLE_KEYS[key])


def triggers(action) -> list:
    fired = []
    action.triggered.connect(lambda *_: fired.append(True))
    return fired


def focus(qtbot, window, widget) -> None:
    window.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def target_field(window) -> QLineEdit:
    return next(e for e in window.input_panel.findChildren(QLineEdit) if e.text() == "0.01, 0.99")


@pytest.mark.parametrize("key", [*SINGLE_KEYS, Qt.Key.Key_Space], ids=lambda k: k.name)
def test_a_single_key_in_a_text_field_types_and_does_not_act(qtbot, window, key):
    field = target_field(window)
    focus(qtbot, window, field)
    field.end(False)
    fired = triggers(action_for(window, key))
    qtbot.keyClick(field, key)
    expected = "0.01, 0.9" if key == Qt.Key.Key_Backspace else "0.01, 0.99" + TYPED[key]
    assert field.text() == expected
    assert not fired
    assert window.session.stepper.position == 0


@pytest.mark.parametrize("key", [*SINGLE_KEYS, Qt.Key.Key_Space], ids=lambda k: k.name)
def test_a_single_key_in_a_spin_box_stays_in_the_spin_box(qtbot, window, key):
    window.session.set_selection(Selection.neuron(1, 0))
    spin = window.inspector.bias_editor.spin
    focus(qtbot, window, spin)
    fired = triggers(action_for(window, key))
    qtbot.keyClick(spin, key)
    assert not fired


@pytest.mark.parametrize("key", [*SINGLE_KEYS, Qt.Key.Key_Space], ids=lambda k: k.name)
def test_a_single_key_on_the_canvas_acts_on_the_network(qtbot, window, key):
    window.session.step_neuron()  # so that Back and Reset have something to undo
    focus(qtbot, window, window.canvas)
    fired = triggers(action_for(window, key))
    qtbot.keyClick(window.canvas, key)
    assert fired == [True]
    window.play_action.setChecked(False)
    window.training.controller.pause()


def test_escape_leaves_a_field_for_the_canvas_where_keys_act_again(qtbot, window):
    field = target_field(window)
    focus(qtbot, window, field)
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.canvas.hasFocus)
    qtbot.keyClick(window.canvas, Qt.Key.Key_N)
    assert window.session.stepper.position == 1


def test_ctrl_z_in_an_inspector_spin_box_undoes_the_document_and_ctrl_shift_z_redoes(qtbot, window):
    session = window.session
    session.set_selection(Selection.neuron(1, 0))
    spin = window.inspector.bias_editor.spin
    focus(qtbot, window, spin)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "1.25")
    qtbot.keyClick(spin.lineEdit(), Qt.Key.Key_Return)
    assert session.network.biases[0][0] == 1.25
    assert spin.hasFocus()  # the keyboard's keys go to the spin box, which hands them to its line edit
    qtbot.keyClick(spin, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.network.biases[0][0] == 0.35
    assert spin.value() == pytest.approx(0.35)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(spin, Qt.Key.Key_Z, shift_ctrl)
    assert session.network.biases[0][0] == 1.25


def test_ctrl_z_in_a_text_field_undoes_the_document(qtbot, window):
    window.session.edit_bias(0, 0, 1.25)
    field = target_field(window)
    focus(qtbot, window, field)
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.session.network.biases[0][0] == 0.35


def menu(window, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def test_the_training_menu_holds_every_training_action_with_space_listed(window):
    actions = menu(window, "&Training").actions()
    training = window.training
    assert actions[:3] == [training.play_pause_action, training.step_batch_action, training.step_epoch_action]
    assert training.reinitialise_action in actions
    assert training.play_pause_action.shortcut().toString() == "Space"
    toolbar = window.findChild(QToolBar, "training_toolbar")
    assert toolbar.actions() == actions[:3]


def test_help_has_the_user_guide_and_the_shortcut_sheet(qtbot, window):
    assert menu(window, "&Help").actions()[:2] == [window.guide_action, window.shortcuts_action]
    window.guide_action.trigger()
    guide = window.reading["guide"]
    qtbot.waitExposed(guide)
    assert "Stepping through a pass" in guide.text.toPlainText()
    window.shortcuts_action.trigger()
    sheet = window.reading["shortcuts"].text.toPlainText()
    for keys in ("Space", "Ctrl+Z", "Ctrl+Shift+Z", "Backspace", "N", "F1", "F5", "Arrows", "Enter"):
        assert keys in sheet
    window.shortcuts_action.trigger()
    assert len(window.reading) == 2  # asked again, the open sheet comes up


def test_the_packaged_user_guide_is_the_one_in_the_docs():
    docs = Path(__file__).parents[2] / "docs" / "user-guide.md"
    packaged = Path(__file__).parents[2] / "resources" / "guide" / "user-guide.md"
    assert packaged.read_text(encoding="utf-8") == docs.read_text(encoding="utf-8"), (
        "after editing docs/user-guide.md, copy it to resources/guide/user-guide.md"
    )
    assert "![" not in user_guide_markdown()  # pictures the package does not ship become captions


def test_the_toolbar_does_not_move_as_the_undo_text_changes(qtbot, window):
    toolbar = window.findChild(QToolBar, "main_toolbar")
    fit = toolbar.widgetForAction(window.fit_action)
    before = fit.geometry()
    assert toolbar.widgetForAction(window.undo_action).text() == "Undo"
    window.session.edit_bias(0, 0, 1.25)
    assert window.undo_action.text().startswith("&Undo set bias")
    assert toolbar.widgetForAction(window.undo_action).text() == "Undo"
    qtbot.wait(1)  # let the toolbar lay out again if it would
    assert fit.geometry() == before
    for action in toolbar.actions():
        assert action.isSeparator() or not action.icon().isNull(), action.text()
