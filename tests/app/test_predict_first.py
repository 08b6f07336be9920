"""Predict first (on in the classic example): neurons past the inputs show "?" on the canvas, in the math
panel and in the output panel until the step-through computes them; View ▸ Predict first turns it off."""

import pytest

from nnviz.app.session import Session
from nnviz.core.examples import load_example


@pytest.fixture
def predicting(open_window):
    return open_window(Session(load_example("classic")))


def test_the_classic_example_hides_every_value_until_it_is_computed(predicting, monkeypatch):
    win, session = predicting, predicting.session
    assert session.predict_first
    states = []
    original = win.canvas.set_step_state
    monkeypatch.setattr(
        win.canvas, "set_step_state", lambda c, cur, g=None: (states.append(c), original(c, cur, g))
    )
    session.reset_steps()
    computed = states[-1]
    assert computed[0].all()  # the canvas shows the inputs, and "?" past them
    assert not computed[1].any()
    assert not computed[2].any()
    assert win.output_panel.prediction.text().startswith("prediction: ?")
    assert win.output_panel.loss.text() == "loss: ?"
    win.step_neuron_action.trigger()
    text = win.math_panel.toPlainText()
    assert "0.59326999" in text  # h1, just computed
    assert "0.59688438" not in text  # h2 is still "?" in the layer's matrix form
    assert "?" in text
    for _ in range(3):
        win.step_neuron_action.trigger()
    assert "0.75136507" in win.output_panel.prediction.text()


def test_the_view_menu_turns_it_off(predicting):
    win = predicting
    assert win.predict_first_action.isChecked()
    win.predict_first_action.setChecked(False)
    assert not win.session.predict_first
    assert "0.75136507" in win.output_panel.prediction.text()


def test_hidden_outputs_after_a_project_with_fewer_outputs_paint(qtbot):
    """Spiral (one output) then classic (two, hidden by predict first): the bars grew to two while their
    colours stayed one, and the output panel's paint took the process down (a segmentation fault)."""
    from nnviz.app.panels.output_panel import OutputPanel
    from nnviz.core.datasets.projects import default_project

    session = Session(default_project("spiral"))
    panel = OutputPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    session.set_project(load_example("classic"))
    assert panel.prediction.text().startswith("prediction: ?")
    panel.grab()  # paints the plot now
    assert len(panel.bars.opts["brushes"]) == len(panel.bars.opts["x"]) == 2


def test_the_output_panel_draws_a_trace_once_and_a_step_only_when_it_shows_the_outputs(qtbot, monkeypatch):
    """Every new trace is followed by a step signal: the panel drew twice for each training redraw."""
    from nnviz.app.panels.output_panel import OutputPanel

    session = Session(load_example("classic"))
    panel = OutputPanel(session)
    qtbot.addWidget(panel)
    draws = []
    original = panel._set_bars
    monkeypatch.setattr(panel, "_set_bars", lambda *args: (draws.append(1), original(*args)))
    session.edit_weight(0, 0, 0, 0.2)
    assert len(draws) == 1
    draws.clear()
    session.step_neuron()  # a hidden neuron: the outputs stay hidden
    assert draws == []
    while panel.prediction.text().startswith("prediction: ?"):
        session.step_neuron()
    assert len(draws) == 1  # the step that computed the outputs shows them
    assert not panel.prediction.text().startswith("prediction: ?")
