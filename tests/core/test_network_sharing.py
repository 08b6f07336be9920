"""Readers share a network's arrays instead of copying them; an edit copies the one layer it changes."""

from multiprocessing.reduction import ForkingPickler

import numpy as np
import pytest

from nnviz.core.network import Network, NetworkError


def small() -> Network:
    return Network.create([3, 4, 2], activation="tanh", seed=1)


def test_a_shared_network_holds_the_same_arrays_read_only():
    net = small()
    twin = net.shared()
    for mine, theirs in zip(net.weights + net.biases, twin.weights + twin.biases, strict=True):
        assert mine is theirs
        assert not theirs.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        twin.weights[0][0, 0] = 1.0


def test_an_edit_after_sharing_copies_only_the_layer_it_changes():
    net = small()
    twin = net.shared()
    before = twin.weights[1][1, 2]
    net.set_weight(1, 1, 2, 7.5)
    net.set_bias(0, 3, -2.0)
    assert net.weights[1][1, 2] == 7.5
    assert net.biases[0][3] == -2.0
    assert twin.weights[1][1, 2] == before
    assert twin.biases[0][3] != -2.0
    assert net.weights[0] is twin.weights[0]
    assert net.biases[1] is twin.biases[1]
    assert net.weights[1] is not twin.weights[1]
    assert net.weights[1].flags.writeable


def test_edits_of_a_network_not_shared_change_its_arrays_in_place():
    net = small()
    array = net.weights[0]
    net.set_weight(0, 0, 0, 3.0)
    net.set_weight(0, 1, 1, 4.0)
    assert net.weights[0] is array
    assert array[0, 0] == 3.0
    assert array[1, 1] == 4.0


def test_a_second_edit_after_sharing_does_not_copy_again():
    net = small()
    net.shared()
    net.set_weight(0, 0, 0, 3.0)
    copied = net.weights[0]
    net.set_weight(0, 0, 1, 4.0)
    assert net.weights[0] is copied
    assert copied[0, 1] == 4.0


def test_taken_parameters_are_held_without_a_copy_and_stay_as_given():
    net = small()
    weights = [w + 1.0 for w in net.weights]
    biases = [b - 1.0 for b in net.biases]
    net.take_parameters(weights, biases)
    assert all(a is b for a, b in zip(net.weights + net.biases, weights + biases, strict=True))
    given = weights[0][2, 1]
    net.set_weight(0, 2, 1, given + 5.0)
    assert weights[0][2, 1] == given  # the giver's reference (e.g. the last snapshot kept) did not change
    assert net.weights[0][2, 1] == given + 5.0


def test_taken_parameters_of_other_shapes_are_refused_and_leave_the_network_as_it_was():
    net = small()
    kept = net.weights[0]
    with pytest.raises(NetworkError, match="shapes"):
        net.take_parameters([np.zeros((5, 3)), net.weights[1]], net.biases)
    assert net.weights[0] is kept


def test_taken_parameters_come_in_the_networks_dtype():
    net = Network.create([3, 4, 2], seed=1, dtype=np.float32)
    net.take_parameters([w.astype(np.float64) for w in net.weights], net.biases)
    assert all(w.dtype == np.float32 for w in net.weights)


def test_the_edges_of_a_plain_layer_are_its_weights_and_a_maxout_layers_first_piece():
    net = Network.create([3, 4, 2], activation={"name": "maxout", "pieces": 2}, output_activation="tanh")
    first, second = net.edge_weights
    assert first.shape == (4, 3)
    assert np.shares_memory(first, net.weights[0])
    assert second is net.weights[1]


def test_a_shared_network_reaches_the_training_process_and_copies_as_writable_arrays():
    net = small()
    net.shared()
    for other in (net.copy(), ForkingPickler.loads(ForkingPickler.dumps(net))):  # as the pipes pickle
        assert all(a.flags.writeable for a in other.weights + other.biases)
        np.testing.assert_array_equal(other.weights[0], net.weights[0])
