"""Optimizers: how a gradient becomes a change of the parameters.

The trainer keeps every weight and bias of a network in one flat vector (the network's arrays are views into
it), so an optimizer step is a handful of whole-vector NumPy operations whatever the depth of the network.
`step(params, grad, config)` updates `params` in place and may overwrite `grad` as scratch space; it reads
its hyper-parameters from the `TrainingConfig` on every call, so an edit made mid-run takes effect at the
next step while the optimizer's state (velocity, moments) carries on.

The update rules follow PyTorch's `torch.optim` exactly, so trained weights can be compared number for
number (regularisation is already inside `grad`, as PyTorch's `weight_decay` adds `l2·w` before the rule):
- `sgd`: w ← w − lr·g
- `momentum` (PyTorch's convention, dampening 0, no Nesterov): v ← μ·v + g; w ← w − lr·v. It is the same
  trajectory as the textbook u ← μ·u − lr·g; w ← w + u while the learning rate stays constant.
- `adam`: m ← β₁·m + (1−β₁)·g; v ← β₂·v + (1−β₂)·g²; w ← w − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε).
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import numpy as np


class Hyperparameters(Protocol):
    """What an optimizer reads from the training configuration (read-only: the configuration is frozen)."""

    @property
    def learning_rate(self) -> float: ...
    @property
    def momentum(self) -> float: ...
    @property
    def beta1(self) -> float: ...
    @property
    def beta2(self) -> float: ...
    @property
    def epsilon(self) -> float: ...


class Optimizer:
    """Plain gradient descent; the base of the stateful optimizers."""

    name = "sgd"

    def __init__(self, size: int, dtype: np.dtype | type) -> None:
        self.size = size
        self.dtype = np.dtype(dtype)

    def step(self, params: np.ndarray, grad: np.ndarray, config: Hyperparameters) -> None:
        """w ← w − lr·g (grad is used as scratch)."""
        grad *= config.learning_rate
        params -= grad


class Momentum(Optimizer):
    """Heavy-ball momentum, PyTorch's form: the velocity accumulates raw gradients, lr scales the step."""

    name = "momentum"

    def __init__(self, size: int, dtype: np.dtype | type) -> None:
        super().__init__(size, dtype)
        self.velocity = np.zeros(size, dtype)

    def step(self, params: np.ndarray, grad: np.ndarray, config: Hyperparameters) -> None:
        v = self.velocity
        v *= config.momentum
        v += grad
        np.multiply(v, config.learning_rate, out=grad)
        params -= grad


class Adam(Optimizer):
    """Adam with bias correction, term for term as `torch.optim.Adam` (not AdamW) computes it."""

    name = "adam"

    def __init__(self, size: int, dtype: np.dtype | type) -> None:
        super().__init__(size, dtype)
        self.m = np.zeros(size, dtype)
        self.v = np.zeros(size, dtype)
        self.t = 0

    def step(self, params: np.ndarray, grad: np.ndarray, config: Hyperparameters) -> None:
        b1, b2 = config.beta1, config.beta2
        self.t += 1
        m, v = self.m, self.v
        m *= b1
        v *= b2
        v += (1.0 - b2) * grad * grad
        grad *= 1.0 - b1
        m += grad
        denom = np.sqrt(v, out=grad)
        denom /= math.sqrt(1.0 - b2**self.t)
        denom += config.epsilon
        np.divide(m, denom, out=grad)
        grad *= config.learning_rate / (1.0 - b1**self.t)
        params -= grad


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (Optimizer, Momentum, Adam)}


class OptimizerError(ValueError):
    """An optimizer name that does not exist."""


def make_optimizer(name: str, size: int, dtype: Any = np.float64) -> Optimizer:
    """A fresh optimizer (zero state) for a parameter vector of `size` numbers."""
    if name not in OPTIMIZERS:
        raise OptimizerError(f"unknown optimizer {name!r}; known: {', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name](size, dtype)
