"""Hidden views do no work: a live view behind another dock tab does not redraw, and catches up once, when
its tab comes to the front (one rule for every live view: nnviz.app.window.visibility)."""

from PySide6.QtWidgets import QDockWidget

from nnviz.app.window.visibility import on_screen


def _dock(window, name):
    return window.findChild(QDockWidget, name)


def test_a_plot_behind_a_tab_does_not_redraw_until_its_tab_is_shown(qtbot, window, session):
    front, behind = window.activation_plot, window.neuron_view
    window.tabifyDockWidget(_dock(window, "activation"), _dock(window, "single_neuron"))
    _dock(window, "activation").raise_()
    qtbot.waitUntil(lambda: on_screen(front) and not on_screen(behind))
    assert behind.isVisible()  # why isVisible() is not the rule: a view behind a tab still says it is
    qtbot.waitUntil(lambda: not front._timer.isActive() and not behind._timer.isActive())
    drawn_front, drawn_behind = front.draws, behind.draws
    for value in (0.5, 0.6, 0.7):
        session.edit_weight(0, 0, 0, value)
        qtbot.waitUntil(lambda: not front._timer.isActive())
    assert front.draws >= drawn_front + 1  # the plot in view keeps up
    qtbot.waitUntil(lambda: not behind._timer.isActive())
    assert behind.draws == drawn_behind  # the one behind the tab did nothing
    _dock(window, "single_neuron").raise_()
    qtbot.waitUntil(lambda: behind.draws == drawn_behind + 1)  # caught up once on coming into view
    drawn_front = front.draws
    session.edit_weight(0, 0, 0, 0.8)
    qtbot.waitUntil(lambda: behind.draws == drawn_behind + 2)
    assert front.draws == drawn_front  # now the activation plot is the one behind


def test_every_live_view_uses_the_same_rule(qtbot, window):
    """The training maps, the loss curves and the insight docks skip work behind a tab by the same test."""
    training, insights = window.training, window.insights
    hidden = [training.neuron_maps, insights.confusion, insights.prediction, insights.weights]
    _dock(window, "decision_map").raise_()  # the training views share one group of tabs
    qtbot.waitUntil(lambda: not any(on_screen(v) for v in hidden))
    assert on_screen(training.decision_map)
    assert on_screen(training.loss_plot)
    refreshes = dict(insights.refreshes)
    window.session.edit_weight(0, 0, 0, 0.9)
    qtbot.waitUntil(lambda: not insights._timer.isActive())
    assert insights.refreshes == refreshes
    _dock(window, "weights").raise_()
    assert insights.refreshes["weights"] == refreshes["weights"] + 1
