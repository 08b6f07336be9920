"""A random 3-4-2 network's walk-through shows PyTorch's gradients and the weights after one SGD step."""

import numpy as np
import pytest

from nnviz.core.names import Names
from nnviz.core.network import Network
from nnviz.core.walkthrough import explain

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.peers


@pytest.mark.parametrize(
    ("hidden", "output", "loss"),
    [
        ("tanh", "sigmoid", "mse"),
        ({"name": "sigmoid", "slope": 2.0}, "identity", "mse"),
        ("relu", "sigmoid", "bce"),
    ],
)
def test_gradients_and_updates_of_a_random_3_4_2_network_match_pytorch(hidden, output, loss):
    net = Network.create([3, 4, 2], hidden, output, seed=7)
    x, t, lr = np.array([0.3, -0.8, 0.5]), np.array([0.2, 0.9]), 0.3
    walk = explain(net, x, t, loss, lr, update_biases=True, digits=8)

    params = [torch.tensor(p, requires_grad=True) for p in (*net.weights, *net.biases)]
    w1, w2, b1, b2 = params
    a = torch.tensor(x)
    for w, b, act in ((w1, b1, net.activations[0]), (w2, b2, net.activations[1])):
        z = w @ a + b
        if act.name == "sigmoid":
            a = torch.sigmoid(act.params["slope"] * z)
        else:
            a = {"tanh": torch.tanh, "relu": torch.relu, "identity": lambda v: v}[act.name](z)
    target = torch.tensor(t)
    error = (
        torch.mean((a - target) ** 2)
        if loss == "mse"
        else torch.nn.functional.binary_cross_entropy(a, target)
    )
    error.backward()

    names = Names(net.sizes)
    assert names.teaching  # 20 weights: w1 … w20
    for k, (w, b) in enumerate(((w1, b1), (w2, b2)), start=1):
        for j in range(net.sizes[k]):
            for i in range(net.sizes[k - 1]):
                sym = names.weight(k, j, i).text
                assert walk.equation(f"∂E_total/∂{sym}").value == pytest.approx(
                    w.grad[j, i].item(), rel=1e-10, abs=1e-15
                )
                expected = (w[j, i] - lr * w.grad[j, i]).item()
                assert walk.equation(f"{sym}⁺").value == pytest.approx(expected, rel=1e-12)
            bias = names.bias(k, j).text
            assert walk.equation(f"∂E_total/∂{bias}").value == pytest.approx(
                b.grad[j].item(), rel=1e-10, abs=1e-15
            )
    assert walk.equation("E_total").value == pytest.approx(error.item(), rel=1e-12)
