"""Every control of the window has an accessible name (what a screen reader says) and a tooltip.

Most panels name their own controls; this pass names the rest from what a sighted user reads next to them:
the button's or its action's text, the form label of the field (or of the editor it sits in), the label just
before it in its row, else its tooltip or its dock's title. A control without a tooltip gets its name as one.
The window runs it once built and again after a network change (panels rebuild their fields).
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QAbstractSlider, QAbstractItemView,
            QTextEdit, pg.GraphicsView)  # fmt: skip


def is_control(widget: QWidget, window: QWidget) -> bool:
    """A control of `window` a user reaches, not one of Qt's own parts (a spin box's line edit, a scroll
    bar, a table's header, a dock's title buttons, a combo box's popup list)."""
    if not isinstance(widget, CONTROLS) or isinstance(widget, QScrollBar | QHeaderView):
        return False
    if widget.objectName().startswith("qt_") or widget.window() is not window:
        return False
    inside = isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)
    return not (isinstance(widget, QLineEdit) and inside)


def _plain(text: str) -> str:
    return " ".join(text.replace("&", "").replace("…", "").split())


def _form_label(widget: QWidget) -> str:
    for field in (widget, widget.parentWidget()):  # the field, or the editor it is part of
        if field is None or (parent := field.parentWidget()) is None:
            continue
        for form in parent.findChildren(QFormLayout):
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                row_layout = item.layout() if item is not None else None
                inside = item is not None and (
                    item.widget() is field or (row_layout is not None and row_layout.indexOf(field) >= 0)
                )
                label = form.itemAt(row, QFormLayout.ItemRole.LabelRole) if inside else None
                text = label.widget() if label is not None else None
                if isinstance(text, QLabel) and text.text():
                    return _plain(text.text())
    return ""


def _label_before(widget: QWidget) -> str:
    parent = widget.parentWidget()
    for layout in parent.findChildren(QLayout) if parent is not None else []:
        index = layout.indexOf(widget)
        item = layout.itemAt(index - 1) if index > 0 else None
        before = item.widget() if item is not None else None
        if isinstance(before, QLabel) and before.text():
            return _plain(before.text())
    return ""


def _dock_title(widget: QWidget) -> str:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QDockWidget):
        parent = parent.parentWidget()
    return parent.windowTitle() if parent is not None else ""


def control_name(widget: QWidget) -> str:
    """What to call `widget`, from what is written on or next to it."""
    action = widget.defaultAction() if isinstance(widget, QToolButton) else None
    if action is not None and action.text():
        return _plain(action.text())
    if isinstance(widget, QAbstractButton) and widget.text():
        return _plain(widget.text())
    if isinstance(widget, pg.GraphicsView) and _dock_title(widget):  # its tooltip may change with the data
        return f"{_dock_title(widget)} plot"
    name = _form_label(widget) or _label_before(widget)
    if name:
        return name
    if widget.toolTip():
        return _plain(widget.toolTip()).split(". ")[0]
    kind = "plot" if isinstance(widget, pg.GraphicsView) else type(widget).__name__.removeprefix("Q").lower()
    return f"{_dock_title(widget) or 'nnviz'} {kind}".strip()


def name_controls(window: QWidget) -> None:
    """Give every control of `window` without an accessible name or a tooltip one."""
    for widget in window.findChildren(QWidget):
        if not is_control(widget, window):
            continue
        if not widget.accessibleName():
            widget.setAccessibleName(control_name(widget))
        if not widget.toolTip():
            action = widget.defaultAction() if isinstance(widget, QToolButton) else None
            widget.setToolTip((action.toolTip() if action is not None else "") or widget.accessibleName())
