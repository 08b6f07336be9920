"""The math panel's text: each step of the stepper written out with its real numbers.

Pure functions (no Qt), so the exact strings are testable. Results are written with 8 significant digits,
terms with 4; sums with many terms (784 pixels) show the first and last few and say how many were left out.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnviz.core.network import Network, Trace
from nnviz.core.stepping import DeltaStep, GradientStep, NeuronStep, OutputErrorStep, Step

#: terms shown at each end of a long sum
EDGE_TERMS = 3


def num(x: float) -> str:
    """A result: 8 significant digits, the walk-through's precision."""
    return f"{x:.8g}"


def term(x: float) -> str:
    return f"{x:.4g}"


def factor(x: float) -> str:
    """A term used as a factor: negative numbers in parentheses, `0.45·(-0.0381)`."""
    return f"({x:.4g})" if x < 0 else f"{x:.4g}"


def neuron(layer: int, index: int) -> str:
    """Neurons are named layer.index with the index counted from 1, as the canvas tooltips do."""
    return f"{layer}.{index + 1}"


def selection_name(selection) -> str:
    """A selection named the way the math panel names neurons: `neuron 1.3`, `edge 1.2 → 2.1`, `layer 2`."""
    k = selection.layer
    if selection.kind == "edge":
        return f"edge {neuron(k, selection.source)} → {neuron(k + 1, selection.index)}"
    if selection.kind == "neuron":
        return f"neuron {neuron(selection.layer, selection.index)}"
    return f"layer {selection.layer}"


def _join(parts: list[str]) -> str:
    """`a + b − c`: a part that starts with a minus sign is subtracted rather than added."""
    text = parts[0]
    for p in parts[1:]:
        text += f" − {p[1:]}" if p.startswith("-") else f" + {p}"
    return text


def _sum(n: int, part: Callable[[int], str]) -> str:
    """`part(0) + part(1) + …` over n terms; a long sum keeps its ends and formats only what it shows."""
    if n <= 2 * EDGE_TERMS + 1:
        return _join([part(i) for i in range(n)])
    head = _join([part(i) for i in range(EDGE_TERMS)]) + f" + … ({n - 2 * EDGE_TERMS} more terms) …"
    return _join([head, _join([part(i) for i in range(n - EDGE_TERMS, n)])])


def neuron_text(step: NeuronStep) -> str:
    w, x, n = step.weights, step.inputs, len(step.weights)
    symbolic = _sum(n, lambda i: f"{term(w[i])}·{factor(x[i])}")
    lines = [
        f"Neuron {neuron(step.layer, step.index)} (forward)",
        *maxout_lines(step),
        f"z = Σ wᵢ·aᵢ + b = {_join([symbolic, term(step.bias)])}",
        # Python floats: a product beyond the float limit is inf without a warning
        f"  = {_join([_sum(n, lambda i: term(float(w[i]) * float(x[i]))), term(step.bias)])}",
        f"  = {num(step.z)}",
        f"a = f(z) = {num(step.a)}      {step.activation.formula}",
    ]
    return "\n".join(lines)


def maxout_lines(step: NeuronStep) -> list[str]:
    """A maxout neuron's pieces and which one won; the sum that follows is the winner's. Empty otherwise."""
    if step.piece_sums is None:
        return []
    sums = ", ".join(
        f"z{p + 1} = {num(z)}" + (" (largest)" if p == step.winner else "")
        for p, z in enumerate(step.piece_sums)
    )
    return [
        f"maxout: {len(step.piece_sums)} pieces zₚ = Σ wₚᵢ·aᵢ + bₚ, and a = the largest",
        sums,
        f"piece {step.winner + 1} wins; its sum:",
    ]


def _vector(v: np.ndarray) -> str:
    return "[" + ", ".join(term(x) for x in v[:8]) + (f", … ({len(v) - 8} more)]" if len(v) > 8 else "]")


def layer_text(network: Network, trace: Trace, layer: int) -> str:
    """Layer `layer` (≥ 1) in matrix form `a' = f(W a + b)`, with the numbers when the layer is small."""
    w, b = network.weights[layer - 1], network.biases[layer - 1]
    f = network.activations[layer - 1]
    lines = [f"Layer {layer} in matrix form: a' = f(W a + b)   W is {w.shape[0]}×{w.shape[1]}", f.formula]
    if w.shape[0] <= 6 and w.shape[1] <= 6:
        lines.append("W = " + "\n    ".join(_vector(row) for row in w))
    lines += [
        f"a = {_vector(trace.a[layer - 1][0])}",
        f"b = {_vector(b)}",
        f"W a + b = {_vector(trace.z[layer][0])}",
        f"a' = f(W a + b) = {_vector(trace.a[layer][0])}",
    ]
    return "\n".join(lines)


def output_error_text(step: OutputErrorStep) -> str:
    lines = [
        f"Output error ({step.loss_name})",
        f"outputs  = {_vector(step.outputs)}",
        f"targets  = {_vector(step.targets)}",
        f"loss = {num(step.loss)}" + (f"  (of which penalty {num(step.penalty)})" if step.penalty else ""),
        f"dL/da = {_vector(step.output_gradients)}",
    ]
    return "\n".join(lines)


def delta_text(step: DeltaStep) -> str:
    name = neuron(step.layer, step.index)
    if step.downstream_weights is None:
        error = f"dL/da = {num(step.error)}  (from the loss)"
    else:
        w, d = step.downstream_weights, step.downstream_deltas
        total = _sum(len(w), lambda i: f"{term(w[i])}·{factor(d[i])}")
        error = f"dL/da = Σ wⱼ·δⱼ = {total} = {num(step.error)}"
    slope = "softmax Jacobian" if step.derivative is None else num(step.derivative)
    return "\n".join(
        [
            f"Delta of neuron {name} (backward)",
            error,
            f"f'(z) = {slope}   at z = {num(step.z)}",
            f"δ = dL/da · f'(z) = {num(step.delta)}",
        ]
    )


def gradient_text(step: GradientStep) -> str:
    name = neuron(step.layer, step.index)
    x, g, n = step.inputs, step.weight_gradients, len(step.inputs)
    products = _sum(n, lambda i: f"{term(step.delta)}·{factor(x[i])}")
    grads = _sum(n, lambda i: term(g[i]))
    return "\n".join(
        [
            f"Gradients of the edges into neuron {name}",
            f"dL/dwᵢ = δ·aᵢ = {products}",
            f"       = {grads}",
            f"dL/db = δ = {num(step.bias_gradient)}",
        ]
    )


def step_text(step: Step | None) -> str:
    """The text for any step; an invitation to start when there is none."""
    if step is None:
        return "Press N to compute the first neuron, L for a whole layer, E to run to the end."
    if isinstance(step, NeuronStep):
        return neuron_text(step)
    if isinstance(step, OutputErrorStep):
        return output_error_text(step)
    if isinstance(step, DeltaStep):
        return delta_text(step)
    return gradient_text(step)
