"""Trained weights equal PyTorch's, number for number (float64, same initial weights, same minibatch order).

PyTorch side: plain tensors as parameters, two parameter groups so `weight_decay` (= our L2 term, l2·w added
to the gradient) applies to weights only, L1 as `l1·Σ|w|` added to the loss, the optimizers of `torch.optim`
with their defaults for momentum (dampening 0, no Nesterov) and Adam. Our side: `Trainer` with shuffle off.
"""

import numpy as np
import pytest

from nnviz.core.activations import get_activation
from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingConfig

torch = pytest.importorskip("torch")
F = torch.nn.functional

pytestmark = pytest.mark.peers


@pytest.fixture(autouse=True, scope="module")
def _one_torch_thread():
    """Tiny tensors: a thread pool only adds hand-off latency (tens of ms per call on a busy machine)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


HIDDEN = [
    "identity",
    {"name": "sigmoid", "slope": 1.7},
    "tanh",
    "relu",
    {"name": "leaky_relu", "alpha": 0.1},
    "softplus",
    "softsign",
    "swish",
    {"name": "maxout", "pieces": 3},
]
# (output activation, loss): every loss, and every element-wise activation as an mse output.
OUTPUTS = [
    ("identity", "mse"),
    ({"name": "sigmoid", "slope": 0.8}, "mse"),
    ("tanh", "mse"),
    ("softplus", "mse"),
    ({"name": "maxout", "pieces": 2}, "mse"),
    ("softmax", "mse"),
    ({"name": "sigmoid", "slope": 1.3}, "bce"),
    ("softmax", "cross_entropy"),
]
LEARNING_RATES = {"sgd": 0.2, "momentum": 0.05, "adam": 0.01}


def torch_activation(spec):
    act = get_activation(spec)
    p = act.params
    return {
        "identity": lambda z: z,
        "sigmoid": lambda z: torch.sigmoid(p.get("slope", 1.0) * z),
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, p.get("alpha", 0.01)),
        "softplus": lambda z: torch.logaddexp(z, torch.zeros_like(z)),  # no threshold, like ours
        "softsign": F.softsign,
        "swish": F.silu,
        "softmax": lambda z: torch.softmax(z, dim=1),
        # piece-major sums (batch, k·n) -> (batch, k, n); max(dim) sends the gradient to the winner only
        "maxout": lambda z: z.view(z.shape[0], act.pieces, -1).max(dim=1).values,
    }[act.name]


def torch_loss(name, z, a, t, labels):
    if name == "mse":
        return F.mse_loss(a, t)
    if name == "bce":
        return F.binary_cross_entropy(a, t)
    return F.cross_entropy(z, labels)


def train_torch(net, x, t, labels, loss, optimizer, lr, batch_size, epochs, l1=0.0, l2=0.0):
    """The same run in PyTorch; returns the trained weights and biases as NumPy arrays."""
    ws = [torch.tensor(w, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    acts = [torch_activation(a) for a in net.activations]
    groups = [{"params": ws, "weight_decay": l2}, {"params": bs, "weight_decay": 0.0}]
    opt = {
        "sgd": lambda: torch.optim.SGD(groups, lr=lr),
        "momentum": lambda: torch.optim.SGD(groups, lr=lr, momentum=0.9),
        "adam": lambda: torch.optim.Adam(groups, lr=lr, betas=(0.9, 0.999), eps=1e-8),
    }[optimizer]()
    xt, tt = torch.tensor(x), torch.tensor(t)
    lt = None if labels is None else torch.tensor(labels)
    for _ in range(epochs):
        for s in range(0, len(x), batch_size):
            a = xt[s : s + batch_size]
            for w, b, f in zip(ws, bs, acts, strict=True):
                z = a @ w.T + b
                a = f(z)
            rows = slice(s, s + batch_size)
            value = torch_loss(loss, z, a, tt[rows], None if lt is None else lt[rows])
            if l1:
                value = value + l1 * sum(w.abs().sum() for w in ws)
            opt.zero_grad()
            value.backward()
            opt.step()
    return [w.detach().numpy() for w in ws], [b.detach().numpy() for b in bs]


def make_problem(hidden, output, loss, seed):
    """A random 3-5-4-k network and 23 samples (an odd count, so the last minibatch is short)."""
    rng = np.random.default_rng(seed)
    n_out = 1 if loss == "bce" else 3
    net = Network.create([3, 5, 4, n_out], hidden, output, init="uniform", seed=seed)
    x = rng.normal(size=(23, 3))
    if loss == "mse":
        t = rng.uniform(0.1, 0.9, size=(23, n_out))
        return net, x, t, None, t, "regression"
    labels = rng.integers(0, max(n_out, 2), size=23)
    t = np.eye(n_out)[labels] if n_out > 1 else labels.reshape(-1, 1).astype(float)
    return net, x, t, labels, labels, "classification"


def assert_same_parameters(net, torch_ws, torch_bs):
    for ours, theirs in zip(net.weights + net.biases, torch_ws + torch_bs, strict=True):
        scale = max(np.abs(theirs).max(), 1e-3)
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10 * scale)


def run_both(hidden, output, loss, optimizer, batch_size, l1=0.0, l2=0.0, epochs=4, seed=0):
    net, x, t, labels, y, task = make_problem(hidden, output, loss, seed)
    lr = LEARNING_RATES[optimizer]
    torch_ws, torch_bs = train_torch(net, x, t, labels, loss, optimizer, lr, batch_size, epochs, l1, l2)
    config = TrainingConfig(
        loss=loss, optimizer=optimizer, learning_rate=lr, batch_size=batch_size, l1=l1, l2=l2, shuffle=False
    )
    start = [w.copy() for w in net.weights]
    Trainer(net, config, task).fit(x, y, epochs)
    assert not all(np.array_equal(a, b) for a, b in zip(start, net.weights, strict=True)), "nothing trained"
    assert_same_parameters(net, torch_ws, torch_bs)


def name_of(spec):
    return spec if isinstance(spec, str) else spec["name"]


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("hidden", HIDDEN, ids=name_of)
def test_every_hidden_activation_trains_like_torch(hidden, optimizer):
    run_both(hidden, "softmax", "cross_entropy", optimizer, batch_size=5)
    run_both(hidden, {"name": "sigmoid", "slope": 1.3}, "bce", optimizer, batch_size=5, seed=1)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize(("output", "loss"), OUTPUTS, ids=name_of)
def test_every_output_and_loss_trains_like_torch(output, loss, optimizer):
    run_both("swish", output, loss, optimizer, batch_size=5)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize(("l1", "l2"), [(0.0, 0.05), (0.01, 0.0), (0.01, 0.05)])
def test_regularisation_trains_like_torch(optimizer, l1, l2):
    run_both("tanh", "softmax", "cross_entropy", optimizer, 5, l1, l2, seed=3)
    run_both("relu", "identity", "mse", optimizer, 5, l1, l2, seed=4)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch_size", [1, 23], ids=["online", "full-batch"])
def test_online_and_full_batch_train_like_torch(optimizer, batch_size):
    run_both("leaky_relu", "softmax", "cross_entropy", optimizer, batch_size, 0.01, 0.05, seed=5)
    run_both("sigmoid", "identity", "mse", optimizer, batch_size, seed=6)
