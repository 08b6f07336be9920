"""A project file may be as large as its network needs, and nnviz never writes one it would refuse to read."""

import json

import numpy as np
import pytest

from nnviz.core import document
from nnviz.core.document import (
    BYTES_PER_PARAMETER,
    DocumentError,
    Project,
    byte_limit,
    declared_parameters,
    load_project,
    project_text,
    project_to_json,
    save_project,
)
from nnviz.core.network import MAX_PARAMETERS, Network


def test_the_declared_parameters_count_weights_biases_and_maxout_pieces():
    layers = [{"size": 784}, {"size": 16, "activation": "relu"}, {"size": 10, "activation": "softmax"}]
    assert declared_parameters(layers) == 784 * 16 + 16 + 16 * 10 + 10
    maxout = [{"size": 3}, {"size": 4, "activation": {"name": "maxout", "pieces": 2}}]
    assert declared_parameters(maxout) == (3 * 4 + 4) * 2
    assert declared_parameters(maxout) == Network.create([3, 4], {"name": "maxout", "pieces": 2}).n_parameters


@pytest.mark.parametrize(
    "layers",
    [None, [], [{"size": 3}], [{"size": 3}, {"size": True}], [{"size": 3}, 7], [{"size": 10_000}] * 3],
    ids=["none", "empty", "one", "bool", "not-a-layer", "beyond-the-limit"],
)
def test_layers_that_declare_no_usable_network_allow_nothing_beyond_the_base_limit(layers):
    assert declared_parameters(layers) == 0
    assert byte_limit(declared_parameters(layers)) == document.MAX_FILE_BYTES


def test_every_network_nnviz_allows_fits_the_limit_whatever_its_numbers():
    longest = json.dumps(-1.2345678901234567e-300) + ", "  # the longest a float64 is written
    assert len(longest) <= BYTES_PER_PARAMETER
    assert byte_limit(MAX_PARAMETERS) >= MAX_PARAMETERS * len(longest)


def test_a_file_larger_than_the_base_limit_opens_when_its_network_needs_the_room(tmp_path, monkeypatch):
    """A 14.2M-parameter network saved to 317 MB, which the 200 MB limit then refused to open."""
    net = Network.create([30, 40, 5], seed=0)
    path = tmp_path / "large.nnviz"
    save_project(Project(net), path)
    size = path.stat().st_size
    monkeypatch.setattr(document, "MAX_FILE_BYTES", size // 4)  # as if the network were 4 times the room
    assert load_project(path).network.sizes == [30, 40, 5]


def test_a_file_larger_than_its_network_needs_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    net = Network.create([3, 4, 2], seed=0)
    text = project_text(project_to_json(Project(net)))
    padded = text.rstrip()[:-1] + ', "padding": "' + "x" * 100_000 + '"}\n'  # an unknown key, kept
    path = tmp_path / "padded.nnviz"
    path.write_text(padded)
    monkeypatch.setattr(document, "MAX_FILE_BYTES", 50_000)
    with pytest.raises(DocumentError, match="for the network it declares"):
        load_project(path)


def test_a_project_too_large_to_open_again_is_not_written(tmp_path, monkeypatch):
    """Four long runs of 784-128-64-10 made a file of about 210 MB, and the 200 MB limit refused to open
    it: the save must refuse instead, while the window still holds the work."""
    net = Network.create([3, 4, 2], seed=0)
    path = tmp_path / "p.nnviz"
    save_project(Project(net), path)
    before = path.read_bytes()
    project = Project(net, history={"loss": np.linspace(1, 0, 5000).tolist()})
    monkeypatch.setattr(document, "MAX_FILE_BYTES", 20_000)
    with pytest.raises(DocumentError, match="Delete training runs you no longer need"):
        save_project(project, path)
    assert path.read_bytes() == before
