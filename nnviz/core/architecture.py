"""Architecture edits: every function returns a new Network and leaves its argument untouched.

Weights survive an edit wherever their shape allows (the overlapping block of each matrix is copied), so a
trained network keeps what it learned when a neuron is added; parameters that did not exist before are
initialised with the chosen scheme by `network.init_layer`, exactly as `Network.create` would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from nnviz.core.activations import Activation, get_activation
from nnviz.core.network import Network, NetworkError, check_sizes, init_layer
from nnviz.core.numbers import is_whole


def _in_range(value: Any, low: int, high: int) -> bool:
    """A whole number (not a bool) with low <= value <= high."""
    return is_whole(value) and low <= int(value) <= high


def _check_layer(network: Network, layer: int, hidden_only: bool = False) -> None:
    n_layers = len(network.sizes)
    low, high = (1, n_layers - 2) if hidden_only else (0, n_layers - 1)
    if not _in_range(layer, low, high):
        what = "a hidden layer" if hidden_only else "a layer"
        raise NetworkError(f"layer {layer!r} is not {what} of {network.describe()} (valid: {low}..{high})")


def _fresh(
    rng: np.random.Generator, n_in: int, n_out: int, act: Activation, init: str
) -> tuple[np.ndarray, np.ndarray]:
    """A new layer's weights and biases: `n_out` neurons, each with `act.pieces` rows (maxout has k)."""
    return init_layer(rng, n_in, n_out * act.pieces, act.name, init)


def _by_piece(w: np.ndarray, b: np.ndarray, pieces: int) -> tuple[np.ndarray, np.ndarray]:
    """A layer's piece-major rows as `(pieces, n, n_in)` and `(pieces, n)` views (see nnviz.core.network)."""
    return w.reshape(pieces, -1, w.shape[1]), b.reshape(pieces, -1)


def _keep_overlap(new_w: np.ndarray, new_b: np.ndarray, w: np.ndarray, b: np.ndarray, pieces: int) -> None:
    """Copy the old layer's parameters into the new one wherever both have the neuron, piece and input."""
    (nw, nb), (ow, ob) = _by_piece(new_w, new_b, pieces), _by_piece(w, b, pieces)
    rows, cols = min(ow.shape[1], nw.shape[1]), min(ow.shape[2], nw.shape[2])
    nw[:, :rows, :cols] = ow[:, :rows, :cols]
    nb[:, :rows] = ob[:, :rows]


def resize_layer(
    network: Network, layer: int, size: int, init: str = "auto", seed: int | None = None
) -> Network:
    """Layer `layer` (0 = input) gets `size` neurons; the surviving neurons keep their weights and biases."""
    _check_layer(network, layer)
    sizes = list(network.sizes)
    sizes[layer] = size
    check_sizes(sizes, [a.pieces for a in network.activations])
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for k, (w, b, act) in enumerate(zip(network.weights, network.biases, network.activations, strict=True)):
        if layer not in (k, k + 1):
            weights.append(w.copy())
            biases.append(b.copy())
            continue
        new_w, new_b = _fresh(rng, sizes[k], sizes[k + 1], act, init)
        _keep_overlap(new_w, new_b, w, b, act.pieces)
        weights.append(new_w)
        biases.append(new_b)
    return Network(weights, biases, network.activations, network.dtype)


def add_neuron(network: Network, layer: int, init: str = "auto", seed: int | None = None) -> Network:
    """One more neuron at the end of `layer`."""
    _check_layer(network, layer)
    return resize_layer(network, layer, network.sizes[layer] + 1, init, seed)


def remove_neuron(network: Network, layer: int, index: int) -> Network:
    """Drop neuron `index` of `layer` with its incoming and outgoing edges; every other weight is kept."""
    _check_layer(network, layer)
    n = network.sizes[layer]
    if not _in_range(index, 0, n - 1):
        raise NetworkError(f"neuron {index!r} does not exist in layer {layer} ({n} neurons)")
    if n == 1:
        raise NetworkError(f"layer {layer} has only one neuron; remove the layer instead")
    weights = [w.copy() for w in network.weights]
    biases = [b.copy() for b in network.biases]
    if layer > 0:
        rows = np.arange(network.activations[layer - 1].pieces) * n + index  # the neuron's row in each piece
        weights[layer - 1] = np.delete(weights[layer - 1], rows, axis=0)
        biases[layer - 1] = np.delete(biases[layer - 1], rows)
    if layer < len(weights):
        weights[layer] = np.delete(weights[layer], index, axis=1)
    return Network(weights, biases, network.activations, network.dtype)


def insert_hidden_layer(
    network: Network,
    position: int,
    size: int,
    activation: str | Mapping[str, Any] | Activation = "sigmoid",
    init: str = "auto",
    seed: int | None = None,
) -> Network:
    """A new hidden layer becomes layer `position` (1..number of layers - 1), between two existing ones.

    The two matrices touching it are new; every other layer's parameters are kept.
    """
    n_layers = len(network.sizes)
    if not _in_range(position, 1, n_layers - 1):
        raise NetworkError(f"a hidden layer can be inserted at positions 1..{n_layers - 1}, not {position!r}")
    act = get_activation(activation)
    if act.kind.output_only:
        raise NetworkError(f"{act.name} can only be the output layer's activation")
    sizes = list(network.sizes)
    sizes.insert(position, size)
    rng = np.random.default_rng(seed)
    k = position - 1  # the matrix W[k] that the new layer splits in two
    acts = list(network.activations)
    acts.insert(k, act)
    weights = [w.copy() for w in network.weights]
    biases = [b.copy() for b in network.biases]
    w_in, b_in = _fresh(rng, sizes[k], size, act, init)
    w_out, b_out = _fresh(rng, size, sizes[k + 2], acts[k + 1], init)
    weights[k : k + 1] = [w_in, w_out]
    biases[k : k + 1] = [b_in, b_out]
    return Network(weights, biases, acts, network.dtype)


def remove_hidden_layer(network: Network, layer: int, init: str = "auto", seed: int | None = None) -> Network:
    """Drop hidden layer `layer`; its neighbours are joined by a freshly initialised matrix."""
    _check_layer(network, layer, hidden_only=True)
    sizes = network.sizes
    k = layer - 1
    acts = list(network.activations)
    del acts[k]
    w, b = _fresh(np.random.default_rng(seed), sizes[layer - 1], sizes[layer + 1], acts[k], init)
    weights = [x.copy() for x in network.weights]
    biases = [x.copy() for x in network.biases]
    weights[k : k + 2] = [w]
    biases[k : k + 2] = [b]
    return Network(weights, biases, acts, network.dtype)


def set_activation(
    network: Network,
    layer: int,
    activation: str | Mapping[str, Any] | Activation,
    init: str = "auto",
    seed: int | None = None,
) -> Network:
    """Layer `layer` (1..output) computes with another activation (or the same one with another parameter).

    A change in the number of maxout pieces keeps the pieces both have: piece 1 of a new maxout layer is the
    old layer's weights, further pieces are freshly initialised (identical copies would tie, and a tie sends
    the gradient to one piece only, so the others would never learn); leaving maxout keeps piece 1.
    """
    if layer == 0:
        raise NetworkError("the input layer has no activation")
    _check_layer(network, layer)
    acts = list(network.activations)
    old, new = acts[layer - 1], get_activation(activation)
    acts[layer - 1] = new
    weights, biases = list(network.weights), list(network.biases)
    if new.pieces != old.pieces:
        check_sizes(network.sizes, [a.pieces for a in acts])
        w, b = weights[layer - 1], biases[layer - 1]
        new_w, new_b = _fresh(np.random.default_rng(seed), w.shape[1], network.sizes[layer], new, init)
        (nw, nb), (ow, ob) = _by_piece(new_w, new_b, new.pieces), _by_piece(w, b, old.pieces)
        kept = min(old.pieces, new.pieces)
        nw[:kept], nb[:kept] = ow[:kept], ob[:kept]
        weights[layer - 1], biases[layer - 1] = new_w, new_b
    return Network(weights, biases, acts, network.dtype)


def fit_to_dataset(
    network: Network,
    n_inputs: int,
    n_outputs: int,
    output_activation: str | Mapping[str, Any] | Activation | None = None,
    init: str = "auto",
    seed: int | None = None,
) -> Network:
    """Input and output layers resized to a dataset's features and targets (and the output activation set)."""
    last = len(network.sizes) - 1
    result = resize_layer(network, 0, n_inputs, init, seed)
    result = resize_layer(result, last, n_outputs, init, None if seed is None else seed + 1)
    if output_activation is not None:
        result = set_activation(result, last, output_activation)
    return result
