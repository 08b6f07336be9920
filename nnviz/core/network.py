"""The multilayer perceptron: layer sizes, activations, weights and biases; forward trace; backward pass.

Conventions (docs/architecture.md, rule 4): `weights[k].shape == (n[k+1], n[k])`, so row `j` of `weights[k]`
holds the weights of the edges arriving at neuron `j` of layer `k+1`; `biases[k].shape == (n[k+1],)`. Batches
are rows: an input batch has shape `(batch, n[0])`, and one layer computes `z = a @ W.T + b`, `a' = f(z)` —
the textbook `a' = f(W a + b)` applied to every row at once.

A maxout layer of `n` neurons with `k` pieces has `k·n` rows of weights and biases, piece-major: row `p·n + j`
is piece `p` of neuron `j`, so rows `0..n-1` (piece 1) keep the `(n[k+1], n[k])` indexing of every other
layer, and its `z` holds the `k·n` sums of which each neuron outputs the largest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz.core.activations import Activation, get_activation
from nnviz.core.losses import Loss, as_target_matrix, get_loss
from nnviz.core.numbers import is_whole

INIT_SCHEMES = ("auto", "xavier", "he", "uniform")
# Activations for which He initialisation keeps the variance of the signal; the rest get Xavier/Glorot.
_RELU_LIKE = frozenset({"relu", "leaky_relu", "softplus", "swish"})
# Large enough for 784-128-64-10 several times over and 100 x 100 pixel inputs; the window draws and maps
# every neuron: 2-100000-1 with 2-D data took 90 s and 4.3 GB to open (2-10000-1: 13 s, 0.6 GB).
MAX_NEURONS_PER_LAYER = 10_000
MAX_PARAMETERS = 50_000_000
# Deeper than any network worth drawing layer by layer; 20,000 layers took minutes to open.
MAX_LAYERS = 1_000
#: numbers one layer's activations may hold during a forward pass (32 MB of float64); see Network.forward
FORWARD_CHUNK_VALUES = 1 << 22


class NetworkError(ValueError):
    """A network that cannot exist: bad sizes, mismatched shapes, misplaced activations."""


class UntrainableError(NetworkError):
    """Training was asked of a network whose gradients carry no information (a step activation)."""


@dataclass
class Trace:
    """Everything one forward pass computed, kept for display and for the backward pass.

    `z[k]` and `a[k]` for every layer k; layer 0 is the input, where `z[0] is a[0]`.
    """

    z: list[np.ndarray]
    a: list[np.ndarray]

    @property
    def output(self) -> np.ndarray:
        return self.a[-1]


@dataclass
class Gradients:
    """dL/dW and dL/db for every layer, and each neuron's delta dL/dz (`deltas[k]` for layer k+1)."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    deltas: list[np.ndarray]


class Network:
    """A fully connected feed-forward network. Parameters are plain NumPy arrays.

    Readers on other threads (the canvas's edge render, the health worker) get the arrays themselves through
    `shared()`, not copies: sharing marks them read-only, and `set_weight` / `set_bias` copy a read-only
    layer before changing it, so what a reader holds never changes under it. Edit through those two (or
    `take_parameters`), not by writing into the arrays.
    """

    def __init__(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        activations: Sequence[str | Mapping[str, Any] | Activation],
        dtype: np.dtype | type = np.float64,
    ) -> None:
        self.dtype = check_dtype(dtype)
        if not all(_is_list(v) for v in (weights, biases, activations)):
            raise NetworkError("weights, biases and activations must each be a list, one entry per layer")
        if len(weights) == 0:
            raise NetworkError("a network needs at least one layer of weights (an input and an output layer)")
        if not (len(weights) == len(biases) == len(activations)):
            raise NetworkError(
                f"{len(weights)} weight matrices, {len(biases)} bias vectors and "
                f"{len(activations)} activations: they must be equally many"
            )
        self.weights = [_as_parameters(w, f"weights[{k}]", self.dtype) for k, w in enumerate(weights)]
        self.biases = [_as_parameters(b, f"biases[{k}]", self.dtype) for k, b in enumerate(biases)]
        self.activations = [get_activation(a) for a in activations]
        if self.weights[0].ndim != 2:
            raise NetworkError(f"weights[0] has shape {self.weights[0].shape}; expected a table (n, m)")
        sizes = [self.weights[0].shape[1]]
        for k, (w, b, act) in enumerate(zip(self.weights, self.biases, self.activations, strict=True)):
            if w.ndim != 2 or w.shape[1] != sizes[-1]:
                raise NetworkError(f"weights[{k}] has shape {w.shape}; expected (n, {sizes[-1]})")
            if w.shape[0] % act.pieces:
                raise NetworkError(
                    f"weights[{k}] has {w.shape[0]} rows; {act.name} with {act.pieces} pieces needs a "
                    f"multiple of {act.pieces} (one row per piece per neuron)"
                )
            if b.shape != (w.shape[0],):
                raise NetworkError(f"biases[{k}] has shape {b.shape}; expected ({w.shape[0]},)")
            sizes.append(w.shape[0] // act.pieces)
        check_sizes(sizes, [a.pieces for a in self.activations])
        for k, act in enumerate(self.activations[:-1]):
            if act.kind.output_only:
                raise NetworkError(f"{act.name} can only be the output layer's activation (layer {k + 1})")

    @classmethod
    def create(
        cls,
        sizes: Sequence[int],
        activation: str | Mapping[str, Any] = "sigmoid",
        output_activation: str | Mapping[str, Any] | None = None,
        init: str = "auto",
        seed: int | None = None,
        dtype: np.dtype | type = np.float64,
    ) -> Network:
        """A new network with freshly initialised weights; the same seed gives bit-identical weights."""
        check_sizes(sizes)
        if seed is not None and not (is_whole(seed) and seed >= 0):
            raise NetworkError(f"seed must be a non-negative whole number, got {seed!r}")
        hidden = get_activation(activation)
        acts = [hidden] * (len(sizes) - 2) + [get_activation(output_activation or activation)]
        check_sizes(sizes, [a.pieces for a in acts])  # maxout's pieces multiply its layer's parameters
        rng = np.random.default_rng(seed)
        weights, biases = [], []
        for k in range(len(sizes) - 1):
            w, b = init_layer(rng, sizes[k], sizes[k + 1] * acts[k].pieces, acts[k].name, init)
            weights.append(w)
            biases.append(b)
        return cls(weights, biases, acts, dtype)

    # -- shape --------------------------------------------------------------------------------------------
    @property
    def sizes(self) -> list[int]:
        return [self.weights[0].shape[1]] + [
            w.shape[0] // a.pieces for w, a in zip(self.weights, self.activations, strict=True)
        ]

    @property
    def edge_weights(self) -> list[np.ndarray]:
        """One `(n[k+1], n[k])` matrix per layer, one weight per drawn edge: the weights themselves, or for a
        maxout layer its piece 1 (views, so they follow edits)."""
        return [w if len(w) == n else w[:n] for w, n in zip(self.weights, self.sizes[1:], strict=True)]

    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))

    @property
    def output_activation(self) -> Activation:
        return self.activations[-1]

    def describe(self) -> str:
        """e.g. `2-4-4-1 (tanh, tanh, sigmoid)`; a maxout layer says its pieces, `maxout×3`."""
        names = (a.name if a.pieces == 1 else f"{a.name}×{a.pieces}" for a in self.activations)
        return "-".join(map(str, self.sizes)) + " (" + ", ".join(names) + ")"

    def copy(self) -> Network:
        return Network(self.weights, self.biases, self.activations, self.dtype)

    # -- sharing and editing ------------------------------------------------------------------------------
    def shared(self) -> Network:
        """A network holding this one's arrays (no copy), which from now on never change: they are marked
        read-only, and an edit of this network replaces a layer's array by a changed copy."""
        for array in (*self.weights, *self.biases):
            array.flags.writeable = False
        return Network.wrapping(self.weights, self.biases, self.activations, self.dtype)

    @classmethod
    def wrapping(
        cls,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        activations: Sequence[Activation],
        dtype: np.dtype,
    ) -> Network:
        """A network over these arrays as they are, without copying or checking them: they come from a
        network of this layout (a training snapshot's, say)."""
        net = object.__new__(cls)
        net.dtype, net.activations = dtype, list(activations)
        net.weights, net.biases = list(weights), list(biases)
        return net

    def set_weight(self, k: int, j: int, i: int, value: float) -> None:
        """`weights[k][j, i] = value`, on a copy of the layer if it is shared."""
        _writable(self.weights, k)[j, i] = value

    def set_bias(self, k: int, j: int, value: float) -> None:
        """`biases[k][j] = value`, on a copy of the layer if it is shared."""
        _writable(self.biases, k)[j] = value

    def take_parameters(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> None:
        """Hold `weights` and `biases` (same shapes as now) instead of the current arrays, without copying
        them: the caller gives them up (a training snapshot's private copies). They are shared from now on
        (read-only), so a caller that kept a reference sees them unchanged."""
        for name, old, new in (("weights", self.weights, weights), ("biases", self.biases, biases)):
            if [a.shape for a in old] != [np.shape(a) for a in new]:
                raise NetworkError(f"{name} of other shapes than the network's")
        self.weights = [np.asarray(w, dtype=self.dtype) for w in weights]
        self.biases = [np.asarray(b, dtype=self.dtype) for b in biases]
        self.shared()

    def reinitialised(self, seed: int | None = None) -> Network:
        """The same layers and activations with fresh random weights and biases, drawn as `create` draws
        them (the same seed gives the same ones): training starts over from scratch."""
        rng = np.random.default_rng(seed)
        layers = [
            init_layer(rng, w.shape[1], w.shape[0], a.name)
            for w, a in zip(self.weights, self.activations, strict=True)
        ]
        return Network([w for w, _ in layers], [b for _, b in layers], self.activations, self.dtype)

    def astype(self, dtype: np.dtype | type) -> Network:
        return Network(self.weights, self.biases, self.activations, dtype)

    # -- forward ------------------------------------------------------------------------------------------
    def _as_batch(self, x: np.ndarray) -> np.ndarray:
        try:
            x = np.asarray(x, dtype=self.dtype)
        except (TypeError, ValueError) as exc:
            raise NetworkError(f"input is not a table of numbers ({exc})") from None
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise NetworkError(
                f"input has shape {x.shape}; the network takes {self.sizes[0]} inputs per sample"
            )
        return x

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The outputs for a batch (or a single sample, returned as a batch of one).

        A large batch goes through in slices of rows, so no layer's activations hold more than
        FORWARD_CHUNK_VALUES numbers at once: a decision map's 4,096 grid points through a 100,000-wide
        layer would otherwise need 3.3 GB for z and as much again for f(z)."""
        a = self._as_batch(x)
        rows = max(1, FORWARD_CHUNK_VALUES // max(w.shape[0] for w in self.weights))
        if len(a) <= rows:
            return self._forward(a)
        return np.concatenate([self._forward(a[i : i + rows]) for i in range(0, len(a), rows)])

    def _forward(self, a: np.ndarray) -> np.ndarray:
        with _overflow_shown_as_inf():
            for w, b, f in zip(self.weights, self.biases, self.activations, strict=True):
                a = f(a @ w.T + b)
        return a

    def trace(self, x: np.ndarray) -> Trace:
        """Forward pass keeping every layer's `z` and `a`."""
        a = self._as_batch(x)
        zs, acts = [a], [a]
        with _overflow_shown_as_inf():
            for w, b, f in zip(self.weights, self.biases, self.activations, strict=True):
                z = a @ w.T + b
                a = f(z)
                zs.append(z)
                acts.append(a)
        return Trace(zs, acts)

    # -- backward -----------------------------------------------------------------------------------------
    def check_trainable(self, loss: str | Loss | None = None) -> None:
        """Raise with an explanation when gradient training cannot work for this network (and loss)."""
        for k, act in enumerate(self.activations):
            if not act.trainable:
                raise UntrainableError(
                    f"layer {k + 1} uses the {act.name} activation, whose slope is zero everywhere: "
                    "backpropagation gets no gradient through it, so it cannot be trained. "
                    "Use sigmoid with a large slope for a step-like but trainable unit."
                )
        if loss is not None:
            get_loss(loss).check(self.output_activation)

    def backward(
        self, trace: Trace, targets: np.ndarray, loss: str | Loss, l1: float = 0.0, l2: float = 0.0
    ) -> Gradients:
        """Backpropagation: gradients of the mean loss, plus l1·Σ|w| + l2/2·Σw² on the weights."""
        loss = get_loss(loss)
        t = as_target_matrix(targets, self.sizes[-1], self.dtype)
        n_layers = len(self.weights)
        delta = loss.output_delta(trace.z[-1], trace.a[-1], t, self.activations[-1])
        # filled from the output layer back, reversed at the end
        grads_w: list[np.ndarray] = []
        grads_b: list[np.ndarray] = []
        deltas: list[np.ndarray] = []
        for k in range(n_layers - 1, -1, -1):
            deltas.append(delta)
            gw = delta.T @ trace.a[k]
            w = self.weights[k]
            if l2:
                gw += l2 * w
            if l1:
                gw += l1 * np.sign(w)
            grads_w.append(gw)
            grads_b.append(delta.sum(axis=0))
            if k:
                delta = self.activations[k - 1].backward(trace.z[k], trace.a[k], delta @ w)
        return Gradients(grads_w[::-1], grads_b[::-1], deltas[::-1])

    def loss(
        self, x: np.ndarray, targets: np.ndarray, loss: str | Loss, l1: float = 0.0, l2: float = 0.0
    ) -> float:
        """The mean loss on a batch, with the same regularisation terms `backward` differentiates."""
        loss = get_loss(loss)
        value = loss.value(self.forward(x), as_target_matrix(targets, self.sizes[-1], self.dtype))
        if l1:
            value += l1 * sum(float(np.abs(w).sum()) for w in self.weights)
        if l2:
            value += 0.5 * l2 * sum(float((w * w).sum()) for w in self.weights)
        return value


def _is_list(v: Any) -> bool:
    return isinstance(v, Sequence) and not isinstance(v, str)


def check_dtype(dtype: Any) -> np.dtype:
    """The parameter dtype: float64 (exact teaching numbers) or float32 (speed)."""
    dt: np.dtype | None
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt not in (np.float64, np.float32):
        raise NetworkError(f"dtype must be float64 or float32, got {dtype!r}")
    return dt


def _writable(arrays: list[np.ndarray], k: int) -> np.ndarray:
    """`arrays[k]`, first replaced by a writable copy if it is shared (read-only): see `Network.shared`."""
    if not arrays[k].flags.writeable:
        arrays[k] = arrays[k].copy()
    return arrays[k]


def _as_parameters(values: Any, name: str, dtype: np.dtype) -> np.ndarray:
    """A copy of a weight table or bias vector as finite numbers, or a NetworkError naming it."""
    try:
        array = np.array(values, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise NetworkError(f"{name} is not a rectangular table of numbers ({exc})") from None
    if not np.isfinite(array).all():
        raise NetworkError(f"{name} contains NaN or infinity")
    return array


def check_sizes(sizes: Sequence[int], pieces: Sequence[int] | None = None) -> None:
    """Refuse layer sizes that are not a usable network, before anything is allocated. `pieces[k]`: rows
    per neuron of layer k + 1 (maxout's k; 1 when not given)."""
    if not _is_list(sizes) or len(sizes) < 2:
        raise NetworkError("a network needs at least an input and an output layer (a list of sizes)")
    if len(sizes) > MAX_LAYERS:
        raise NetworkError(f"{len(sizes)} layers; at most {MAX_LAYERS} are supported")
    for k, n in enumerate(sizes):
        if not is_whole(n) or n < 1:
            raise NetworkError(f"layer {k} size must be a positive whole number, got {n!r}")
        if n > MAX_NEURONS_PER_LAYER:
            raise NetworkError(f"layer {k} has {n} neurons; at most {MAX_NEURONS_PER_LAYER} are supported")
    rows = [1] * (len(sizes) - 1) if pieces is None else pieces
    total = sum((sizes[k] * sizes[k + 1] + sizes[k + 1]) * rows[k] for k in range(len(sizes) - 1))
    if total > MAX_PARAMETERS:
        raise NetworkError(f"{total:,} parameters; at most {MAX_PARAMETERS:,} are supported")


def init_layer(
    rng: np.random.Generator, n_in: int, n_out: int, activation: str, scheme: str = "auto"
) -> tuple[np.ndarray, np.ndarray]:
    """Weights `(n_out, n_in)` and biases `(n_out,)` for one layer by the named scheme.

    - `xavier` (Glorot uniform): U(±√(6/(n_in+n_out))), biases 0 — keeps sigmoid/tanh signals in range.
    - `he`: N(0, √(2/n_in)), biases 0 — compensates for ReLU zeroing half of its inputs.
    - `uniform`: U(±1/√n_in) for weights and biases (PyTorch's default for nn.Linear).
    - `auto`: He for ReLU-like activations, Xavier otherwise.
    """
    if scheme not in INIT_SCHEMES:
        raise NetworkError(f"unknown initialisation {scheme!r}; known: {', '.join(INIT_SCHEMES)}")
    if scheme == "auto":
        scheme = "he" if activation in _RELU_LIKE else "xavier"
    if scheme == "xavier":
        limit = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-limit, limit, (n_out, n_in)), np.zeros(n_out)
    if scheme == "he":
        return rng.normal(0.0, np.sqrt(2.0 / n_in), (n_out, n_in)), np.zeros(n_out)
    limit = 1.0 / np.sqrt(n_in)
    return rng.uniform(-limit, limit, (n_out, n_in)), rng.uniform(-limit, limit, n_out)


def _overflow_shown_as_inf() -> np.errstate:
    """A forward pass through huge (finite) parameters overflows to ±inf, and inf − inf to NaN: results every
    view shows as such ("inf", "nan"), not warnings on stderr."""
    return np.errstate(over="ignore", invalid="ignore")
