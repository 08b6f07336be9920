"""Trained weights equal scikit-learn's MLPClassifier/MLPRegressor given the same start and minibatch order.

scikit-learn's conventions differ in scale, and the tests translate them explicitly:
- its L2 term `alpha` is divided by the minibatch size: our `l2 = alpha / batch_size`;
- MLPRegressor's squared loss is ½·mean, so its gradient is half of our `mse`'s (one output): its
  learning rate is twice ours and `l2 = 2·alpha / batch_size`;
- its momentum u ← μu − lr·g is PyTorch's convention rewritten (equal at a constant learning rate);
- its Adam adds ε before the bias correction of √v rather than after (PyTorch and we add it after), so the
  Adam comparison makes ε negligible on both sides (1e-14) to compare the rest of the rule exactly.
Starting weights are injected with `warm_start` after a one-epoch fit that only sets up the model.
"""

import warnings

import numpy as np
import pytest

from nnviz.core.network import Network
from nnviz.core.training import Trainer, TrainingConfig

sklearn_nn = pytest.importorskip("sklearn.neural_network")
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

pytestmark = pytest.mark.peers

SKLEARN_ACTIVATION = {"identity": "identity", "sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}
EPOCHS, BATCH = 4, 6
ADAM_EPSILON = 1e-14


def sklearn_trained(estimator, net, x, y):
    """Fit `estimator` for EPOCHS epochs starting from `net`'s weights; returns (weights, biases)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        estimator.set_params(max_iter=1, warm_start=True)
        estimator.fit(x, y)  # sets up layers and label binarizer; the weights are replaced next
        estimator.coefs_ = [w.T.copy() for w in net.weights]
        estimator.intercepts_ = [b.copy() for b in net.biases]
        estimator.set_params(max_iter=EPOCHS)
        estimator.fit(x, y)
    return [c.T for c in estimator.coefs_], list(estimator.intercepts_)


def common(hidden, solver, lr, alpha):
    return {
        "hidden_layer_sizes": (5, 4),
        "activation": SKLEARN_ACTIVATION[hidden],
        "solver": "adam" if solver == "adam" else "sgd",
        "learning_rate_init": lr,
        "momentum": 0.9 if solver == "momentum" else 0.0,
        "nesterovs_momentum": False,
        "batch_size": BATCH,
        "shuffle": False,
        "alpha": alpha,
        "tol": 0.0,
        "n_iter_no_change": 10**6,
        "random_state": 0,
        "epsilon": ADAM_EPSILON,
    }


def assert_close(net, weights, biases, rtol):
    for ours, theirs in zip(net.weights + net.biases, weights + biases, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * np.abs(theirs).max())


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("hidden", ["identity", "sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("classes", [2, 3])
def test_classifier_trains_like_mlpclassifier(hidden, optimizer, classes):
    rng = np.random.default_rng(classes)
    x, y = rng.normal(size=(24, 3)), rng.integers(0, classes, 24)
    n_out = 1 if classes == 2 else classes
    net = Network.create([3, 5, 4, n_out], hidden, "sigmoid" if n_out == 1 else "softmax", seed=1)
    lr, alpha = (0.01 if optimizer == "adam" else 0.1), 0.06
    clf = sklearn_nn.MLPClassifier(**common(hidden, optimizer, lr, alpha))
    weights, biases = sklearn_trained(clf, net, x, y)
    loss = "bce" if n_out == 1 else "cross_entropy"
    config = TrainingConfig(
        loss=loss,
        optimizer=optimizer,
        learning_rate=lr,
        batch_size=BATCH,
        l2=alpha / BATCH,
        epsilon=ADAM_EPSILON,
        shuffle=False,
    )
    Trainer(net, config, "classification").fit(x, y, EPOCHS)
    assert_close(net, weights, biases, rtol=1e-10)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_regressor_trains_like_mlpregressor(optimizer):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(24, 3))
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1]
    net = Network.create([3, 5, 4, 1], "tanh", "identity", seed=2)
    lr, alpha = 0.05, 0.06
    reg = sklearn_nn.MLPRegressor(**common("tanh", optimizer, 2 * lr, alpha))
    weights, biases = sklearn_trained(reg, net, x, y)
    config = TrainingConfig(
        optimizer=optimizer, learning_rate=lr, batch_size=BATCH, l2=2 * alpha / BATCH, shuffle=False
    )
    Trainer(net, config).fit(x, y.reshape(-1, 1), EPOCHS)
    assert_close(net, weights, biases, rtol=1e-10)
