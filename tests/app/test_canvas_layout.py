"""Canvas geometry and hit-testing, checked without painting."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnviz.app.canvas.layout import (
    EDGE_BUDGET,
    STRONGEST_FROM_IMAGE,
    Layout,
    guess_image_shape,
    visible_edges,
)
from nnviz.app.selection import Selection


@pytest.mark.parametrize(
    "sizes", [[2, 2, 1], [2, 4, 4, 1], [2, 2, 2], [784, 16, 16, 10], [784, 128, 64, 10], [3, 50, 1]]
)
def test_every_neuron_lies_inside_the_area_and_columns_go_left_to_right(sizes):
    layout = Layout(sizes, 1600, 1000)
    xs = [c.x for c in layout.columns]
    assert xs == sorted(xs)
    assert len(set(xs)) == len(xs)
    for col, n in zip(layout.columns, sizes, strict=True):
        assert len(col.ys) == n
        assert col.ys.min() - col.radius >= 0
        assert col.ys.max() + col.radius <= 1000
        assert col.xs.min() - col.radius >= 0
        assert col.xs.max() + col.radius <= 1600
        assert np.all(np.diff(col.ys) > 0)
        if n > 1:  # circles never overlap their neighbours
            assert 2 * col.radius < col.spacing + 1e-9


@given(st.lists(st.integers(1, 300), min_size=2, max_size=6), st.integers(240, 2400), st.integers(160, 1600))
def test_every_neuron_centre_hits_itself(sizes, width, height):
    layout = Layout(sizes, width, height)
    for k, col in enumerate(layout.columns):
        for i in {0, len(col.ys) // 2, len(col.ys) - 1}:
            assert layout.neuron_at(col.xs[i], col.ys[i]) == (k, i)


def test_image_input_is_a_pixel_block_and_pixels_hit_row_by_row():
    layout = Layout([784, 16, 16, 10], 1600, 1000, image_shape=(28, 28))
    col = layout.columns[0]
    left, top, w, h = col.image_rect
    assert w == pytest.approx(h)
    cell = col.spacing
    # pixel (row 2, column 5) is neuron 2*28+5
    assert layout.neuron_at(left + 5.5 * cell, top + 2.5 * cell) == (0, 61)
    assert layout.neuron_at(left - 1, top + 1) is None


def test_receptive_field_pixels_name_the_first_layer_weight():
    layout = Layout([64, 16, 10], 1600, 1000, image_shape=(8, 8))
    assert layout.field_size > 0
    x, y, s, _ = layout.field_rect(3)
    cell = s / 8
    assert layout.field_at(x + 6.5 * cell, y + 1.5 * cell) == (3, 1 * 8 + 6)
    assert layout.field_at(x - 2, y + 1) is None


def test_no_receptive_fields_when_they_would_be_specks():
    layout = Layout([784, 128, 64, 10], 1600, 1000, image_shape=(28, 28))
    assert layout.field_size == 0
    assert layout.field_at(*layout.columns[1].xs[:1], layout.columns[1].ys[0]) is None


def test_edge_at_finds_the_edge_under_its_midpoint_and_nothing_far_away():
    layout = Layout([2, 3, 1], 800, 600)
    w = [np.ones((3, 2)), np.ones((1, 3))]
    edges = visible_edges(w)
    x1, y1, x2, y2 = layout.edge_points(0, np.array([2]), np.array([1]))[0]
    assert layout.edge_at((x1 + x2) / 2, (y1 + y2) / 2, edges, 3.0) == (0, 2, 1)
    x1, y1, x2, y2 = layout.edge_points(1, np.array([0]), np.array([0]))[0]
    assert layout.edge_at((x1 + x2) / 2, (y1 + y2) / 2, edges, 3.0) == (1, 0, 0)
    assert layout.edge_at(layout.columns[0].x + 5, 2.0, edges, 3.0) is None


def test_layer_band_and_title_select_the_layer():
    layout = Layout([2, 4, 1], 800, 600)
    col = layout.columns[1]
    between = (col.ys[0] + col.ys[1]) / 2
    assert layout.neuron_at(col.x, between) is None
    assert layout.layer_at(col.x, between) == 1
    assert layout.layer_at(col.x, col.top - 12) == 1  # the title above the column
    assert layout.layer_at((layout.columns[0].x + col.x) / 2, between) is None


def test_small_networks_draw_every_edge_weakest_first():
    rng = np.random.default_rng(0)
    w = [rng.normal(size=(4, 2)), rng.normal(size=(1, 4))]
    for k, (targets, sources) in enumerate(visible_edges(w)):
        assert len(targets) == w[k].size
        assert len(set(zip(targets, sources, strict=True))) == w[k].size
        assert np.all(np.diff(np.abs(w[k][targets, sources])) >= 0)


def test_dense_gaps_keep_each_neurons_strongest_edges():
    rng = np.random.default_rng(1)
    w = [rng.normal(size=(16, 784)), rng.normal(size=(64, 128))]
    (t0, s0), (t1, _s1) = visible_edges(w, image_input=True)
    assert len(t0) == 16 * STRONGEST_FROM_IMAGE
    assert len(t1) <= EDGE_BUDGET
    for j in range(16):
        chosen = np.sort(np.abs(w[0][j, s0[t0 == j]]))
        assert chosen.min() >= np.sort(np.abs(w[0][j]))[-STRONGEST_FROM_IMAGE]


def test_bad_layouts_are_refused():
    with pytest.raises(ValueError, match="two layers"):
        Layout([3], 800, 600)
    with pytest.raises(ValueError, match="image shape"):
        Layout([10, 2], 800, 600, image_shape=(3, 3))


def test_image_shape_is_guessed_only_for_pixel_inputs():
    assert guess_image_shape(784) == (28, 28)
    assert guess_image_shape(64) == (8, 8)
    assert guess_image_shape(4) is None
    assert guess_image_shape(50) is None


def test_selection_values_are_checked():
    assert Selection.edge(0, 2, 1) == Selection("edge", 0, 2, 1)
    assert Selection.neuron(1, 0).describe() == "neuron 0 of layer 1"
    with pytest.raises(ValueError, match="needs"):
        Selection("edge", 0, 1)
    with pytest.raises(ValueError, match="kind"):
        Selection("weight", 0)
    with pytest.raises(ValueError, match="negative"):
        Selection.neuron(0, -1)


def test_an_edge_selection_names_its_ends_and_other_kinds_have_none():
    assert Selection.edge(0, 2, 1).ends() == (2, 1)  # W[0][2, 1]: to neuron 2 from neuron 1
    for other in (Selection.neuron(1, 0), Selection.whole_layer(1)):
        with pytest.raises(ValueError, match="no ends"):
            other.ends()
