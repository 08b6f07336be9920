"""Architecture edits keep every weight whose place survives and build valid networks."""

import numpy as np
import pytest

from nnviz.core import architecture as arch
from nnviz.core.network import Network, NetworkError


@pytest.fixture
def net():
    return Network.create([3, 4, 2], activation="tanh", output_activation="sigmoid", seed=1)


def test_add_neuron_keeps_old_weights_and_leaves_original(net):
    before = [w.copy() for w in net.weights]
    grown = arch.add_neuron(net, 1, seed=2)
    assert grown.sizes == [3, 5, 2]
    np.testing.assert_array_equal(grown.weights[0][:4], before[0])
    np.testing.assert_array_equal(grown.weights[1][:, :4], before[1])
    np.testing.assert_array_equal(grown.biases[0][:4], net.biases[0])
    assert net.sizes == [3, 4, 2]
    np.testing.assert_array_equal(net.weights[0], before[0])


def test_remove_neuron_deletes_its_row_and_column(net):
    small = arch.remove_neuron(net, 1, 2)
    assert small.sizes == [3, 3, 2]
    np.testing.assert_array_equal(small.weights[0], np.delete(net.weights[0], 2, axis=0))
    np.testing.assert_array_equal(small.weights[1], np.delete(net.weights[1], 2, axis=1))
    np.testing.assert_array_equal(small.biases[1], net.biases[1])


def test_removing_a_zero_weight_neuron_changes_no_output(net):
    grown = arch.add_neuron(net, 1, seed=3)
    grown.weights[1][:, -1] = 0.0
    x = np.random.default_rng(0).normal(size=(5, 3))
    np.testing.assert_allclose(grown.forward(x), net.forward(x))
    np.testing.assert_allclose(arch.remove_neuron(grown, 1, 4).forward(x), net.forward(x))


def test_insert_and_remove_hidden_layer(net):
    deep = arch.insert_hidden_layer(net, 2, 6, "relu", seed=0)
    assert deep.sizes == [3, 4, 6, 2]
    assert [a.name for a in deep.activations] == ["tanh", "relu", "sigmoid"]
    np.testing.assert_array_equal(deep.weights[0], net.weights[0])
    back = arch.remove_hidden_layer(deep, 2, seed=0)
    assert back.sizes == [3, 4, 2]
    assert [a.name for a in back.activations] == ["tanh", "sigmoid"]
    np.testing.assert_array_equal(back.weights[0], net.weights[0])


def test_build_784_16_16_10_from_a_small_network():
    net = Network.create([2, 4, 1], activation="sigmoid", seed=0)
    net = arch.fit_to_dataset(net, 784, 10, "softmax", seed=1)
    net = arch.resize_layer(net, 1, 16, seed=2)
    net = arch.insert_hidden_layer(net, 2, 16, "relu", seed=3)
    assert net.sizes == [784, 16, 16, 10]
    assert net.activations[-1].name == "softmax"
    assert net.forward(np.zeros(784)).sum() == pytest.approx(1.0)


def test_set_activation_with_parameter(net):
    changed = arch.set_activation(net, 1, {"name": "leaky_relu", "alpha": 0.2})
    assert changed.activations[0].params["alpha"] == 0.2
    np.testing.assert_array_equal(changed.weights[0], net.weights[0])


@pytest.mark.parametrize(
    "edit",
    [
        lambda n: arch.remove_neuron(n, 1, 9),
        lambda n: arch.remove_neuron(arch.resize_layer(n, 2, 1), 2, 0),
        lambda n: arch.remove_hidden_layer(n, 2),
        lambda n: arch.insert_hidden_layer(n, 0, 3),
        lambda n: arch.insert_hidden_layer(n, 1, 3, "softmax"),
        lambda n: arch.set_activation(n, 0, "relu"),
        lambda n: arch.set_activation(n, 1, "softmax"),
        lambda n: arch.resize_layer(n, 1, 0),
        lambda n: arch.add_neuron(n, 3),
    ],
)
def test_impossible_edits_are_refused_with_a_network_error(net, edit):
    with pytest.raises(NetworkError):
        edit(net)
