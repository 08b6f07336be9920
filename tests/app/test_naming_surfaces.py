"""One naming scheme on every surface: the classic example's neuron h2 and weight w6 (h2 → o1) carry the same
names in the canvas tooltip, the inspector, the status bar, the undo text, the math panel and the command
line; View ▸ General names switches every one of them to n⁽¹⁾₂ and W⁽²⁾₁₂, and is remembered."""

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from nnviz.app.selection import Selection
from nnviz.app.window.naming import SETTINGS_KEY
from nnviz.cli import main

CLASSIC = Path(__file__).parents[2] / "resources" / "examples" / "classic.nnviz"
NEURON, WEIGHT = Selection.neuron(1, 1), Selection.edge(1, 0, 1)  # h2, and the weight from h2 to o1
TEACHING = {"neuron": "h2", "weight": "w6", "edge": "w6 (h2 → o1)", "rich weight": "w6", "first": "h1"}
GENERAL = {
    "neuron": "n⁽¹⁾₂", "weight": "W⁽²⁾₁₂", "edge": "W⁽²⁾₁₂ (n⁽¹⁾₂ → n⁽²⁾₁)", "rich weight": "W(2)12",
    "first": "n⁽¹⁾₁",
}  # fmt: skip


@pytest.fixture(params=["teaching", "general"])
def named(request, window):
    if request.param == "general":
        window.naming_action.setChecked(True)
    return window, TEACHING if request.param == "teaching" else GENERAL


def test_the_canvas_tooltip(named):
    window, names = named
    assert window.canvas.describe(NEURON).startswith(f"{names['neuron']} (hidden layer 1, neuron 2)")
    assert window.canvas.describe(WEIGHT).startswith(names["edge"])


def test_the_inspector_and_the_status_bar(named):
    window, names = named
    window.session.set_selection(WEIGHT)
    assert window.inspector.title.text() == f"Weight {names['edge']}"
    assert f"weight {names['edge']}" in window.status.text()
    window.session.set_selection(NEURON)
    assert window.inspector.title.text().startswith(names["neuron"])
    window.session.set_selection(Selection.whole_layer(2))
    assert window.inspector.table.horizontalHeaderItem(1).text() == f"from {names['neuron']}"


def test_the_undo_text(named):
    window, names = named
    window.session.edit_weight(1, 0, 1, 0.5)
    assert window.session.undo_stack.undoText() == f"set weight {names['weight']} to 0.5"


def test_the_math_panel(named):
    window, names = named
    for _ in range(3):  # h1, h2, then o1: net_o1 = w5·out_h1 + w6·out_h2 + b_o1
        window.step_neuron_action.trigger()
    assert names["rich weight"] in window.math_panel.toPlainText()


@pytest.mark.parametrize("scheme", ["teaching", "general"])
def test_the_command_line(scheme, capsys):
    names = TEACHING if scheme == "teaching" else GENERAL
    assert main(["info", str(CLASSIC), "--names", scheme]) == 0
    info = capsys.readouterr().out
    assert f"({names['first']}…{names['neuron']};" in info
    args = ["explain", str(CLASSIC), "--input", "0.05,0.1", "--target", "0.01,0.99", "--names", scheme]
    assert main(args) == 0
    assert f"∂E_total/∂{names['weight']} = " in capsys.readouterr().out


def test_the_choice_is_remembered(window):
    window.naming_action.setChecked(True)
    assert QSettings().value(SETTINGS_KEY, type=bool) is True
    assert window.session.naming_scheme == "general"
    window.naming_action.setChecked(False)
    assert window.session.names.weight(2, 0, 1).text == "w6"


def test_the_math_panels_update_step_says_training_takes_another_step_with_adam(named):
    window, _ = named
    s = window.session
    s.edit_training({"optimizer": "adam"})
    s.run_to_end()
    while s.stepper.current.kind != "update":
        s.step_back()
    text = window.math_panel.toPlainText()
    assert "Training uses Adam" in text
    assert "− η·∂Etotal/∂" in text  # beside the update's own equations
