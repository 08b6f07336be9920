"""Training snapshots must not make views rebuild what did not change (issue 5: the window keeps up)."""

from nnviz.app.panels.architecture_panel import ArchitecturePanel


def test_architecture_table_is_not_rebuilt_by_a_parameter_update(qtbot, session):
    panel = ArchitecturePanel(session)
    qtbot.addWidget(panel)
    box = panel.table.cellWidget(1, 1)
    net = session.network
    session.apply_parameters([w + 1.0 for w in net.weights], [b.copy() for b in net.biases])
    assert panel.table.cellWidget(1, 1) is box  # the same widget: no rebuild for new weights


def test_architecture_table_follows_an_activation_edit(qtbot, session):
    panel = ArchitecturePanel(session)
    qtbot.addWidget(panel)
    box = panel.table.cellWidget(1, 1)
    session.edit_activation(0, "tanh")
    assert panel.table.cellWidget(1, 1) is not box


def test_redraws_are_spaced_by_what_the_last_one_cost():
    from nnviz.app.training.ui import (
        IDLE_PER_BUSY,
        MAX_REDRAW_INTERVAL_MS,
        REDRAW_INTERVAL_MS,
        redraw_interval_ms,
    )

    assert redraw_interval_ms(0.005) == REDRAW_INTERVAL_MS  # cheap: as often as the eye can use
    assert redraw_interval_ms(0.050) == round((1 + IDLE_PER_BUSY) * 50)  # idle twice as long as busy
    assert redraw_interval_ms(2.0) == MAX_REDRAW_INTERVAL_MS  # a slow machine still sees training move
