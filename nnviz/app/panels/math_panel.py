"""The math panel: the current step of the walk-through (`nnviz.core.walkthrough`, the same model as
`nnviz explain`) as rich text, with a precision switch (4 or 8 significant digits, remembered)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from nnviz.app.session import Session
from nnviz.core.explain_render import layer_html, section_html
from nnviz.core.losses import LossError
from nnviz.core.network import NetworkError
from nnviz.core.numbers import DIGITS
from nnviz.core.walkthrough import explain, key_for_step

SETTINGS_KEY = "math/digits"
FONT_SCALE = 1.15
INVITATION = "Press N to compute the first neuron, L for a whole layer, E to run to the end."


class MathPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.digits = QComboBox()
        for d in DIGITS:
            self.digits.addItem(f"{d} significant digits", d)
        self.digits.setAccessibleName("Precision of the math panel")
        saved = QSettings().value(SETTINGS_KEY, 8, type=int)
        self.digits.setCurrentIndex(max(0, self.digits.findData(saved)))
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        font = self.view.font()
        font.setPointSizeF(font.pointSizeF() * FONT_SCALE)  # sub- and superscripts stay legible
        self.view.document().setDefaultFont(font)
        row = QHBoxLayout()
        row.addWidget(QLabel("Precision:"))
        row.addWidget(self.digits)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.view, 1)
        self.digits.currentIndexChanged.connect(self._on_digits_changed)
        session.step_changed.connect(self._on_step_changed)
        session.naming_changed.connect(self._on_step_changed)
        self._on_step_changed()

    def toPlainText(self) -> str:
        return self.view.toPlainText()

    def _on_digits_changed(self) -> None:
        QSettings().setValue(SETTINGS_KEY, self.digits.currentData())
        self._on_step_changed()

    def _on_step_changed(self) -> None:
        stepper = self.session.stepper
        key = key_for_step(stepper.current)
        if key is None:
            self.view.setHtml(f"<p>{INVITATION}</p>")
            return
        s = self.session
        config = s.training_config
        digits = self.digits.currentData()
        try:
            target = s.target_matrix()[0] if stepper.has_backward else None
            with np.errstate(all="ignore"):  # a pass past the float limit is written with ∞ and NaN
                walk = explain(
                    stepper.network, stepper.trace.a[0][0], target, s.loss_name, config.learning_rate,
                    config.update_biases, digits, s.naming_scheme, only=key, optimizer=config.optimizer,
                )  # fmt: skip
        except (LossError, NetworkError) as exc:
            self.view.setHtml(f"<p>{exc}</p>")
            return
        html = section_html(walk.sections[0], inline_fractions=True)
        if key[0] == "forward":
            html += layer_html(stepper.network, stepper.trace, int(key[1]), walk.names, digits, s.known())
        self.view.setHtml(html)
