"""The loss plot draws snapshots as curves, switches axis and scale, and reads out values under the mouse."""

import itertools

import numpy as np
import pytest

from nnviz.app.plots.loss_plot import LossPlot
from nnviz.app.training.controller import Snapshot
from nnviz.core.training import EpochStats


def snap(step, loss, epochs=()):
    return Snapshot([], [], len(epochs), step, step * 4, loss, list(epochs))


def epoch(n, steps, loss, test_loss, acc=None):
    return EpochStats(n, steps, loss, acc, test_loss, acc, 1000.0, 0.1)


def drawn_labels(axis):
    """The tick labels as the axis lays them out to paint: (rectangle, text) each."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _, text in texts]


@pytest.fixture
def plot(qtbot):
    widget = LossPlot()
    qtbot.addWidget(widget)
    return widget


def test_snapshots_become_curves_on_the_same_items(plot):
    items = (plot.batch_curve, dict(plot.curves))
    plot.add_snapshot(snap(10, 0.9))
    plot.add_snapshot(snap(20, 0.7, [epoch(1, 20, 0.8, 0.85)]))
    plot.add_snapshot(snap(40, 0.5, [epoch(2, 40, 0.6, 0.7)]))
    x, y = plot.batch_curve.getData()
    np.testing.assert_array_equal(x, [10, 20, 40])
    np.testing.assert_array_equal(y, [0.9, 0.7, 0.5])
    x, y = plot.curves["test"].getData()
    np.testing.assert_array_equal(x, [20, 40])
    np.testing.assert_array_equal(y, [0.85, 0.7])
    assert (plot.batch_curve, plot.curves) == items


def test_epoch_axis_plots_against_epochs_and_hides_minibatch_losses(plot):
    plot.add_snapshot(snap(20, 0.7, [epoch(1, 20, 0.8, 0.85)]))
    plot.add_snapshot(snap(40, 0.5, [epoch(2, 40, 0.6, 0.7)]))
    plot.x_axis.setCurrentText("epoch")
    x, y = plot.curves["train"].getData()
    np.testing.assert_array_equal(x, [1, 2])
    np.testing.assert_array_equal(y, [0.8, 0.6])
    assert not plot.batch_curve.isVisible()


def test_accuracy_only_for_classification(plot):
    plot.set_task("classification")
    assert plot.accuracy_plot.isVisible()
    plot.add_snapshot(snap(20, 0.7, [epoch(1, 20, 0.8, 0.85, acc=0.75)]))
    assert list(plot.curves["train_acc"].getData()[1]) == [0.75]
    plot.set_task("regression")
    assert not plot.accuracy_plot.isVisible()


def test_log_scale_toggle(plot):
    plot.log_scale.setChecked(True)
    assert plot.loss_plot.ctrl.logYCheck.isChecked()
    plot.log_scale.setChecked(False)
    assert not plot.loss_plot.ctrl.logYCheck.isChecked()


def test_crosshair_reads_out_the_nearest_values(plot):
    plot.add_snapshot(snap(10, 0.9))
    plot.add_snapshot(snap(20, 0.7, [epoch(1, 20, 0.8, 0.85)]))
    assert plot.readout_at(12) == "step 12: minibatch loss 0.9 · training loss 0.8 · test loss 0.85"
    plot.resize(400, 300)
    plot.show()
    plot.loss_plot.vb.setRange(xRange=(0, 40), padding=0)
    scene_pos = plot.loss_plot.vb.mapViewToScene(plot.loss_plot.vb.viewRect().center())
    plot._on_mouse_moved(scene_pos)
    assert plot.crosshair.value() == pytest.approx(20, abs=1)
    assert plot.readout.text().startswith("step 2")


def test_clear_empties_every_curve(plot):
    plot.add_snapshot(snap(20, 0.7, [epoch(1, 20, 0.8, 0.85)]))
    plot.clear()
    assert len(plot.batch_curve.getData()[0] or []) == 0


def test_the_latest_training_and_test_loss_are_shown_beside_the_plot(plot):
    assert plot.figures.text() == "training loss — · test loss —"
    plot.add_snapshot(snap(5, 0.9))
    assert plot.figures.text() == "training loss 0.9 (minibatch)"
    plot.add_snapshot(snap(20, 0.7, [epoch(1, 20, 0.8, 0.85), epoch(2, 40, 0.61234, 0.6789)]))
    assert plot.figures.text() == "training loss 0.6123 · test loss 0.6789"
    assert plot.figures.font().bold()
    plot.clear()
    assert plot.figures.text() == "training loss — · test loss —"


def test_a_short_dock_keeps_every_axis_label_apart(qtbot, plot):
    """In a 240-px bottom row the automatic accuracy ticks (0, 0.2, …, 1) ran into each other: accuracy has
    three fixed ticks, and the x axis is drawn once, under the accuracy curves."""
    plot.set_task("classification")
    plot.resize(680, 200)
    plot.show()
    qtbot.waitExposed(plot)
    # a cross-entropy start (ln 10 = 2.3 for ten classes); the axes are fitted to it at the redraw
    plot.add_snapshot(snap(400, 0.1, [epoch(1, 200, 2.3, 2.35, acc=0.6), epoch(2, 400, 0.2, 0.3, acc=0.9)]))
    for axis in (plot.loss_plot.getAxis("left"), plot.accuracy_plot.getAxis("left")):
        labels = drawn_labels(axis)
        assert len(labels) >= 2
        for (a, _), (b, _) in itertools.combinations(labels, 2):
            assert not a.intersects(b), [text for _, text in labels]
    assert [text for _, text in drawn_labels(plot.accuracy_plot.getAxis("left"))] == ["0", "0.5", "1"]
    assert not plot.loss_plot.getAxis("bottom").isVisible()
    plot.set_task("regression")  # no accuracy curves: the loss plot has its own x axis again
    assert plot.loss_plot.getAxis("bottom").isVisible()


def test_a_redraw_settles_the_axes_before_the_paint(qtbot, plot):
    """pyqtgraph fits the ranges to the data while painting; the change re-clipped every curve and asked
    for a second paint of the whole plot, every redraw while training. The redraw fits them itself."""
    plot.resize(600, 300)
    plot.show()
    qtbot.waitExposed(plot)
    plot.x_axis.setCurrentText("epoch")
    for n in range(1, 501):
        plot.add_epoch(epoch(n, 10 * n, 5.0 / n, 6.0 / n, acc=1 - 1 / n))
    plot.redraw()  # no event loop turn, so no paint, in between
    (x_low, x_high), (y_low, y_high) = plot.loss_plot.viewRange()
    assert x_low <= 1
    assert x_high >= 500
    assert y_low <= 5.0 / 500
    assert y_high >= 6.0
