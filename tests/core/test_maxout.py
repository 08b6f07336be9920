"""Maxout end to end in the core: values and gradients by hand, the file form (a new optional key, older
files unchanged), architecture edits that keep the pieces, the step-through's pieces and winner, and ONNX.
Backpropagation against finite differences is in test_network, training against PyTorch in
test_torch_equivalence."""

import json

import numpy as np
import pytest

from nnviz.core import architecture, document, export
from nnviz.core.activations import ActivationError, get_activation
from nnviz.core.network import Network, NetworkError
from nnviz.core.stepping import ForwardStepper, GradientStep, NeuronStep

MAXOUT3 = {"name": "maxout", "pieces": 3}


def small_network() -> Network:
    """2 inputs -> 2 maxout neurons of 3 pieces -> 1 linear output; rows are piece-major."""
    w0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [-1.0, 0.0], [0.0, -1.0], [2.0, -2.0]])
    b0 = np.array([0.0, 0.0, 0.1, 0.0, 0.0, -0.2])
    return Network([w0, np.array([[1.0, -1.0]])], [b0, np.zeros(1)], [MAXOUT3, "identity"])


def test_each_neuron_outputs_its_largest_piece():
    net = small_network()
    trace = net.trace(np.array([0.3, 0.6]))
    # neuron 0: pieces 0.3, 0.5·0.3 + 0.5·0.6 + 0.1 = 0.55, -0.6 -> 0.55;
    # neuron 1: 0.6, -0.3, 2·0.3 - 2·0.6 - 0.2 = -0.8 -> 0.6
    np.testing.assert_allclose(trace.z[1][0], [0.3, 0.6, 0.55, -0.3, -0.6, -0.8], atol=1e-15)
    np.testing.assert_allclose(trace.a[1][0], [0.55, 0.6], atol=1e-15)
    assert net.sizes == [2, 2, 1]
    assert net.n_parameters == 6 * 2 + 6 + 2 + 1


def test_the_gradient_reaches_the_winning_piece_only():
    f = get_activation(MAXOUT3)
    z = np.array([[0.3, 0.6, -0.3, -0.6, -0.8, 0.55]])
    np.testing.assert_array_equal(f.backward(z, f(z), np.array([[2.0, -5.0]])), [[2.0, -5.0, 0, 0, 0, 0]])
    net = small_network()
    grads = net.backward(net.trace(np.array([0.3, 0.6])), np.array([[1.0]]), "mse")
    losers = [0, 3, 4, 5]  # neuron 0 won with piece 2 (row 2), neuron 1 with piece 1 (row 1)
    assert np.all(grads.biases[0][[1, 2]] != 0)
    assert np.all(grads.biases[0][losers] == 0)
    assert np.all(grads.weights[0][losers] == 0)


@pytest.mark.parametrize("pieces", [1, 2.5, 17, True, "3"])
def test_pieces_must_be_a_whole_number_from_2_to_16(pieces):
    with pytest.raises(ActivationError, match="pieces"):
        get_activation({"name": "maxout", "pieces": pieces})


def test_weights_must_have_a_row_per_piece_per_neuron():
    with pytest.raises(NetworkError, match="multiple of 3"):
        Network([np.zeros((4, 2))], [np.zeros(4)], [MAXOUT3])


def test_file_names_the_pieces_and_holds_k_rows_per_neuron(tmp_path):
    net = Network.create([3, 4, 2], MAXOUT3, "sigmoid", seed=5)
    path = tmp_path / "m.nnviz"
    document.save_project(document.Project(net), path)
    raw = json.loads(path.read_text())["network"]
    assert raw["layers"][1] == {"size": 4, "activation": {"name": "maxout", "pieces": 3}}
    assert raw["layers"][2] == {"size": 2, "activation": "sigmoid"}  # other layers written as before
    assert len(raw["weights"][0]) == 12
    assert len(raw["biases"][0]) == 12
    back = document.load_project(path).network
    assert back.activations[0] == net.activations[0]
    assert back.sizes == [3, 4, 2]
    for ours, theirs in zip(net.weights + net.biases, back.weights + back.biases, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_default_pieces_are_written_too():
    assert get_activation("maxout").to_json() == {"name": "maxout", "pieces": 2}


def test_a_file_with_too_few_piece_rows_is_refused_with_its_path(tmp_path):
    net = Network.create([2, 2, 1], MAXOUT3, "identity", seed=0)
    obj = document.project_to_json(document.Project(net))
    obj["network"]["weights"][0] = obj["network"]["weights"][0][:2]
    with pytest.raises(document.DocumentError, match=r"network\.weights\[0\]"):
        document.project_from_json(obj)


def test_removing_a_neuron_removes_all_its_pieces():
    net = small_network()
    smaller = architecture.remove_neuron(net, 1, 0)
    np.testing.assert_array_equal(smaller.weights[0], net.weights[0][1::2])
    np.testing.assert_array_equal(smaller.biases[0], net.biases[0][1::2])


def test_adding_a_neuron_keeps_every_piece_of_the_others():
    net = small_network()
    bigger = architecture.add_neuron(net, 1, seed=0)
    assert bigger.weights[0].shape == (9, 2)
    np.testing.assert_array_equal(bigger.weights[0].reshape(3, 3, 2)[:, :2], net.weights[0].reshape(3, 2, 2))


def test_changing_pieces_keeps_piece_one_and_adds_fresh_ones():
    net = Network.create([2, 3, 1], "tanh", "identity", seed=1)
    maxout = architecture.set_activation(net, 1, MAXOUT3, seed=2)
    assert maxout.weights[0].shape == (9, 2)
    np.testing.assert_array_equal(maxout.weights[0][:3], net.weights[0])
    assert not np.allclose(maxout.weights[0][3:6], net.weights[0])  # no ties between copies
    back = architecture.set_activation(maxout, 1, "relu")
    np.testing.assert_array_equal(back.weights[0], net.weights[0])


def test_the_step_shows_each_piece_and_the_winner():
    net = small_network()
    stepper = ForwardStepper(net, np.array([0.3, 0.6]), np.array([1.0]), "mse")
    first, second = (s for s in stepper.steps if isinstance(s, NeuronStep) and s.layer == 1)
    np.testing.assert_allclose(first.piece_sums, [0.3, 0.55, -0.6], atol=1e-15)
    np.testing.assert_allclose(second.piece_sums, [0.6, -0.3, -0.8], atol=1e-15)
    assert (first.winner, second.winner) == (1, 0)
    assert first.z == first.a == pytest.approx(0.55)
    assert first.bias == 0.1
    np.testing.assert_array_equal(first.weights, net.weights[0][2])  # the winning piece's row
    assert second.z == second.a == pytest.approx(0.6)
    assert second.bias == 0.0


def test_gradient_steps_are_the_winning_piece_rows():
    net = small_network()
    x = np.array([-0.3, 0.2])
    stepper = ForwardStepper(net, x, np.array([1.0]), "mse")
    stepper.run_to_end()
    grads = net.backward(net.trace(x), np.array([[1.0]]), "mse")
    layer1 = [s for s in stepper.steps if isinstance(s, GradientStep) and s.layer == 1]
    # neuron 0: pieces -0.3, 0.05, -0.2; neuron 1: 0.2, 0.3, -1.2: both won with piece 2 (rows 2 and 3)
    assert [s.row for s in layer1] == [2, 3]
    np.testing.assert_array_equal(stepper.weight_gradients[0], grads.weights[0])
    assert [s.derivative for s in stepper.steps if s.kind == "delta" and s.layer == 1] == [1.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_onnx_matches_nnviz(dtype):
    ort = pytest.importorskip("onnxruntime")
    net = Network.create([4, 5, 3, 2], MAXOUT3, {"name": "maxout", "pieces": 2}, seed=3)
    session = ort.InferenceSession(export.onnx_model(net, dtype).SerializeToString())
    x = np.random.default_rng(0).normal(size=(7, 4))
    (y,) = session.run(["y"], {"x": x.astype(dtype)})
    tol = 1e-12 if dtype is np.float64 else 1e-5
    np.testing.assert_allclose(y, net.forward(x), rtol=tol, atol=tol)


def test_the_parameter_limit_counts_every_piece():
    from nnviz.core.network import check_sizes

    check_sizes([5000, 5000, 1])  # 25 million parameters: allowed
    with pytest.raises(NetworkError, match="75,020,001 parameters"):
        Network.create([5000, 5000, 1], MAXOUT3, "identity")  # refused before anything is allocated
    layers = [{"size": 5000}, {"size": 5000, "activation": MAXOUT3}, {"size": 1, "activation": "identity"}]
    with pytest.raises(document.DocumentError, match="parameters"):
        document.project_from_json(
            {"format": "nnviz", "version": 1, "network": {"layers": layers, "weights": [], "biases": []}}
        )
