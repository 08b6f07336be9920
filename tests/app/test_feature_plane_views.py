"""Feature transforms on the 2-D views: the maps are drawn over the (x1, x2) plane with x1², sin(x1), …
computed per pixel, derived inputs follow x1 and x2 when they are typed, and the canvas draws each neuron's
output map inside its circle."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.canvas.neuron_maps import MAP_RESOLUTION
from nnviz.app.plots.decision_map import RESOLUTION
from nnviz.core.datasets.projects import default_project
from nnviz.core.examples import load_example
from nnviz.core.feature_plane import feature_plane, plane_bounds, plane_grid

FEATURES = "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)"


@pytest.fixture
def spiral_window(window, session):
    session.set_project(default_project("spiral", features=FEATURES))
    return window


def _type(qtbot, spin, text):
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_derived_inputs_follow_x1_and_x2_as_they_are_typed(spiral_window, session, qtbot):
    spins = spiral_window.input_panel.spins
    names = session.dataset.feature_names
    assert names == ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    _type(qtbot, spins[0], "1.5")
    _type(qtbot, spins[1], "-2")
    expected = [1.5, -2.0, 2.25, 4.0, -3.0, np.sin(1.5), np.sin(-2.0)]
    assert session.input == pytest.approx(expected)
    assert [s.value() for s in spins] == pytest.approx(expected, abs=1e-4)  # the fields show it too
    _type(qtbot, spins[5], "0.25")  # a derived input typed itself stays as typed
    assert session.input[5] == pytest.approx(0.25)
    assert session.input[0] == pytest.approx(1.5)


def test_the_decision_map_is_drawn_over_the_plane_with_features_per_pixel(spiral_window, session):
    training = spiral_window.training
    plane = training.plane
    assert plane is not None
    assert plane.plane.features == tuple(FEATURES.split(","))
    decision = training.decision_map
    decision.set_network(session.network)
    assert decision.image.image.shape[:2] == (RESOLUTION, RESOLUTION)
    # the points drawn are the data's x1, x2 (not two scaled inputs), and the map is their plane
    raw = session.dataset.x[:, :2]
    drawn = np.column_stack(decision.train_points.getData())
    assert drawn.min() >= raw.min() - 1e-9
    assert drawn.max() <= raw.max() + 1e-9
    grid = plane_grid(decision.bounds, RESOLUTION)
    x = session.project.scaler.transform(plane.plane.inputs(grid)) if session.project.scaler else grid
    assert x.shape[1] == 7
    assert np.allclose(decision._outputs, session.network.forward(x))


def test_each_neuron_shows_its_output_map_inside_its_circle(spiral_window, session, qtbot):
    canvas = spiral_window.canvas
    training = spiral_window.training
    assert training.maps_action.isChecked()
    canvas.repaint()
    computed = canvas.neuron_maps.computed
    assert computed >= 1
    canvas.repaint()
    assert canvas.neuron_maps.computed == computed  # kept while the weights stay
    brushes = canvas.neuron_maps.brushes(session.network, canvas._palette)
    assert [len(b) for b in brushes] == session.network.sizes
    # a pixel inside the output neuron's circle is its map's colour there, not the plain activation fill
    col = canvas.layout_geometry.columns[-1]
    image = canvas.grab().toImage()
    centre = canvas.screen_point(col.x, float(col.ys[0]))
    shares = brushes[-1][0].textureImage()
    assert shares.width() == MAP_RESOLUTION
    expected = shares.pixelColor(MAP_RESOLUTION // 2, MAP_RESOLUTION // 2)
    got = image.pixelColor(centre.toPoint())
    assert abs(got.red() - expected.red()) + abs(got.green() - expected.green()) < 40
    # a parameter change recomputes the maps once, at the next paint
    session.edit_weight(0, 0, 0, 3.0)
    canvas.repaint()
    assert canvas.neuron_maps.computed == computed + 1
    training.maps_action.setChecked(False)
    assert canvas.neuron_maps.brushes(session.network, canvas._palette) is None


def test_a_one_sample_data_set_gets_sensible_axes(window, session):
    session.set_project(load_example("classic"))
    bounds = window.training.decision_map.bounds
    assert bounds[1] - bounds[0] >= 1.0
    assert bounds[3] - bounds[2] >= 1.0
    assert plane_bounds(np.array([[0.05, 0.10]])) == pytest.approx((-0.45, 0.55, -0.4, 0.6))


def test_the_plane_of_inputs_that_are_not_playground_features():
    assert feature_plane(["a", "b"], 2).features == ("x1", "x2")
    assert feature_plane(["a", "b", "c"], 3) is None
    assert not feature_plane(["x1", "x2"], 2).derived
    assert feature_plane(["x1^2", "x2^2"], 2).points(np.ones((3, 2))) is None


def test_discretize_colours_each_pixel_by_the_predicted_class(qtbot):
    from nnviz.app.plots.colours import MAX_TINT, WHITE, class_colour
    from nnviz.app.plots.decision_map import DecisionMap
    from nnviz.core.network import Network

    decision = DecisionMap()
    qtbot.addWidget(decision)
    decision.set_data(np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([0, 1]), "classification")
    decision.set_network(Network([np.array([[0.3, 0.0]])], [np.zeros(1)], ["sigmoid"]))  # unsure everywhere
    unsure = decision.image.image[:, :, :3].astype(float)
    decision.discretize.setChecked(True)
    sure = decision.image.image[:, :, :3].astype(float)
    left, right = sure[0, 0], sure[0, -1]
    assert np.allclose(left, WHITE + (np.array(class_colour(0)) - WHITE) * MAX_TINT, atol=1)
    assert np.allclose(right, WHITE + (np.array(class_colour(1)) - WHITE) * MAX_TINT, atol=1)
    assert np.abs(unsure - WHITE).max() < np.abs(sure - WHITE).max()


def test_features_without_x1_and_x2_still_map_the_plane_and_say_why_no_points(window, session):
    session.set_project(default_project("circle", features="x1^2,x2^2"))
    decision = window.training.decision_map
    decision.set_network(session.network)
    assert decision.bounds == (-6.0, 6.0, -6.0, 6.0)
    assert decision._outputs is not None
    assert len(decision.train_points.getData()[0]) == 0
    assert "not drawn" in decision.note.text()
