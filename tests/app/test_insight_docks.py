"""The training insight docks in the real main window: the confusion matrix, predicted vs true and the weight
histograms show the right numbers, follow training, and do no work while their tab is hidden."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QToolTip
from sklearn.metrics import mean_squared_error, r2_score

from nnviz.app.main_window import DOCK_STATE_VERSION, MainWindow
from nnviz.app.plots.axis_range import follow_range
from nnviz.app.plots.confusion_matrix import cell_colours, cell_tooltip
from nnviz.app.plots.weight_histogram import BINS, grid_columns
from nnviz.app.session import Session
from nnviz.app.training import insight as insight_docks
from nnviz.app.training.insight import MAX_ROWS
from nnviz.core.document import Project
from nnviz.core.examples import load_example
from nnviz.core.network import Network

# softmax([x1, x2, 0]): class 0 when x1 leads, class 1 when x2 leads, class 2 when both are negative
THREE_CLASS_NET = Network([np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])], [np.zeros(3)], ["softmax"])
THREE_CLASS_ROWS = {
    "x": [[1, 0], [2, 1], [0, 1], [-1, -1], [-1, -2], [3, -1]],
    "y": [0, 0, 1, 1, 2, 2],
    #   predicted: 0, 0, 1, 2, 2, 0
}
THREE_CLASS_COUNTS = np.array([[2, 0, 0], [0, 1, 1], [1, 0, 1]])


@pytest.fixture
def open_window(open_window):
    """The shared opener (tests/app/conftest.py), given a project instead of a session."""

    def open_(project: Project) -> MainWindow:
        return open_window(Session(project))

    return open_


def inline(rows: dict, task: str = "classification", **names) -> dict:
    return {"kind": "inline", "task": task, **rows, **names}


def show_dock(qtbot, win: MainWindow, name: str) -> None:
    """Bring the dock's tab to the front and wait for its catch-up update."""
    insights = win.insights
    before = insights.refreshes[name]
    next(d for d in insights.docks if d.objectName() == name).raise_()
    qtbot.waitUntil(lambda: insights.refreshes[name] > before)


def wait_refreshed(qtbot, win: MainWindow, name: str, before: int) -> None:
    qtbot.waitUntil(lambda: win.insights.refreshes[name] > before)


# -- confusion matrix --------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_confusion_counts_equal_the_hand_computed_matrix(qtbot, open_window, dtype):
    net = THREE_CLASS_NET.astype(dtype)
    project = Project(net, dataset=inline(THREE_CLASS_ROWS, class_names=["a", "b", "c"]))
    win = open_window(project)
    show_dock(qtbot, win, "confusion")
    view = win.insights.confusion
    np.testing.assert_array_equal(view.grid.counts, THREE_CLASS_COUNTS)
    assert view.grid.names == ["a", "b", "c"]
    assert "Accuracy 66.7 %" in view.heading.text()
    assert "training rows (no test split), 6 rows" in view.heading.text()  # too few rows to hold any out
    assert view.message.isHidden()


def test_a_cells_tooltip_names_its_classes_and_share(qtbot, open_window):
    project = Project(THREE_CLASS_NET.copy(), dataset=inline(THREE_CLASS_ROWS))
    win = open_window(project)
    show_dock(qtbot, win, "confusion")
    grid = win.insights.confusion.grid
    centre = grid.cell_rect(1, 2).center()
    assert grid.cell_at(centre) == (1, 2)
    assert grid.cell_at(QPoint(0, 0)) is None
    QApplication.sendEvent(grid, QHelpEvent(QEvent.Type.ToolTip, centre, grid.mapToGlobal(centre)))
    assert QToolTip.text() == "true 1 predicted 2: 1 sample (50.0 % of class 1)"
    assert cell_tooltip(THREE_CLASS_COUNTS, ["0", "1", "2"], 0, 0) == (
        "true 0 predicted 0: 2 samples (100.0 % of class 0)"
    )


def test_cells_are_tinted_by_their_share_of_the_true_class():
    colours = cell_colours(THREE_CLASS_COUNTS)
    np.testing.assert_array_equal(colours[0, 1], [255, 255, 255])  # no sample: white
    assert colours[0, 0, 2] > colours[0, 0, 0]  # all of class 0 right: blue
    assert colours[2, 0, 0] > colours[2, 0, 2]  # half of class 2 wrong: orange
    assert colours[2, 0].sum() > colours[0, 0].sum() - 255  # and paler than a full cell


def test_one_sigmoid_output_gives_a_two_by_two_matrix_thresholded_at_one_half(qtbot, open_window):
    net = Network([np.array([[1.0]])], [np.zeros(1)], ["sigmoid"])  # output > 0.5 exactly when x > 0
    rows = {"x": [[-2], [-1], [1], [2], [3]], "y": [0, 1, 1, 0, 1]}
    win = open_window(Project(net, dataset=inline(rows)))
    show_dock(qtbot, win, "confusion")
    np.testing.assert_array_equal(win.insights.confusion.grid.counts, [[1, 1], [1, 2]])


def wait_paused_and_synced(qtbot, training):
    snapshots = []
    training.controller.snapshot_ready.connect(snapshots.append)
    qtbot.waitUntil(lambda: bool(snapshots) and not snapshots[-1].running, timeout=20000)


def test_the_confusion_matrix_counts_the_test_split_and_follows_training(qtbot, open_window):
    win = open_window(load_example("spiral"))
    show_dock(qtbot, win, "confusion")
    view, data = win.insights.confusion, win.training.data
    before = view.grid.counts.copy()
    assert before.sum() == len(data.x_test)
    assert f"test split, {len(data.x_test)} rows" in view.heading.text()
    refreshes = win.insights.refreshes["confusion"]
    win.training.controller.step_epoch()
    wait_paused_and_synced(qtbot, win.training)
    wait_refreshed(qtbot, win, "confusion", refreshes)
    after = view.grid.counts
    assert not np.array_equal(after, before)
    expected = np.zeros((2, 2), dtype=int)
    for output, label in zip(win.session.network.forward(data.x_test)[:, 0], data.y_test, strict=True):
        expected[label, int(output > 0.5)] += 1
    np.testing.assert_array_equal(after, expected)


def test_at_most_max_rows_fixed_training_rows_are_counted(qtbot, open_window):
    win = open_window(load_example("font_digits"))
    show_dock(qtbot, win, "confusion")
    view = win.insights.confusion
    assert view.grid.counts.sum() == len(win.training.data.x_test)
    refreshes = win.insights.refreshes["confusion"]
    win.training.panel.test_fraction.setValue(0.0)  # no test split: training rows are counted
    wait_refreshed(qtbot, win, "confusion", refreshes)
    assert view.grid.counts.sum() == MAX_ROWS
    assert f"{MAX_ROWS:,} of {len(win.training.data.x):,} rows" in view.heading.text()


# -- predicted vs true -------------------------------------------------------------------------------------
def test_predicted_vs_true_scores_equal_sklearns(qtbot, open_window):
    win = open_window(load_example("multi_gaussian"))
    show_dock(qtbot, win, "predicted_vs_true")
    view, data = win.insights.prediction, win.training.data
    predicted = win.session.network.forward(data.x_test)[:, 0]
    target = data.y_test[:, 0]
    assert view.r2 == pytest.approx(r2_score(target, predicted))
    assert view.rmse == pytest.approx(np.sqrt(mean_squared_error(target, predicted)))
    x, y = view.points.getData()
    np.testing.assert_allclose(x, target)
    np.testing.assert_allclose(y, predicted)
    assert f"R² {view.r2:.3f}" in view.heading.text()
    assert view.output.isHidden()  # one output: nothing to pick


def test_the_output_picker_chooses_which_output_is_plotted(qtbot, open_window):
    net = Network([np.array([[1.0], [-2.0]])], [np.array([0.0, 1.0])], ["identity"])
    rows = {"x": [[0.0], [1.0], [2.0], [3.0]], "y": [[0.0, 1.0], [1.0, -1.0], [2.5, -3.0], [3.0, -4.0]]}
    win = open_window(Project(net, dataset=inline(rows, "regression", target_names=["speed", "cost"])))
    show_dock(qtbot, win, "predicted_vs_true")
    view = win.insights.prediction
    assert [view.output.itemText(i) for i in range(view.output.count())] == ["speed", "cost"]
    np.testing.assert_allclose(view.points.getData()[1], [0, 1, 2, 3])
    view.output.setCurrentIndex(1)
    np.testing.assert_allclose(view.points.getData()[0], [1, -1, -3, -4])
    np.testing.assert_allclose(view.points.getData()[1], [1, -1, -3, -5])
    assert view.rmse == pytest.approx(np.sqrt(1 / 4))


# -- weight histograms ----------------------------------------------------------------------------------
def test_histogram_counts_equal_numpys_for_every_layer(qtbot, open_window):
    win = open_window(load_example("digits8"))
    show_dock(qtbot, win, "weights")
    view, net = win.insights.weights, win.session.network
    assert len(view.plots) == len(net.weights)
    for k, w in enumerate(net.weights):
        low, high = view.x_ranges[k]
        assert low <= w.min()
        assert w.max() <= high
        np.testing.assert_array_equal(view.counts(k), np.histogram(w, BINS, range=(low, high))[0])


def test_an_edit_outside_the_range_widens_it_and_is_counted(qtbot, open_window):
    win = open_window(load_example("xor"))
    show_dock(qtbot, win, "weights")
    view = win.insights.weights
    win.session.edit_weight(0, 1, 0, 9.5)
    qtbot.waitUntil(lambda: view.x_ranges[0][1] >= 9.5)
    w = win.session.network.weights[0]
    np.testing.assert_array_equal(view.counts(0), np.histogram(w, BINS, range=view.x_ranges[0])[0])
    assert view.counts(0).sum() == w.size


def test_biases_too_counts_each_layers_biases_on_the_same_bins(qtbot, open_window):
    win = open_window(load_example("xor"))
    show_dock(qtbot, win, "weights")
    view, net = win.insights.weights, win.session.network
    assert not view.bias_curves[0].isVisible()
    view.biases_too.setChecked(True)
    for k, b in enumerate(net.biases):
        assert view.bias_curves[k].isVisible()
        counts = view.bias_curves[k].yData
        np.testing.assert_array_equal(counts, np.histogram(b, BINS, range=view.x_ranges[k])[0])


def test_the_axis_range_holds_still_for_small_moves_and_follows_big_ones():
    shown = follow_range(None, -1.0, 1.0)
    assert shown[0] < -1.0
    assert shown[1] > 1.0
    assert follow_range(shown, -0.95, 1.02) == shown  # jitter inside: no change
    wider = follow_range(shown, -1.0, 3.0)
    assert wider[1] > 3.0
    narrower = follow_range(wider, -0.1, 0.1)  # the data fills far less than half: shrink
    assert narrower[1] - narrower[0] < 0.5
    flat = follow_range(None, 0.0, 0.0)
    assert flat[0] < 0.0 < flat[1]


def test_histograms_are_laid_out_to_suit_the_docks_shape():
    assert grid_columns(3, 1200, 200) == 3  # a wide dock: one row
    assert grid_columns(3, 300, 900) == 1  # a tall one: one column
    assert grid_columns(4, 600, 400) == 2
    assert grid_columns(1, 100, 100) == 1


# -- when the docks work, and what they say when they cannot --------------------------------------------
def test_hidden_docks_do_no_work_and_catch_up_when_shown(qtbot, open_window):
    win = open_window(load_example("digits8"))
    insights = win.insights
    for value in (0.5, 0.75, 1.0):
        win.session.edit_weight(0, 0, 0, value)
    qtbot.wait(50)
    assert insights.refreshes == {"confusion": 0, "predicted_vs_true": 0, "weights": 0}
    show_dock(qtbot, win, "weights")
    assert insights.refreshes == {"confusion": 0, "predicted_vs_true": 0, "weights": 1}
    np.testing.assert_array_equal(
        insights.weights.counts(0),
        np.histogram(win.session.network.weights[0], BINS, range=insights.weights.x_ranges[0])[0],
    )
    for value in (1.5, 2.0):  # a burst of edits: one update
        win.session.edit_weight(0, 0, 0, value)
    wait_refreshed(qtbot, win, "weights", 1)
    qtbot.wait(20)
    assert insights.refreshes == {"confusion": 0, "predicted_vs_true": 0, "weights": 2}


@pytest.mark.parametrize(
    ("example", "dock", "message"),
    [
        ("multi_gaussian", "confusion", "Confusion matrix: classification data only."),
        ("digits8", "predicted_vs_true", "Predicted vs true: regression data only."),
    ],
)
def test_a_dock_that_does_not_fit_the_task_says_so(qtbot, open_window, example, dock, message):
    win = open_window(load_example(example))
    show_dock(qtbot, win, dock)
    view = win.insights.confusion if dock == "confusion" else win.insights.prediction
    assert view.message.text() == message
    assert view.message.isVisible()


def test_a_project_without_data_gets_a_message_but_still_its_weights(qtbot, open_window):
    win = open_window(Project(Network.create([3, 4, 2], seed=1)))
    show_dock(qtbot, win, "confusion")
    assert "no data" in win.insights.confusion.message.text()
    show_dock(qtbot, win, "predicted_vs_true")
    assert "no data" in win.insights.prediction.message.text()
    show_dock(qtbot, win, "weights")
    assert win.insights.weights.counts(1).sum() == 8


def test_the_docks_sit_with_the_loss_with_unique_layout_names(open_window):
    win = open_window(load_example("xor"))
    names = [dock.objectName() for dock in win.findChildren(QDockWidget)]
    assert all(names)
    assert len(names) == len(set(names))
    assert [d.windowTitle() for d in win.insights.docks] == ["Confusion", "Predicted vs true", "Weights"]
    loss = next(d for d in win.findChildren(QDockWidget) if d.objectName() == "loss")
    assert set(win.insights.docks) <= set(win.tabifiedDockWidgets(loss))


def test_a_layout_saved_before_the_docks_existed_leaves_them_in_their_default_place(monkeypatch, open_window):
    with monkeypatch.context() as patch:  # an older window: its state names none of today's insight docks
        patch.setattr(
            insight_docks, "DOCKS", tuple((title, f"old_{name}") for title, name in insight_docks.DOCKS)
        )
        state = open_window(load_example("xor")).saveState(DOCK_STATE_VERSION)
    win = open_window(load_example("xor"))
    assert win.restoreState(state, DOCK_STATE_VERSION)
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    assert all(win.dockWidgetArea(dock) == bottom for dock in win.insights.docks)
    assert not any(dock.isHidden() for dock in win.insights.docks)
