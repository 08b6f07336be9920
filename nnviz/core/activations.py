"""The registry of activation functions.

Each activation knows its value, how to push a gradient back through itself, a display formula for the GUI,
and its parameters (the sigmoid's slope β, named `slope`; the leaky ReLU's `alpha`; maxout's `pieces`). Arrays
are batches of rows: `z.shape == (batch, neurons)`, except for maxout, whose `z` holds `pieces` weighted sums
per neuron, piece-major (`z[:, p·n + j]` is piece `p` of neuron `j`) and whose output is their maximum.
Softmax and maxout are not element-wise, so the interface is a vector-Jacobian product (`backward`) rather
than a bare derivative; `derivative` exists for the element-wise ones, for plots and the step-by-step
backward pass.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnviz.core.number_input import finite_float

# exp() overflows float64 above ~709; clipping the argument keeps sigmoid/softplus finite without changing
# any value that is representable (sigmoid(±40) is already 0/1 to float64 precision beyond the clip).
_EXP_LIMIT = 500.0


def _sigmoid(x: np.ndarray) -> np.ndarray:
    s: np.ndarray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s


def _softplus(x: np.ndarray) -> np.ndarray:
    s: np.ndarray = np.logaddexp(0.0, x)
    return s


@dataclass(frozen=True)
class ActivationKind:
    """One entry of the registry: the maths of a family of activation functions.

    `fn(z, **params)` and `grad(z, a, **params)` (element-wise derivative f'(z), given a = f(z) too so the
    cheap forms `a(1-a)` can be used). `grad` is None for softmax and maxout, which are not element-wise;
    `vjp(z, a, grad_a, **params)` pushes a gradient back through those (softmax's is built in).
    """

    name: str
    fn: Callable[..., np.ndarray]
    grad: Callable[..., np.ndarray] | None
    formula: str
    derivative_formula: str
    params: Mapping[str, float] = field(default_factory=dict)
    trainable: bool = True
    output_only: bool = False
    description: str = ""
    vjp: Callable[..., np.ndarray] | None = None


def _leaky_grad(z: np.ndarray, a: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(z > 0, 1.0, alpha).astype(z.dtype, copy=False)


def _swish_grad(z: np.ndarray, a: np.ndarray) -> np.ndarray:
    s = _sigmoid(z)
    return s + a * (1.0 - s)


def _maxout_pieces(z: np.ndarray, pieces: float) -> np.ndarray:
    """The piece-major sums `(batch, pieces·n)` as `(batch, pieces, n)`."""
    return z.reshape(z.shape[0], int(pieces), -1)


def _maxout(z: np.ndarray, pieces: float) -> np.ndarray:
    largest: np.ndarray = _maxout_pieces(z, pieces).max(axis=1)
    return largest


def maxout_winners(z: np.ndarray, pieces: float) -> np.ndarray:
    """Per sample and neuron, the piece whose sum is the maximum (the first one on a tie)."""
    winners: np.ndarray = _maxout_pieces(z, pieces).argmax(axis=1)
    return winners


def _maxout_vjp(z: np.ndarray, a: np.ndarray, grad_a: np.ndarray, pieces: float) -> np.ndarray:
    """The whole gradient goes to the winning piece of each neuron; the others get zero."""
    grad_z = np.zeros_like(_maxout_pieces(z, pieces))
    np.put_along_axis(grad_z, maxout_winners(z, pieces)[:, None, :], grad_a[:, None, :], axis=1)
    return grad_z.reshape(z.shape)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    shares: np.ndarray = e / e.sum(axis=-1, keepdims=True)
    return shares


KINDS: dict[str, ActivationKind] = {
    kind.name: kind
    for kind in (
        ActivationKind(
            "identity",
            lambda z: z,  # the trace may share the array: nothing mutates z in place
            lambda z, a: np.ones_like(z),
            "f(z) = z",
            "f'(z) = 1",
            description="Linear: passes the weighted sum through unchanged.",
        ),
        ActivationKind(
            "step",
            lambda z: (z >= 0).astype(z.dtype),
            lambda z, a: np.zeros_like(z),
            "f(z) = 1 if z ≥ 0 else 0",
            "f'(z) = 0 (undefined at 0)",
            trainable=False,
            description="The perceptron's threshold: zero slope everywhere, so gradients cannot train it.",
        ),
        ActivationKind(
            "sigmoid",
            lambda z, slope: _sigmoid(np.clip(slope * z, -_EXP_LIMIT, _EXP_LIMIT)),
            lambda z, a, slope: slope * a * (1.0 - a),
            "f(z) = 1 / (1 + e^(−β·z))",
            "f'(z) = β·f(z)·(1 − f(z))",
            params={"slope": 1.0},
            description="Logistic: squashes to (0, 1); a larger slope β makes it closer to the step.",
        ),
        ActivationKind(
            "tanh",
            np.tanh,
            lambda z, a: 1.0 - a * a,
            "f(z) = tanh(z)",
            "f'(z) = 1 − f(z)²",
            description="Squashes to (−1, 1), centred on zero.",
        ),
        ActivationKind(
            "relu",
            lambda z: np.maximum(z, 0.0),
            lambda z, a: (z > 0).astype(z.dtype),
            "f(z) = max(0, z)",
            "f'(z) = 1 if z > 0 else 0",
            description="Rectified linear unit: zero for negative sums, identity above.",
        ),
        ActivationKind(
            "leaky_relu",
            lambda z, alpha: np.where(z > 0, z, alpha * z),
            _leaky_grad,
            "f(z) = z if z > 0 else α·z",
            "f'(z) = 1 if z > 0 else α",
            params={"alpha": 0.01},
            description="ReLU with a small slope α for negative sums, so units never die completely.",
        ),
        ActivationKind(
            "softplus",
            _softplus,
            lambda z, a: _sigmoid(z),
            "f(z) = ln(1 + e^z)",
            "f'(z) = 1 / (1 + e^(−z))",
            description="A smooth ReLU.",
        ),
        ActivationKind(
            "softsign",
            lambda z: z / (1.0 + np.abs(z)),
            lambda z, a: 1.0 / (1.0 + np.abs(z)) ** 2,
            "f(z) = z / (1 + |z|)",
            "f'(z) = 1 / (1 + |z|)²",
            description="Like tanh, but approaches ±1 polynomially rather than exponentially.",
        ),
        ActivationKind(
            "swish",
            lambda z: z * _sigmoid(z),
            _swish_grad,
            "f(z) = z · σ(z)",
            "f'(z) = σ(z) + f(z)·(1 − σ(z))",
            description="Self-gated: z times its own sigmoid.",
        ),
        ActivationKind(
            "softmax",
            _softmax,
            None,
            "f(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)",
            "∂fᵢ/∂zⱼ = fᵢ·(δᵢⱼ − fⱼ)",
            output_only=True,
            description="Turns the output layer's sums into class probabilities that add up to 1.",
        ),
        ActivationKind(
            "maxout",
            _maxout,
            None,
            "f(z) = max(z₁, …, zₖ), zₚ = wₚ·a + bₚ",
            "∂f/∂zₚ = 1 for the largest piece, 0 for the others",
            params={"pieces": 2.0},
            description="k linear pieces per neuron, each with its own weights and bias: the largest wins.",
            vjp=_maxout_vjp,
        ),
    )
}

ALIASES = {"linear": "identity", "logistic": "sigmoid"}
MAX_PIECES = 16  # maxout's k: each piece is a whole weight matrix, so more would mostly cost memory


def _subscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


class ActivationError(ValueError):
    """An activation name or parameter that does not exist or is out of range."""


@dataclass(frozen=True)
class Activation:
    """An activation function with its parameters bound: what one layer uses."""

    kind: ActivationKind
    params: Mapping[str, float] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.kind.name

    @property
    def trainable(self) -> bool:
        return self.kind.trainable

    @property
    def elementwise(self) -> bool:
        return self.kind.grad is not None

    @property
    def pieces(self) -> int:
        """Weighted sums per neuron: maxout's k, 1 for every other activation."""
        return int(self.params.get("pieces", 1))

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.kind.fn(z, **self.params)

    def neuron_sums(self, z: np.ndarray) -> np.ndarray:
        """Each neuron's weighted sum, one per neuron: `z` itself, or for maxout the winning piece's sum."""
        return _maxout(z, self.pieces) if self.pieces > 1 else z

    def derivative(self, z: np.ndarray, a: np.ndarray | None = None) -> np.ndarray:
        """Element-wise f'(z). Softmax has no element-wise derivative: use `backward`."""
        if self.kind.grad is None:
            raise ActivationError(f"{self.name} is not element-wise; its derivative is a Jacobian")
        if a is None:
            a = self(z)
        return self.kind.grad(z, a, **self.params)

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """Push dL/da back to dL/dz (a vector-Jacobian product, row by row)."""
        if self.kind.vjp is not None:
            return self.kind.vjp(z, a, grad_a, **self.params)
        grad_z: np.ndarray
        if self.kind.grad is None:  # softmax: J = diag(a) - a aᵀ
            grad_z = a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))
        else:
            grad_z = grad_a * self.kind.grad(z, a, **self.params)
        return grad_z

    @property
    def formula(self) -> str:
        """The display formula with the parameter values written in."""
        text = self.kind.formula
        if self.name == "sigmoid" and self.params["slope"] != 1.0:
            text = text.replace("β·", f"{self.params['slope']:g}·")
        if self.name == "leaky_relu":
            text = text.replace("α", f"{self.params['alpha']:g}")
        if self.name == "maxout":
            text = text.replace("zₖ", f"z{_subscript(self.pieces)}")
        return text

    def __reduce__(self) -> tuple[Callable[[str | dict[str, Any]], Activation], tuple[str | dict[str, Any]]]:
        """Pickle by name and parameters (the registry's functions are lambdas): a network can be sent to the
        trainer's process."""
        return get_activation, (self.to_json(),)

    def to_json(self) -> str | dict[str, Any]:
        """The project-file form: a bare name, or an object when a parameter differs from its default.
        Maxout always names its `pieces`, since they fix the shape of the layer's weights."""
        if self.name == "maxout":
            return {"name": self.name, "pieces": self.pieces}
        if any(self.params[k] != v for k, v in self.kind.params.items()):
            return {"name": self.name, **self.params}
        return self.name


def get_activation(spec: str | Mapping[str, Any] | Activation) -> Activation:
    """Parse `"tanh"`, `"linear"` or `{"name": "sigmoid", "slope": 2}` into an Activation."""
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, str):
        name, given = spec, {}
    elif isinstance(spec, Mapping):
        named = spec.get("name")
        if not isinstance(named, str):
            raise ActivationError("an activation object needs a string 'name'")
        name, given = named, {k: v for k, v in spec.items() if k != "name"}
    else:
        raise ActivationError(f"expected an activation name or object, got {type(spec).__name__}")
    key = ALIASES.get(name.lower(), name.lower())
    if key not in KINDS:
        raise ActivationError(f"unknown activation {name!r}; known: {', '.join(sorted(KINDS))}")
    kind = KINDS[key]
    params = dict(kind.params)
    for pname, value in given.items():
        if pname not in kind.params:
            raise ActivationError(f"activation {key!r} has no parameter {pname!r}")
        number = finite_float(value)
        if number is None:
            raise ActivationError(f"activation {key!r} parameter {pname!r} must be a finite number")
        params[pname] = number
    if key == "sigmoid" and params["slope"] <= 0:
        raise ActivationError("sigmoid slope must be positive")
    if key == "maxout" and not (params["pieces"].is_integer() and 2 <= params["pieces"] <= MAX_PIECES):
        raise ActivationError(f"maxout pieces must be a whole number from 2 to {MAX_PIECES}")
    return Activation(kind, params)
