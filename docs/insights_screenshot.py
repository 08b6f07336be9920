"""Open the real window on an example, bring one insight dock to the front and train for a moment, for
docs/images/training-confusion.png, training-weights.png and training-predicted.png, e.g.
`docs/capture.sh docs/images/training-confusion.png --wait 8 --
python docs/insights_screenshot.py digits8 confusion` (docks: confusion, predicted_vs_true, weights).
Training pauses after `--seconds`, so the shot shows a network mid-way through learning.
"""

import argparse
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from nnviz.app.main import start
from nnviz.core.examples import load_example

parser = argparse.ArgumentParser()
parser.add_argument("example")
parser.add_argument("dock", choices=["confusion", "predicted_vs_true", "weights"])
parser.add_argument("--seconds", type=float, default=3.0, help="how long to train before pausing")
args = parser.parse_args()
window = start()
window.session.set_project(load_example(args.example))
window.resize(1600, 1000)
dock = next(d for d in window.insights.docks if d.objectName() == args.dock)
dock.raise_()


def make_room() -> None:
    """The default right column is tight: give the dock the height and width a reader wants."""
    window.resizeDocks([dock], [600], Qt.Orientation.Vertical)
    window.resizeDocks([dock], [470], Qt.Orientation.Horizontal)


QTimer.singleShot(300, make_room)
controller = window.training.controller
QTimer.singleShot(500, controller.start)
QTimer.singleShot(500 + int(args.seconds * 1000), controller.pause)
sys.exit(QApplication.instance().exec())
