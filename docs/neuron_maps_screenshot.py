"""Train the spiral (with the features x1, x2, x1², x2², sin(x1), sin(x2)) at 10 epochs a second, for
docs/images/neuron-maps.png: run `python docs/neuron_maps_screenshot.py` on a 1366x768 display and take a
screenshot of the window about 12 seconds after it appears (neurons show their maps, mid-training)."""

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.app.window.theme import apply_theme
from nnviz.core.datasets.projects import default_project

app = QApplication([])
apply_theme("light", remember=False)
window = MainWindow(Session(default_project("spiral", features="x1,x2,x1^2,x2^2,sin(x1),sin(x2)")))
window.resize(1366, 740)
window.show()
window.training.panel.pace.setCurrentText("10 epochs/s")
QTimer.singleShot(1500, window.training.controller.start)
app.exec()
