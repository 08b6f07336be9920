"""Confusion counts and regression scores against hand-worked examples and independent computations."""

import numpy as np
import pytest

from nnviz.core.metrics import (
    accuracy_of_counts,
    confusion_counts,
    evaluation_rows,
    n_classes_of,
    predicted_classes,
    regression_scores,
)
from nnviz.core.training import accuracy_of


def test_confusion_counts_match_a_hand_worked_matrix():
    labels = [0, 0, 1, 2, 2, 2]
    predicted = [0, 1, 1, 2, 0, 2]
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    np.testing.assert_array_equal(confusion_counts(labels, predicted, 3), expected)
    assert accuracy_of_counts(expected) == pytest.approx(4 / 6)


def test_confusion_counts_equal_a_loop_over_random_rows():
    rng = np.random.default_rng(3)
    labels, predicted = rng.integers(0, 5, 300), rng.integers(0, 5, 300)
    looped = np.zeros((5, 5), dtype=np.int64)
    for t, p in zip(labels, predicted, strict=True):
        looped[t, p] += 1
    np.testing.assert_array_equal(confusion_counts(labels, predicted, 5), looped)


def test_a_class_nobody_predicts_still_has_its_column():
    counts = confusion_counts([0, 1, 2], [0, 0, 0], 4)
    assert counts.shape == (4, 4)
    np.testing.assert_array_equal(counts[:, 0], [1, 1, 1, 0])


@pytest.mark.parametrize(("labels", "predicted"), [([0, 3], [0, 0]), ([0, 1], [0, -1]), ([0], [0, 1])])
def test_labels_outside_the_classes_are_refused(labels, predicted):
    with pytest.raises(ValueError, match=r"outside|labels but"):
        confusion_counts(labels, predicted, 3)


def test_one_sigmoid_output_is_thresholded_at_one_half():
    outputs = np.array([[0.2], [0.5], [0.51], [0.9]])
    np.testing.assert_array_equal(predicted_classes(outputs), [0, 0, 1, 1])
    assert n_classes_of(1) == 2
    assert n_classes_of(4) == 4


def test_predictions_agree_with_the_trainers_accuracy():
    rng = np.random.default_rng(0)
    for n_out in (1, 4):
        outputs, labels = rng.random((50, n_out)), rng.integers(0, n_classes_of(n_out), 50)
        counts = confusion_counts(labels, predicted_classes(outputs), n_classes_of(n_out))
        assert accuracy_of_counts(counts) == pytest.approx(accuracy_of(outputs, labels))


def test_regression_scores_equal_the_textbook_formulas():
    rng = np.random.default_rng(1)
    target = rng.normal(size=200)
    predicted = target + rng.normal(scale=0.3, size=200)
    r2, rmse = regression_scores(predicted, target)
    ss_res = ((target - predicted) ** 2).sum()
    ss_tot = ((target - target.mean()) ** 2).sum()
    assert r2 == pytest.approx(1 - ss_res / ss_tot)
    assert rmse == pytest.approx(np.sqrt(np.mean((target - predicted) ** 2)))
    assert regression_scores(target, target) == (1.0, 0.0)


def test_predicting_the_mean_scores_zero_and_a_constant_target_has_no_r2():
    target = np.array([1.0, 2.0, 3.0])
    assert regression_scores(np.full(3, 2.0), target)[0] == pytest.approx(0.0)
    r2, rmse = regression_scores([1.0, 2.0], [5.0, 5.0])
    assert np.isnan(r2)
    assert rmse == pytest.approx(np.sqrt((16 + 9) / 2))


def test_evaluation_rows_are_fixed_spread_and_bounded():
    np.testing.assert_array_equal(evaluation_rows(5, 10), np.arange(5))
    rows = evaluation_rows(10_000, 2000)
    assert len(rows) == 2000
    assert len(np.unique(rows)) == 2000
    assert rows[0] == 0
    assert rows[-1] == 9999
    np.testing.assert_array_equal(rows, evaluation_rows(10_000, 2000))
