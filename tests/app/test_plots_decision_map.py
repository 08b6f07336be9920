"""Decision-boundary and per-neuron heat maps: right colours in the right places, items reused."""

import numpy as np
import pytest

from nnviz.app.plots.colours import (
    CLASS_COLOURS,
    MAX_TINT,
    class_probabilities,
    diverging_colours,
    probability_colours,
)
from nnviz.app.plots.decision_map import RESOLUTION, DecisionMap, NeuronMaps, plane_bounds, plane_grid
from nnviz.core.network import Network


def test_certain_class_gets_its_tinted_colour_and_a_tie_is_white():
    rgba = probability_colours(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 0.0 + 1.0]]))
    expected = 255 + (CLASS_COLOURS[0] - 255) * MAX_TINT
    np.testing.assert_array_equal(rgba[0, :3], expected.astype(np.uint8))
    np.testing.assert_array_equal(rgba[1], [255, 255, 255, 255])
    assert rgba[2, 2] > rgba[2, 0]  # class 1 is blue


def test_three_classes_blend_by_probability():
    rgba = probability_colours(np.array([[0.6, 0.4, 0.0]]))
    confidence = (0.6 - 1 / 3) / (2 / 3)
    mix = 0.6 * CLASS_COLOURS[0] + 0.4 * CLASS_COLOURS[1]
    np.testing.assert_allclose(rgba[0, :3], 255 + (mix - 255) * confidence * MAX_TINT, atol=1)


def test_one_sigmoid_output_is_two_class_probabilities():
    np.testing.assert_allclose(class_probabilities(np.array([[0.2]])), [[0.8, 0.2]])


def test_diverging_colours_white_at_zero_orange_negative_blue_positive():
    rgba = diverging_colours(np.array([-2.0, 0.0, 2.0]))
    np.testing.assert_array_equal(rgba[1], [255, 255, 255, 255])
    assert rgba[0, 0] > rgba[0, 2]
    assert rgba[2, 2] > rgba[2, 0]


def test_grid_runs_bottom_row_first_and_covers_the_bounds():
    grid = plane_grid((0.0, 1.0, 10.0, 20.0), 3)
    np.testing.assert_array_equal(grid[:3], [[0, 10], [0.5, 10], [1, 10]])
    np.testing.assert_array_equal(grid[-1], [1, 20])
    assert plane_bounds(np.array([[0.0, 0.0], [1.0, 2.0]])) == pytest.approx((-0.1, 1.1, -0.2, 2.2))


@pytest.fixture
def decision_map(qtbot):
    widget = DecisionMap()
    qtbot.addWidget(widget)
    return widget


def test_boundary_x_equals_zero_splits_the_map_left_orange_right_blue(decision_map):
    x = np.array([[-1.0, -1.0], [1.0, 1.0]])
    decision_map.set_data(x, np.array([0, 1]), "classification", x_test=np.array([[0.5, -0.5]]), y_test=[1])
    network = Network([np.array([[20.0, 0.0]])], [np.zeros(1)], ["sigmoid"])
    image_item = decision_map.image
    decision_map.set_network(network)
    image = decision_map.image.image
    assert decision_map.image is image_item
    assert image.shape == (RESOLUTION, RESOLUTION, 4)
    left, right = image[RESOLUTION // 2, 2], image[RESOLUTION // 2, -3]
    assert left[0] > left[2]
    assert right[2] > right[0]
    assert len(decision_map.train_points.data) == 2
    assert len(decision_map.test_points.data) == 1


def test_point_toggles_hide_training_and_test_points(decision_map):
    decision_map.set_data(np.zeros((3, 2)), np.array([0, 1, 0]), "classification")
    decision_map.show_train.setChecked(False)
    assert not decision_map.train_points.isVisible()
    decision_map.show_test.setChecked(False)
    assert not decision_map.test_points.isVisible()
    decision_map.show_train.setChecked(True)
    assert decision_map.train_points.isVisible()


def test_regression_output_is_a_diverging_map(decision_map):
    x = np.array([[-1.0, 0.0], [1.0, 0.0]])
    decision_map.set_data(x, np.array([[-1.0], [1.0]]), "regression")
    decision_map.set_network(Network([np.array([[1.0, 0.0]])], [np.zeros(1)], ["identity"]))
    image = decision_map.image.image
    middle = image[RESOLUTION // 2]
    assert middle[0, 0] > middle[0, 2]
    assert middle[-1, 2] > middle[-1, 0]


def test_networks_without_two_inputs_get_a_note_not_a_map(decision_map):
    decision_map.set_network(Network.create([3, 2, 1], seed=0))
    assert "2 inputs" in decision_map.note.text()


def test_neuron_maps_one_per_hidden_neuron_and_reused(qtbot):
    maps = NeuronMaps()
    qtbot.addWidget(maps)
    maps.set_plane((-1.0, 1.0, -1.0, 1.0))
    network = Network.create([2, 3, 2, 1], "tanh", "sigmoid", seed=0)
    network.weights[0][0] = [5.0, 0.0]  # neuron 0 of layer 1 responds to x only
    maps.set_network(network)
    assert [len(column) for column in maps.images] == [3, 2]
    first = maps.images[0][0]
    maps.set_network(network)
    assert maps.images[0][0] is first
    image = first.image
    np.testing.assert_array_equal(image[0, :, :], image[-1, :, :])  # constant along y
    assert image[0, 0, 0] > image[0, 0, 2]  # tanh(−5): orange on the left
    assert image[0, -1, 2] > image[0, -1, 0]


def test_the_map_image_covers_exactly_the_data_bounds(decision_map):
    x = np.array([[-3.0, 1.0], [5.0, 2.0]])
    decision_map.set_data(x, np.array([0, 1]), "classification")
    decision_map.set_network(Network.create([2, 1], "sigmoid", seed=0))
    shown = decision_map.image.mapRectToParent(decision_map.image.boundingRect())
    x0, x1, y0, y1 = decision_map.bounds
    assert (shown.left(), shown.right(), shown.top(), shown.bottom()) == pytest.approx((x0, x1, y0, y1))


def test_a_large_set_is_drawn_as_a_bounded_evenly_spread_sample_and_the_note_says_so(qtbot):
    """60,000 points cost 13 s to draw (a brush object per point); the map shows MAX_POINTS of them."""
    from nnviz.app.plots.decision_map import MAX_POINTS

    view = DecisionMap()
    qtbot.addWidget(view)
    n = 3 * MAX_POINTS
    x = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    view.set_data(x, np.arange(n) % 3, "classification", x[:10], np.zeros(10, int))
    drawn = view.train_points.getData()[0]
    assert len(drawn) == MAX_POINTS
    assert (drawn[0], drawn[-1]) == (0, n - 1)  # spread over the whole set, ends included
    assert len(view.test_points.getData()[0]) == 10
    view.set_network(Network.create([2, 3, 3], activation="tanh", output_activation="softmax", seed=0))
    assert f"Showing {MAX_POINTS:,} of {n:,} training points" in view.note.text()


def test_data_of_more_than_two_inputs_is_not_plotted_pixel_against_pixel(qtbot):
    view = DecisionMap()
    qtbot.addWidget(view)
    x = np.random.default_rng(0).random((50, 784))
    view.set_data(x, np.arange(50) % 10, "classification", x, np.arange(50) % 10)
    assert len(view.train_points.getData()[0]) == 0
    assert len(view.test_points.getData()[0]) == 0
    view.set_network(Network.create([784, 4, 10], activation="tanh", output_activation="softmax", seed=0))
    assert "2 inputs" in view.note.text()
