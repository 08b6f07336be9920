"""Default projects per built-in set: the shipped examples match their data, and small ones really train."""

import numpy as np
import pytest

from nnviz.core.datasets.builtin import BUILTINS, make_dataset
from nnviz.core.datasets.projects import default_project
from nnviz.core.examples import list_examples, load_example
from nnviz.core.training import Trainer, evaluate

MINE = ["circle", "gaussian", "spiral", "plane", "multi_gaussian", "puzzle", "rose_lotus", "line", "digits8",
        "font_digits"]  # fmt: skip


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", MINE)
def test_shipped_example_matches_its_builtin_set(name):
    assert name in list_examples()
    project = load_example(name)
    ref = project.dataset
    assert ref["kind"] == "builtin"
    assert ref["name"] == name
    spec = BUILTINS[name]
    assert ref["parameters"] == spec.defaults
    assert project.training.loss == spec.network.loss
    data_sizes = [len(ref["feature_names"]), *spec.network.hidden]
    assert project.network.sizes[: len(data_sizes)] == data_sizes
    assert (project.scaler is None) == (spec.network.normalize == "none")


@pytest.mark.parametrize("name", ["gaussian", "line", "puzzle", "rose_lotus", "plane"])
def test_small_default_projects_learn_their_set(name):
    project = default_project(name, seed=1)
    data = make_dataset(name, seed=1)
    x = data.x if project.scaler is None else project.scaler.transform(data.x)
    Trainer(project.network, project.training, data.task).fit(x, data.y, BUILTINS[name].network.epochs)
    loss, accuracy = evaluate(project.network, x, data.y, project.training.loss, data.task)
    if data.task == "classification":
        assert accuracy >= 0.95
    else:
        assert loss < 0.01 * np.var(data.y)


def test_default_project_passes_parameters():
    project = default_project("circle", seed=2, samples=60, features="x1^2,x2^2,x1*x2")
    assert project.network.sizes[0] == 3
    assert project.dataset["parameters"]["samples"] == 60


def test_rose_lotus_has_a_red_rose_and_a_white_lotus_output():
    """As the teaching material draws it: two output neurons, softmax, and the higher one wins."""
    project = load_example("rose_lotus")
    assert project.network.sizes == [3, 4, 4, 2]
    assert project.network.output_activation.name == "softmax"
    assert project.training.loss == "cross_entropy"
    assert project.dataset["class_names"] == ["red rose", "white lotus"]
    assert make_dataset("rose_lotus", seed=0).class_names == ["red rose", "white lotus"]


def test_a_softmax_default_network_has_an_output_per_class_even_for_two():
    data = make_dataset("rose_lotus", seed=0)
    assert BUILTINS["rose_lotus"].network.sizes(data)[-1] == 2
    assert BUILTINS["line"].network.sizes(make_dataset("line", seed=0))[-1] == 1  # sigmoid: one output
