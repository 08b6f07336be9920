"""Open the real main window for a screenshot: `python docs/screenshots.py [FILE | --example NAME |
--layers 2,4,4,1] [--steps N] [--select edge:k,j,i | neuron:l,i | layer:l] [--train SECONDS]
[--present SCALE]`.

Run it under `docs/capture.sh OUT.png -- python docs/screenshots.py ...` (a real X11 window
under Xvfb). The window stays open until it is closed; docs/capture.sh ends it.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from nnviz.app.main import start
from nnviz.app.selection import Selection
from nnviz.core.document import Project
from nnviz.core.examples import load_example
from nnviz.core.network import Network


def parse_selection(text: str) -> Selection:
    kind, _, numbers = text.partition(":")
    values = [int(v) for v in numbers.split(",")]
    return {"edge": Selection.edge, "neuron": Selection.neuron, "layer": Selection.whole_layer}[kind](*values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?")
    parser.add_argument("--example")
    parser.add_argument("--layers", help="a fresh network, e.g. 784,16,16,10")
    parser.add_argument("--activation", default="tanh")
    parser.add_argument("--output-activation", default=None)
    parser.add_argument("--data", help="a built-in dataset for --layers, e.g. digits")
    parser.add_argument("--steps", type=int, default=0, help="step-through steps to take")
    parser.add_argument("--select", type=parse_selection)
    parser.add_argument("--train", type=float, default=0, help="train this long, then pause")
    parser.add_argument("--present", type=float, help="presentation mode at this size, e.g. 1.5")
    args = parser.parse_args()
    window = start(args.file)
    session = window.session
    if args.example:
        session.set_project(load_example(args.example))
    elif args.layers:
        sizes = [int(n) for n in args.layers.split(",")]
        net = Network.create(sizes, args.activation, args.output_activation, seed=7)
        data = {"kind": "builtin", "name": args.data, "seed": 0} if args.data else None
        session.set_project(Project(net, dataset=data))
    for _ in range(args.steps):
        session.step_neuron()
    if args.select is not None:
        session.set_selection(args.select)
    if args.present:
        window.presentation.set_scale(args.present)
        window.presentation.set_active(True)
    if args.train:
        controller = window.training.controller
        QTimer.singleShot(500, controller.start)
        QTimer.singleShot(500 + int(args.train * 1000), controller.pause)
    return QApplication.instance().exec()


if __name__ == "__main__":
    sys.exit(main())
