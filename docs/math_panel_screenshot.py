"""The math panel alone, on the classic 2-2-2 example after N steps, in the light or dark theme, for
docs/images/math-panel-*.png, e.g. `docs/capture.sh docs/images/math-panel-forward-light.png
--size 820x560 --wait 8 -- python docs/math_panel_screenshot.py 3 light` (3: the first output neuron's
forward step; 8: the gradients into o1; 15: the output layer's update)."""

import argparse
import sys

from PySide6.QtWidgets import QApplication

from nnviz.app.panels.math_panel import MathPanel
from nnviz.app.session import Session
from nnviz.app.window.theme import apply_theme
from nnviz.core.examples import load_example

parser = argparse.ArgumentParser()
parser.add_argument("steps", type=int)
parser.add_argument("theme", choices=["light", "dark"])
args = parser.parse_args()
app = QApplication(sys.argv)
apply_theme(args.theme, remember=False)
session = Session(load_example("classic"))
session.set_target([0.01, 0.99])
panel = MathPanel(session)
panel.digits.setCurrentIndex(panel.digits.findData(8))
for _ in range(args.steps):
    session.step_neuron()
panel.setWindowTitle("Math")
panel.move(0, 0)
panel.resize(app.primaryScreen().size())
panel.show()
sys.exit(app.exec())
