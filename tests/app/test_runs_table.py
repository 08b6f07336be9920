"""The Runs dock: each run's final figures and settings, renamed and deleted with undo, ticked to overlay
its loss in the loss plot."""

import numpy as np
import pytest

from tests.app.test_training_runs import train_epochs


@pytest.fixture
def two_runs(qtbot, xor_window):
    train_epochs(qtbot, xor_window, 2)
    xor_window.training.reinitialise()
    xor_window.training.panel.learning_rate.setValue(0.05)
    train_epochs(qtbot, xor_window, 3)
    return xor_window


def cells(table, row):
    return [table.item(row, c).text() for c in range(1, table.columnCount())]


def test_the_table_lists_each_runs_final_figures_and_settings(two_runs):
    ui, runs = two_runs.training.runs_ui, two_runs.session.project.runs
    table = ui.panel.table
    assert table.rowCount() == 2
    first, second = cells(table, 0), cells(table, 1)
    assert first[:2] == ["run 1", "2"]
    assert second[:2] == ["run 2", "3"]
    assert second[2] == format(runs[1].history["loss"][-1], ".4g")
    assert second[7] == "0.05"  # the learning rate it trained with
    assert first[7] != "0.05"


def test_ticked_runs_overlay_their_loss_on_the_epochs_of_each_run(two_runs):
    ui, plot = two_runs.training.runs_ui, two_runs.training.loss_plot
    runs = two_runs.session.project.runs
    ui.tick(runs[0])
    ui.tick(runs[1])
    assert len(ui.overlays) == 2
    x, y = ui.overlays[1].getData()
    np.testing.assert_array_equal(x, [1, 2, 3])  # run 2 starts at its own epoch 1, beside run 1
    np.testing.assert_allclose(y, runs[1].history["loss"])
    assert not plot.curves["train"].isVisible()
    assert not plot.accuracy_plot.isVisible()  # its room goes to the losses compared
    assert "run 2" in plot.key.text()
    ui.tick(runs[0], False)
    ui.tick(runs[1], False)
    assert ui.overlays == {}
    assert plot.curves["train"].isVisible()
    assert plot.accuracy_plot.isVisible()  # XOR is a classification
    assert not plot.loss_plot.getAxis("bottom").isVisible()  # one x axis, under the accuracy curves


def test_renaming_a_run_in_its_cell_is_undoable_and_a_taken_name_is_refused(two_runs):
    ui, session = two_runs.training.runs_ui, two_runs.session
    table = ui.panel.table
    table.item(1, 1).setText("faster")
    assert session.project.runs[1].name == "faster"
    table.item(1, 1).setText("run 1")
    assert session.project.runs[1].name == "faster"
    assert "already" in ui.panel.message.text()
    assert table.item(1, 1).text() == "faster"
    session.undo_stack.undo()
    assert session.project.runs[1].name == "run 2"
    assert table.item(1, 1).text() == "run 2"


def test_deleting_a_run_is_undoable(two_runs):
    ui, session = two_runs.training.runs_ui, two_runs.session
    ui.panel.table.selectRow(0)
    ui.panel.delete.click()
    assert [r.name for r in session.project.runs] == ["run 2"]
    assert ui.panel.table.rowCount() == 1
    session.undo_stack.undo()
    assert [r.name for r in session.project.runs] == ["run 1", "run 2"]
    assert ui.panel.table.rowCount() == 2


def test_a_thinned_run_counts_its_epochs_not_its_rows():
    from nnviz.app.training.runs_table import epoch_count, figures
    from nnviz.core.runs import Run

    thinned = Run("long", [], [], [], None, {"epoch": [1, 3, 5, 7, 8, 9, 10], "loss": [0.9, None, 0.4]})
    assert epoch_count(thinned) == 10
    assert figures(thinned)[1:3] == ["10", "0.4"]  # the last number, past a missing one


def test_the_overlay_counts_a_runs_epochs_from_its_start_and_skips_what_is_no_epoch():
    """A hand-edited file may hold a boolean or text in the epoch column: not epoch 1, not a crash."""
    from nnviz.app.training.runs_table import epoch_count, run_epochs
    from nnviz.core.runs import Run

    edited = Run("edited", [], [], [], None, {"epoch": [True, 4, "5", 6], "loss": [0.9, 0.8, 0.7, 0.6]})
    np.testing.assert_array_equal(run_epochs(edited), [np.nan, 1, np.nan, 3])
    assert epoch_count(edited) == 3
    branch = Run("branch", [], [], [], None, {"epoch": [11, 12]}, parent={"run": "edited", "epoch": 10})
    np.testing.assert_array_equal(run_epochs(branch), [11, 12])
    unreadable = Run("unreadable", [], [], [], None, {"epoch": [False, None]})
    assert np.isnan(run_epochs(unreadable)).all()


def test_a_growing_run_with_nothing_ticked_leaves_the_loss_plot_alone(two_runs, monkeypatch):
    """A run's row is refreshed after every training snapshot; redrawing the plot's overlay each time held
    the event loop while training."""
    ui = two_runs.training.runs_ui
    overlays = []
    monkeypatch.setattr(ui, "_overlay", lambda: overlays.append(1))
    ui.log.runs_changed.emit()
    assert overlays == []
    ui.ticked = [two_runs.session.project.runs[0]]
    ui.log.runs_changed.emit()
    assert overlays == [1]
