"""The optimizers' update rules on hand-worked numbers, and PyTorch's momentum convention."""

from types import SimpleNamespace

import numpy as np
import pytest

from nnviz.core.optimizers import Adam, Momentum, Optimizer, OptimizerError, make_optimizer


def hyper(**changes):
    values = {"learning_rate": 0.1, "momentum": 0.9, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
    return SimpleNamespace(**{**values, **changes})


def steps(optimizer, params, grads, config):
    for g in grads:
        optimizer.step(params, np.array(g, dtype=params.dtype), config)
    return params


def test_sgd_moves_against_the_gradient_by_lr():
    params = np.array([1.0, -2.0])
    steps(make_optimizer("sgd", 2), params, [[0.5, 0.25]], hyper())
    np.testing.assert_allclose(params, [0.95, -2.025], rtol=1e-15)


def test_momentum_hand_worked():
    # v1 = g1 = 1, w1 = 1 − 0.1·1 = 0.9; v2 = 0.9·1 + 0.5 = 1.4, w2 = 0.9 − 0.1·1.4 = 0.76
    params = np.array([1.0])
    steps(make_optimizer("momentum", 1), params, [[1.0], [0.5]], hyper())
    np.testing.assert_allclose(params, [0.76], rtol=1e-15)


def test_momentum_is_the_textbook_velocity_form_at_constant_lr():
    """PyTorch's v ← μv + g; w ← w − lr·v gives the same path as u ← μu − lr·g; w ← w + u."""
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(20, 4))
    ours = steps(Momentum(4, np.float64), np.ones(4), grads, hyper(momentum=0.8, learning_rate=0.03))
    w, u = np.ones(4), np.zeros(4)
    for g in grads:
        u = 0.8 * u - 0.03 * g
        w = w + u
    np.testing.assert_allclose(ours, w, rtol=1e-13)


def test_adam_first_steps_hand_worked():
    # Constant gradient 2: the bias-corrected moments are exactly g and g², so every step is lr·g/(|g|+ε).
    params = np.array([1.0])
    opt = Adam(1, np.float64)
    steps(opt, params, [[2.0]], hyper())
    np.testing.assert_allclose(params, [1.0 - 0.1 * 2.0 / (2.0 + 1e-8)], rtol=1e-14)
    np.testing.assert_allclose(opt.m, [0.2], rtol=1e-15)
    np.testing.assert_allclose(opt.v, [0.004], rtol=1e-15)
    steps(opt, params, [[2.0]], hyper())
    np.testing.assert_allclose(params, [1.0 - 2 * 0.1 * 2.0 / (2.0 + 1e-8)], rtol=1e-14)


def test_adam_matches_its_formula_on_random_gradients():
    rng = np.random.default_rng(1)
    grads = rng.normal(size=(10, 3))
    ours = steps(Adam(3, np.float64), np.zeros(3), grads, hyper(beta1=0.8, beta2=0.99, learning_rate=0.01))
    w, m, v = np.zeros(3), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        m = 0.8 * m + 0.2 * g
        v = 0.99 * v + 0.01 * g * g
        w = w - 0.01 * (m / (1 - 0.8**t)) / (np.sqrt(v / (1 - 0.99**t)) + 1e-8)
    np.testing.assert_allclose(ours, w, rtol=1e-12)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_hyper_parameters_are_read_at_every_step(name):
    """A learning rate edited between steps takes effect at once; state carries over."""
    a, b = np.ones(2), np.ones(2)
    opt_a, opt_b = make_optimizer(name, 2), make_optimizer(name, 2)
    steps(opt_a, a, [[1.0, -1.0]], hyper())
    steps(opt_b, b, [[1.0, -1.0]], hyper())
    steps(opt_a, a, [[1.0, -1.0]], hyper(learning_rate=0.5))
    steps(opt_b, b, [[1.0, -1.0]], hyper())
    assert not np.allclose(a, b)
    assert abs(1.0 - a[0]) > abs(1.0 - b[0])


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_float32_parameters_stay_float32(name):
    params = np.ones(3, np.float32)
    steps(make_optimizer(name, 3, np.float32), params, [[0.1, 0.2, 0.3]] * 2, hyper())
    assert params.dtype == np.float32
    assert np.all(params < 1.0)


def test_registry_and_unknown_name():
    assert isinstance(make_optimizer("sgd", 1), Optimizer)
    with pytest.raises(OptimizerError, match="unknown optimizer 'rmsprop'"):
        make_optimizer("rmsprop", 1)
