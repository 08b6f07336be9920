"""Every control a user can reach has an accessible name and a tooltip, named from what is written next to
it; checked on a walk over all widgets of real windows."""

import pytest
from PySide6.QtWidgets import QWidget

from nnviz.app.selection import Selection
from nnviz.app.window.accessibility import is_control
from nnviz.core.examples import load_example


def unnamed(window) -> list[str]:
    return [
        f"{type(w).__name__} {w.accessibleName()!r} {w.toolTip()!r}"
        for w in window.findChildren(QWidget)
        if is_control(w, window) and not (w.accessibleName().strip() and w.toolTip().strip())
    ]


@pytest.mark.parametrize("example", ["classic", "spiral", "digits8"])
def test_every_control_has_an_accessible_name_and_a_tooltip(qtbot, window, example):
    window.session.set_project(load_example(example))  # panels rebuild their fields
    for selection in (Selection.neuron(1, 0), Selection.edge(0, 0, 0), Selection.whole_layer(1)):
        window.session.set_selection(selection)
    qtbot.waitUntil(lambda: not unnamed(window))
    assert sum(is_control(w, window) for w in window.findChildren(QWidget)) > 60


def test_names_come_from_the_labels_beside_the_controls(window):
    panel = window.training.panel
    assert panel.learning_rate.accessibleName() == "learning rate"
    assert panel.regularisation.accessibleName() == "regularisation"  # a row of two controls
    target = next(w for w in window.input_panel.findChildren(QWidget) if w.accessibleName() == "target")
    assert target.toolTip()
    plots = {w.accessibleName() for w in window.findChildren(QWidget) if w.accessibleName().endswith(" plot")}
    assert {"Decision map plot", "Activation plot", "Loss plot"} <= plots  # a plot by its dock's title
