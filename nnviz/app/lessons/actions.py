"""What a step does when it is entered (docs/lessons.md, "Actions"), done the way the user would do it:
edits go through the Session's undoable edits, View ▸ Predict first through its action, training through the
training controller, so menus, panels and Ctrl+Z all follow."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDockWidget

from nnviz.app.selection import Selection
from nnviz.core.activations import ActivationError
from nnviz.core.network import NetworkError
from nnviz.lessons.format import PANELS, Action, neuron_at, weight_at

FLASH_MS = 1500
FLASH_STYLE = "QDockWidget::title { background: palette(highlight); color: palette(highlighted-text); }"


class ActionRunner(QObject):
    """Runs a step's actions on one main window; `highlight` flashes a dock's title for a moment."""

    def __init__(self, window: Any) -> None:
        """`window`: the MainWindow (typed Any: its module imports this one)."""
        super().__init__(window)
        self.window = window
        self.flashed: QDockWidget | None = None
        self._unflash = QTimer(self, singleShot=True, interval=FLASH_MS)
        self._unflash.timeout.connect(self._end_flash)

    def run(self, action: Action) -> str:
        """Do `action`; returns "" or why it could not be done (e.g. the student's network has changed)."""
        try:
            getattr(self, f"_{action.do}")(**action.args)
        except (IndexError, NetworkError, ActivationError, ValueError) as exc:
            return f"{action.do}: {exc}"
        return ""

    @property
    def session(self):
        return self.window.session

    def _open_example(self, name: str) -> None:
        self.window.project_ui.new_from_example(name)

    def _select(self, neuron=None, weight=None, layer=None) -> None:
        net = self.session.network
        if neuron is not None:
            ell, j = neuron_at(neuron)
            _check(ell < len(net.sizes) and j < net.sizes[ell])
            selection = Selection.neuron(ell, j)
        elif weight is not None:
            k, j, i = weight_at(weight)
            _check(k < len(net.weights) and j < net.sizes[k + 1] and i < net.sizes[k])
            selection = Selection.edge(k, j, i)
        else:
            _check(layer < len(net.sizes))
            selection = Selection.whole_layer(layer)
        self.session.set_selection(selection)

    def _highlight(self, panel: str) -> None:
        dock = self.window.findChild(QDockWidget, PANELS[panel])
        if dock is None:
            raise ValueError(f"no {panel} panel in this window")
        self._end_flash()
        dock.show()
        dock.raise_()
        dock.setStyleSheet(FLASH_STYLE)
        self.flashed = dock
        self._unflash.start()

    def _end_flash(self) -> None:
        if self.flashed is not None:
            self.flashed.setStyleSheet("")
            self.flashed = None

    def _set_weight(self, weight, value: float) -> None:
        self.session.edit_weight(*weight_at(weight), value)

    def _set_bias(self, neuron, value: float) -> None:
        ell, j = neuron_at(neuron)
        self.session.edit_bias(ell - 1, j, value)

    def _set_activation(self, layer: int, activation) -> None:
        self.session.edit_activation(layer - 1, activation)

    def _set_input(self, values) -> None:
        self.session.set_input(values)

    def _train(self, run: bool) -> None:
        controller = self.window.training.controller
        if run:
            controller.start()
        else:
            controller.pause()

    def _predict_first(self, on: bool) -> None:
        self.window.predict_first_action.setChecked(on)


def _check(ok: bool) -> None:
    if not ok:
        raise IndexError("the network has no such neuron, weight or layer now")
