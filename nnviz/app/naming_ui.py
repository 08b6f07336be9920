"""View ▸ General names: every view names neurons, weights and biases by layer and index (W⁽ℓ⁾ⱼᵢ) instead of
the teaching names (i1, h1, w1) that small networks get. Remembered in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from nnviz.core.names import GENERAL, TEACHING

SETTINGS_KEY = "view/general_names"


def naming_action(parent: QWidget, session) -> QAction:
    """The checkable action, with the session set to the remembered choice."""
    action = QAction("&General names (layer ℓ, neuron j, W⁽ℓ⁾ⱼᵢ)", parent)
    action.setCheckable(True)
    action.setStatusTip("Name neurons and weights by layer and index instead of i1, h1, w1 (small networks)")
    action.setChecked(QSettings().value(SETTINGS_KEY, False, type=bool))

    def choose(general: bool) -> None:
        QSettings().setValue(SETTINGS_KEY, general)
        session.set_naming_scheme(GENERAL if general else TEACHING)

    action.toggled.connect(choose)
    if action.isChecked():
        session.set_naming_scheme(GENERAL)
    return action
