"""The shipped example projects: they load, they say what they claim, and they train as described."""

import json

import numpy as np
import pytest

from nnviz.core.dataset_ref import reference_to_dataset
from nnviz.core.document import DocumentError, dumps, project_to_json
from nnviz.core.examples import example_path, list_examples, load_example
from nnviz.core.training import Trainer, evaluate


def test_the_examples_are_listed_in_order():
    names = list_examples()
    assert {"classic", "even_odd", "xor"} <= set(names)
    assert names == sorted(names)


@pytest.mark.parametrize("name", list_examples())
def test_examples_round_trip_unchanged_and_have_a_title(name):
    project = load_example(name)
    assert project.extra["title"]
    original = json.loads(example_path(name).read_text())
    again = json.loads(dumps(project_to_json(project)))
    again["training"] = {k: again["training"][k] for k in original["training"]}  # defaults written out
    assert again == original


def test_classic_is_the_published_walk_through():
    project = load_example("classic")
    data = reference_to_dataset(project.dataset)
    np.testing.assert_array_equal(data.x, [[0.05, 0.10]])
    np.testing.assert_array_equal(data.y, [[0.01, 0.99]])
    np.testing.assert_allclose(project.network.forward(data.x), [[0.75136507, 0.772928465]], atol=5e-9)


def test_even_odd_is_trained_and_right_on_every_number():
    project = load_example("even_odd")
    data = reference_to_dataset(project.dataset)
    assert len(data) == 16
    outputs = project.network.forward(data.x)[:, 0]
    is_even = data.x[:, -1] == 0  # the last bit, least significant
    assert data.class_names[1] == "even"
    np.testing.assert_array_equal(outputs > 0.5, is_even)


def test_xor_starts_untrained_and_learns_with_its_own_settings():
    project = load_example("xor")
    data = reference_to_dataset(project.dataset)
    _, before = evaluate(project.network, data.x, data.y, project.training.loss, data.task)
    assert before < 1.0
    Trainer(project.network, project.training, data.task).fit(data.x, data.y, 300)
    _, after = evaluate(project.network, data.x, data.y, project.training.loss, data.task)
    assert after == 1.0


def test_each_load_is_a_fresh_copy():
    first = load_example("classic")
    first.network.weights[0][0, 0] = 99.0
    assert load_example("classic").network.weights[0][0, 0] == 0.15


def test_unknown_example_is_a_clear_error():
    with pytest.raises(DocumentError, match=r"no example named 'mnist'; examples: .*classic"):
        load_example("mnist")
