"""The math panel: the current step written out with its real numbers (see `math_text`)."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from nnviz.app.panels.math_text import layer_text, step_text
from nnviz.app.session import Session
from nnviz.core.stepping import NeuronStep


class MathPanel(QPlainTextEdit):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        session.step_changed.connect(self._on_step_changed)
        self._on_step_changed()

    def _on_step_changed(self) -> None:
        step = self.session.stepper.current
        text = step_text(step)
        if isinstance(step, NeuronStep):
            text += "\n\n" + layer_text(self.session.stepper.network, self.session.stepper.trace, step.layer)
        self.setPlainText(text)
