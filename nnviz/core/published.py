"""The figures the published step-by-step backpropagation walk-through prints for its 2-2-2 example
(Matt Mazur, "A Step by Step Backpropagation Example"), so the walk-through can say where its exact figures
differ from them.

The published text keeps 9 significant digits and computes on with its rounded values; nnviz computes in
float64 and rounds only for display. At 8 digits every figure agrees except the error after the update.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict

import numpy as np

from nnviz.core.network import Network


class _Example(TypedDict):
    weights: list[list[list[float]]]
    biases: list[list[float]]
    input: list[float]
    target: list[float]
    learning_rate: float


#: the example's parameters, input, target and learning rate
CLASSIC: _Example = {
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
    "input": [0.05, 0.10],
    "target": [0.01, 0.99],
    "learning_rate": 0.5,
}

#: figure by the walk-through's equation name (teaching names)
FIGURES: Mapping[str, float] = {
    "net_h1": 0.3775,
    "out_h1": 0.593269992,
    "out_h2": 0.596884378,
    "net_o1": 1.105905967,
    "out_o1": 0.75136507,
    "out_o2": 0.772928465,
    "E_o1": 0.274811083,
    "E_o2": 0.023560026,
    "E_total": 0.298371109,
    "∂E_total/∂out_o1": 0.74136507,
    "∂out_o1/∂net_o1": 0.186815602,
    "∂E_total/∂w5": 0.082167041,
    "∂E_o1/∂out_h1": 0.055399425,
    "∂E_o2/∂out_h1": -0.019049119,
    "∂E_total/∂out_h1": 0.036350306,
    "∂out_h1/∂net_h1": 0.241300709,
    "∂E_total/∂w1": 0.000438568,
    "w1⁺": 0.149780716,
    "w2⁺": 0.19956143,
    "w3⁺": 0.24975114,
    "w4⁺": 0.29950229,
    "w5⁺": 0.35891648,
    "w6⁺": 0.408666186,
    "w7⁺": 0.511301270,
    "w8⁺": 0.561370121,
    "E_total⁺": 0.291027924,
}


def figures_for(
    network: Network,
    x: Sequence[float] | np.ndarray,
    target: Sequence[float] | np.ndarray | None,
    learning_rate: float,
    loss: str,
) -> Mapping[str, float] | None:
    """The published figures when this is the published example (same parameters, sample, rate, loss)."""
    try:
        same = (
            network.sizes == [2, 2, 2]
            and all(a.name == "sigmoid" and a.params["slope"] == 1.0 for a in network.activations)
            and loss == "mse"
            and learning_rate == CLASSIC["learning_rate"]
            and all(np.array_equal(w, c) for w, c in zip(network.weights, CLASSIC["weights"], strict=True))
            and all(np.array_equal(b, c) for b, c in zip(network.biases, CLASSIC["biases"], strict=True))
            and np.array_equal(np.ravel(x), CLASSIC["input"])
            and target is not None
            and np.array_equal(np.ravel(target), CLASSIC["target"])
        )
    except ValueError:  # shapes that cannot be compared are not the example
        return None
    return FIGURES if same else None
