"""Network health on the canvas: dead and saturated units marked, each layer's gradient size written under
its gap, recomputed on a fixed sample of the training rows as the parameters change (also while training).

Cost is bounded twice: at most `HEALTH_ROWS` rows (one forward and one backward pass, about a millisecond
on 784-16-16-10), at most `MAX_RATE_HZ` updates a second with a trailing update so the last parameters
(a paused run, the end of a slider drag) are always the ones shown. A network of more than `WORKER_PARAMETERS`
parameters (784-1024-1024-10: a pass of tens of milliseconds, a stutter in every slider drag) is checked on a
worker thread, on a copy of it, and its health shown when it arrives. View ▸ Show network health turns it off
(remembered in QSettings); off, nothing is computed.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from nnviz.app.background import LatestOnly
from nnviz.app.training.ui import TrainingUI
from nnviz.core.health import Health, network_health
from nnviz.core.losses import LossError
from nnviz.core.network import Network, NetworkError

HEALTH_ROWS = 256  # enough rows that "dead on every row" means something, few enough to cost ~1 ms
MAX_RATE_HZ = 4  # training snapshots arrive ~10 a second; markers that change faster are not readable
SETTINGS_KEY = "view/show_health"
SAMPLE_SEED = 0  # the same rows every time, so a flag changes because the network did, not the sample
WORKER_PARAMETERS = 200_000  # above this, a pass costs more than a frame: it runs off the GUI thread


class HealthUI(QObject):
    """Computes `Health` for the session's network on training rows and hands it to the canvas;
    `toggle_action` turns it on and off (the window puts it in its View menu)."""

    def __init__(self, window: QMainWindow, session, training: TrainingUI) -> None:
        super().__init__(window)
        self.window, self.session, self.training = window, session, training
        self.canvas = training.canvas  # the window's, which the training UI draws its maps on too
        self.toggle_action = QAction("Show network &health", window)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setChecked(bool(QSettings().value(SETTINGS_KEY, True, type=bool)))
        self.toggle_action.setStatusTip("Mark dead and saturated units and show each layer's gradient size")
        self.toggle_action.toggled.connect(self._on_toggled)
        self.health: Health | None = None
        self._sample: tuple[object, np.ndarray, np.ndarray] | None = None  # (data it came from, x, y)
        self._last = -np.inf
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self._worker = LatestOnly(self)
        self._worker.finished.connect(self._on_computed)
        self._request = 0  # the number of the worker request whose result is wanted (0: none)
        session.parameters_changed.connect(self._on_parameters_changed)
        session.network_changed.connect(self.refresh)
        training.controller.running_changed.connect(self._on_running_changed)
        self.refresh()

    # -- when ---------------------------------------------------------------------------------------------
    def _on_parameters_changed(self) -> None:
        """Refresh now if the last one was long enough ago, else once the interval has passed."""
        if self._timer.isActive():
            return
        wait_ms = 1000.0 / MAX_RATE_HZ - (time.monotonic() - self._last) * 1000.0
        if wait_ms <= 0:
            self.refresh()
        else:
            self._timer.start(int(np.ceil(wait_ms)))

    def _on_running_changed(self, running: bool) -> None:
        if not running and self._timer.isActive():
            self.refresh()  # the paused network at once, not a quarter of a second later

    def _on_toggled(self, checked: bool) -> None:
        QSettings().setValue(SETTINGS_KEY, checked)
        self.refresh()

    # -- what ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the health of the current network (nothing when turned off or without data); a large
        network's on the worker thread."""
        self._timer.stop()
        self._last = time.monotonic()
        self._request = 0  # a result still on its way is out of date
        net, data = self.session.network, self.training.data
        if (
            not self.toggle_action.isChecked()
            or data is None
            or len(data.x) == 0
            or np.shape(data.x)[1] != net.sizes[0]
        ):
            self._show(None)
            return
        x, y = self._rows(data)
        loss = self.session.loss_name
        if net.n_parameters > WORKER_PARAMETERS:
            shared = net.shared()  # arrays that no edit changes while the worker reads them
            self._request = self._worker.request(lambda: _health(shared, x, y, loss))
        else:
            self._show(_health(net, x, y, loss))

    @property
    def pending(self) -> bool:
        """True while a health computed on the worker thread is on its way."""
        return self._request != 0

    def _on_computed(self, number: int, health: Health | None) -> None:
        if number == self._request:
            self._request = 0
            self._show(health)

    def _show(self, health: Health | None) -> None:
        self.health = health
        self.canvas.set_health(health)

    def shutdown(self) -> None:
        """Wait for a computation in flight, so no thread outlives the window."""
        self._request = 0
        self._worker.shutdown()

    def _rows(self, data) -> tuple[np.ndarray, np.ndarray]:
        """The fixed sample of at most HEALTH_ROWS training rows, drawn once per data set."""
        if self._sample is None or self._sample[0] is not data:
            n = len(data.x)
            rows = np.arange(n)
            if n > HEALTH_ROWS:
                rows = np.sort(np.random.default_rng(SAMPLE_SEED).choice(n, HEALTH_ROWS, replace=False))
            x = np.ascontiguousarray(np.asarray(data.x)[rows], dtype=np.float64)
            self._sample = (data, x, np.asarray(data.y)[rows])
        return self._sample[1], self._sample[2]


def _health(net: Network, x: np.ndarray, y: np.ndarray, loss: str) -> Health | None:
    """The network's health on the rows, or None when the targets no longer fit a just-edited network."""
    try:
        return network_health(net, x, y, loss)
    except (NetworkError, LossError):
        return None


def install_health_ui(window: QMainWindow, session, training: TrainingUI) -> HealthUI:
    """Show network health on `window`'s canvas; returns the `HealthUI` (its `toggle_action` for the menu)."""
    return HealthUI(window, session, training)
