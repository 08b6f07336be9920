"""The real window on a project with several runs, every run ticked in the Runs dock so the loss plot
compares them, and the timeline scrubbed back to an epoch of the first run, for docs/images/runs-compared.png,
e.g. `docs/capture.sh docs/images/runs-compared.png --wait 12 -- python docs/runs_screenshot.py
spiral-runs.nnviz --epoch 40 --theme dark` (the project: the spiral set trained twice by `nnviz train`, at two
learning rates, its runs put in one file; see docs/user-guide.md, "Training runs")."""

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nnviz.app.main import start
from nnviz.app.window.theme import apply_theme

parser = argparse.ArgumentParser()
parser.add_argument("project")
parser.add_argument("--epoch", type=int, default=None, help="scrub the first run back to this epoch")
parser.add_argument("--theme", choices=["light", "dark"], default="light")
args = parser.parse_args()
window = start(args.project)
apply_theme(args.theme, remember=False)
runs = window.training.runs_ui
timeline = window.training.timeline


def compare() -> None:
    for run in window.session.project.runs:
        runs.tick(run)
    runs.dock.raise_()
    window.training.docks[1].raise_()  # the loss curves
    if args.epoch is not None:
        timeline.bar.run_box.setCurrentIndex(0)
        timeline.refresh()
        epochs = timeline.run.epochs
        index = min(range(len(epochs)), key=lambda i: abs(epochs[i] - args.epoch))
        timeline.bar.slider.setValue(index)


QTimer.singleShot(1500, compare)
sys.exit(QApplication.instance().exec())
