"""The training pace: how many epochs a second the trainer may run, from flat out down to one, so a class
can watch a spiral being learned instead of it finishing in two seconds. The training process spaces its
minibatches (the GUI never sleeps); the choice is remembered across runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox, QWidget

from nnviz.app.training.controller import TrainingController

#: (label, epochs per second; None: as fast as possible)
PACES = (
    ("as fast as possible", None),
    ("30 epochs/s", 30.0),
    ("10 epochs/s", 10.0),
    ("3 epochs/s", 3.0),
    ("1 epoch/s", 1.0),
)
SETTINGS_KEY = "training/pace"


class PaceBox(QComboBox):
    """Chooses the controller's pace; starts at the remembered one."""

    def __init__(self, controller: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        for label, pace in PACES:
            self.addItem(label, pace)
        self.setToolTip("How fast training runs: slow it down to watch the network learn")
        saved = QSettings().value(SETTINGS_KEY, "", type=str)
        labels = [label for label, _ in PACES]
        self.setCurrentIndex(labels.index(saved) if saved in labels else 0)
        controller.set_pace(self.currentData())
        self.currentIndexChanged.connect(self._on_changed)

    def _on_changed(self, _index: int) -> None:
        self.controller.set_pace(self.currentData())
        QSettings().setValue(SETTINGS_KEY, self.currentText())
