"""The project file's optional `view` section: round trip, strict validation naming the path, old files."""

import json

import pytest

from nnviz.core.document import DocumentError, dumps, project_from_json, project_to_json
from tests.core.test_document import classic

VIEW = {
    "zoom": 2.5,
    "pan": [0.125, -0.25],
    "selection": {"kind": "edge", "layer": 1, "index": 0, "source": 1},
    "step": 3,
    "loss_plot": {"x_axis": "epoch", "log_scale": True},
    "note": "kept",
}


def test_view_round_trips_with_unknown_keys():
    project = project_from_json(classic(view=VIEW))
    assert project.view == VIEW
    assert json.loads(dumps(project_to_json(project)))["view"] == VIEW


def test_a_file_without_a_view_has_none_and_writes_none():
    project = project_from_json(classic())
    assert project.view is None
    assert "view" not in project_to_json(project)


@pytest.mark.parametrize(
    ("view", "message"),
    [
        ([], r"view: expected an object, got a list"),
        ({"zoom": 0}, r"view\.zoom: expected a positive number, got 0"),
        ({"zoom": "2"}, r'view\.zoom: expected a positive number, got "2"'),
        ({"pan": [0.1]}, r"view\.pan: expected 2 numbers, got 1"),
        ({"pan": [0.1, float("nan")]}, r"view\.pan\[1\]: nan is not a finite number"),
        ({"step": -1}, r"view\.step: expected a whole number >= 0, got -1"),
        ({"step": True}, r"view\.step: expected a whole number >= 0, got true"),
        ({"selection": {"kind": "axon", "layer": 0}}, r"view\.selection\.kind: expected one of neuron"),
        ({"selection": {"kind": "neuron", "layer": 3, "index": 0}}, r"view\.selection\.layer: .* below 3"),
        ({"selection": {"kind": "neuron", "layer": 1, "index": 2}}, r"view\.selection\.index: .* below 2"),
        ({"selection": {"kind": "edge", "layer": 2, "index": 0, "source": 0}}, r"layer: .* below 2"),
        ({"selection": {"kind": "edge", "layer": 0, "index": 0}}, r"view\.selection\.source: .* got null"),
        ({"loss_plot": {"x_axis": "time"}}, r'loss_plot\.x_axis: expected "step" or "epoch", got "time"'),
        ({"loss_plot": {"log_scale": 1}}, r"view\.loss_plot\.log_scale: expected true/false, got a number"),
    ],
)
def test_bad_view_states_name_the_place(view, message):
    with pytest.raises(DocumentError, match=message):
        project_from_json(classic(view=view))


def test_a_whole_layer_or_no_selection_is_allowed():
    assert project_from_json(classic(view={"selection": {"kind": "layer", "layer": 2}})).view
    assert project_from_json(classic(view={"selection": None})).view == {"selection": None}
