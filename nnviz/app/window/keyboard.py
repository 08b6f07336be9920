"""Keys that never surprise.

Single-key shortcuts (N, L, E, P, R, Backspace, Space) are window shortcuts; Qt lets a focused text field or
spin box claim the keys it types with, so in a field they type and elsewhere they act on the network. The
exception is undo: a field claims Ctrl+Z for its own text, so an edit it had already committed to the
document could not be undone from it. `FieldKeys` hands the undo and redo keys of every field of the
window to the document's undo stack instead.

The keyboard-shortcut sheet is built from the window's actions, so it lists what the keys really do.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QWidget

UNDO_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


class FieldKeys(QObject):
    """Lets undo and redo keys pass a focused field of `window` to the window's undo and redo actions, and
    Esc leave the field for the canvas (where the single keys act again).

    The filter sits on the fields the user focuses (a line edit, a spin box or combo box and the line edit
    inside it, to which it forwards keys itself), not on the application: it costs nothing while the window
    trains and paints.
    """

    def __init__(self, window: QWidget, actions: list[QAction], home: QWidget) -> None:
        super().__init__(window)
        self.window, self.home = window, home
        self.sequences = [QKeySequence(k) for k in UNDO_KEYS] + [s for a in actions for s in a.shortcuts()]
        app = QApplication.instance()
        assert isinstance(app, QApplication), "the window's fields live in a QApplication"
        app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or new.window() is not self.window:
            return
        for widget in (new, new.parentWidget()):
            if isinstance(widget, QLineEdit | QAbstractSpinBox | QComboBox):
                widget.installEventFilter(self)  # installing twice keeps one filter
                if not isinstance(widget, QLineEdit) and (line_edit := widget.lineEdit()) is not None:
                    line_edit.installEventFilter(self)  # keys sent on to it

    def is_undo_key(self, event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        return any(s.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch for s in self.sequences)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False  # only the fields' key events are filtered
        if event.type() == QEvent.Type.ShortcutOverride and self.is_undo_key(event):
            event.ignore()  # not claimed by the field: the window's shortcut runs
            return True
        escape = event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape
        if escape and not _in_item_view(watched):  # a table's cell editor cancels with Esc itself
            self.home.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return False


def _in_item_view(widget: QWidget | None) -> bool:
    while widget is not None:
        if isinstance(widget, QAbstractItemView):
            return True
        widget = widget.parentWidget()
    return False


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str, str]]:
    """(keys, action, what it does) for each action that has a shortcut, in the order given."""
    rows = []
    for action in actions:
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
        if keys:
            rows.append((keys, action.text().replace("&", "").rstrip("…"), action.statusTip()))
    return rows


#: keys the canvas handles itself (nnviz.app.canvas.keyboard_nav), for the sheet
CANVAS_KEYS = [
    ("Arrows", "Move the selection", "Up/Down within a layer, Left/Right between layers"),
    ("Shift+Left, Shift+Right", "Onto an edge", "From a neuron to its first arriving or leaving edge"),
    ("Shift+Up, Shift+Down", "Edge target", "On an edge: the neuron it goes to"),
    ("Enter", "Edit", "Put the focus in the selection's editor (value, bias, weight, table)"),
    ("Home", "Fit", "Fit the network to the canvas"),
    ("Esc", "Leave a field", "Back to the canvas, where the single keys act"),
]


def shortcut_sheet_html(sections: list[tuple[str, list[QAction]]]) -> str:
    """The keyboard-shortcut sheet: one table per menu, and the canvas's own keys."""
    parts = [
        "<h2>Keyboard shortcuts</h2>",
        "<p>Single keys act on the network when no text field has the focus; in a field they type. "
        "Undo and redo work from anywhere, spin boxes included. Esc or a click on the canvas leaves a "
        "field.</p>",
    ]
    for title, rows in [*((t, shortcut_rows(a)) for t, a in sections), ("Canvas", CANVAS_KEYS)]:
        if not rows:
            continue
        parts.append(f"<h3>{escape(title)}</h3><table cellpadding='3'>")
        parts.extend(
            f"<tr><td><b>{escape(keys)}</b></td><td>{escape(name)}</td><td>{escape(tip)}</td></tr>"
            for keys, name, tip in rows
        )
        parts.append("</table>")
    return "".join(parts)
