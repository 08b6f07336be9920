"""View ▸ General names and View ▸ Predict first, the two teaching options of the View menu.

General names: every view names neurons, weights and biases by layer and index (W⁽ℓ⁾ⱼᵢ) instead of
the teaching names (i1, h1, w1) that small networks get. Remembered in QSettings. Predict first: a project
option (saved in its file; the classic example has it on) that hides every value past the inputs until the
step-through computes it."""

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
    action.setChecked(bool(QSettings().value(SETTINGS_KEY, False, type=bool)))

    def choose(general: bool) -> None:
        QSettings().setValue(SETTINGS_KEY, general)
        session.set_naming_scheme(GENERAL if general else TEACHING)

    action.toggled.connect(choose)
    if action.isChecked():
        session.set_naming_scheme(GENERAL)
    return action


def predict_first_action(parent: QWidget, session) -> QAction:
    """The checkable action, following the open project's option."""
    action = QAction("&Predict first (hide values until a step computes them)", parent)
    action.setCheckable(True)
    action.setStatusTip("Neurons past the inputs show ? until the step-through reaches them")

    def follow() -> None:
        blocked = action.blockSignals(True)
        action.setChecked(session.predict_first)
        action.blockSignals(blocked)

    action.toggled.connect(session.set_predict_first)
    session.network_changed.connect(follow)
    follow()
    return action
