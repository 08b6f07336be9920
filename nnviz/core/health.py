"""Network health on a batch: dead ReLU units, saturated sigmoid/tanh units, and per-layer gradient size.

What a person training a network wants to see rather than guess:
- A *dead* unit (ReLU, or leaky ReLU with slope 0) has `z ≤ 0` on every row: its output is 0 and its slope
  is 0 everywhere, so no gradient reaches its incoming weights and it never comes back.
- A *saturated* unit (sigmoid, tanh, softsign) sits on the flat tails of its curve on almost every row: its
  slope, the factor every gradient through it is multiplied by, is a tiny fraction of its maximum.
- Per weight layer, the root mean square of dL/dW on the batch (from the network's own backward pass), and
  its ratio to the weights' own RMS (how big one step at learning rate 1 is against the weights). A layer
  whose gradient is a tiny fraction of the others' is *vanishing* (deep sigmoid stacks: each layer multiplies
  by at most 0.25) while the loss is still high (no better than half a constant guess's); a huge one is
  *exploding*.

Pure NumPy, no Qt: the canvas shows a `Health`, tests check it against hand-built networks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from nnviz.core.activations import Activation
from nnviz.core.losses import LossError, as_target_matrix, get_loss
from nnviz.core.network import Network, NetworkError, Trace

# A unit counts as saturated on a row when its slope f'(z) is below this fraction of the activation's largest
# slope: at 1 % a gradient passing through is cut a hundredfold (sigmoid beyond |z| ≈ 6, tanh beyond ≈ 3).
SATURATION_SLOPE_SHARE = 0.01
# ... and as a saturated *unit* when that holds on at least this share of the rows: a few rows in the linear
# region still train it, so only a unit that is flat for nearly the whole batch is flagged.
SATURATED_ROW_SHARE = 0.95
# A layer whose dL/dW RMS is below this share of the largest layer's learns at least a hundred times slower
# than the fastest layer with the same learning rate: vanishing gradients.
VANISHING_SHARE = 0.01
# Below this absolute RMS no ordinary learning rate (≤ 1) moves a weight visibly in thousands of steps.
VANISHING_FLOOR = 1e-8
# ...but only while the loss is at least this share of a constant guess's (the targets' mean for every row):
# a trained network has small gradients by design, and flagging them would be a false alarm.
HIGH_LOSS_SHARE = 0.5
# A mean-loss gradient this large moves each weight by at least 10 × the learning rate per step, past any
# weight of ordinary size (|w| ≈ 1) at the usual rates: what comes just before a run diverges to NaN.
EXPLODING_RMS = 10.0

# The largest slope of each saturating activation (at z = 0); the sigmoid's is its slope parameter / 4.
_MAX_SLOPE = {"sigmoid": 0.25, "tanh": 1.0, "softsign": 1.0}

GradientState = Literal["ok", "vanishing", "exploding"]


def can_die(act: Activation) -> bool:
    """ReLU, or leaky ReLU whose negative slope is exactly 0: units that output 0 with slope 0 for z ≤ 0."""
    return act.name == "relu" or (act.name == "leaky_relu" and act.params["alpha"] == 0.0)


def can_saturate(act: Activation) -> bool:
    """Sigmoid-like activations whose slope tends to 0 on both tails."""
    return act.name in _MAX_SLOPE


@dataclass(frozen=True)
class LayerHealth:
    """Health of the units of one layer (network layer k+1 for `Health.layers[k]`), one entry per unit."""

    dead: np.ndarray  # bool: z ≤ 0 on every row (ReLU family only)
    saturated: np.ndarray  # bool: flat on at least SATURATED_ROW_SHARE of the rows (sigmoid family only)
    flat_share: np.ndarray  # share of the rows on which the unit's slope is below SATURATION_SLOPE_SHARE


@dataclass(frozen=True)
class GapGradient:
    """Gradient size of one weight layer (the edges from layer k to layer k+1)."""

    rms: float  # RMS of dL/dW over the layer's weights; inf when it overflowed
    weight_rms: float
    state: GradientState

    @property
    def update_scale(self) -> float:
        """rms / weight_rms: a step at learning rate 1 against the weights (inf for all-zero weights)."""
        if self.weight_rms > 0:
            return self.rms / self.weight_rms
        return 0.0 if self.rms == 0 else float("inf")


@dataclass(frozen=True)
class Health:
    """What `network_health` found on a batch of `rows` rows."""

    rows: int
    layers: list[LayerHealth]
    gradients: list[GapGradient] | None  # None without targets (or when the loss does not fit the network)
    loss: float | None

    @property
    def flagged(self) -> int:
        """How many units are dead or saturated."""
        return sum(int(h.dead.sum() + h.saturated.sum()) for h in self.layers)


def network_health(
    network: Network, x: np.ndarray, targets: np.ndarray | None = None, loss: str | None = None
) -> Health:
    """Dead and saturated units on the batch `x`, and (given targets and a loss) each layer's dL/dW size.

    `targets` are what the loss takes: class labels or one row of targets per sample. Raises NetworkError
    for an input of the wrong width; a loss that does not fit the outputs or targets gives no gradients.
    """
    with np.errstate(all="ignore"):  # overflow on absurd values shows as inf (exploding), never a warning
        trace = network.trace(x)
        if len(trace.a[0]) == 0:
            raise NetworkError("network health needs at least one row")
        layers = [
            _layer_health(act, trace.z[k + 1], trace.a[k + 1]) for k, act in enumerate(network.activations)
        ]
        gradients, value = None, None
        if targets is not None and loss is not None:
            gradients, value = _gradients(network, trace, targets, loss)
    return Health(len(trace.a[0]), layers, gradients, value)


def _layer_health(act: Activation, z: np.ndarray, a: np.ndarray) -> LayerHealth:
    n = a.shape[1]  # a maxout layer has more sums (z) than neurons
    dead: np.ndarray = np.all(z <= 0, axis=0) if can_die(act) else np.zeros(n, bool)
    flat = np.zeros(n)
    if can_saturate(act):
        slope = act.derivative(z, a) / (_MAX_SLOPE[act.name] * act.params.get("slope", 1.0))
        flat = (slope < SATURATION_SLOPE_SHARE).mean(axis=0)
    return LayerHealth(dead, flat >= SATURATED_ROW_SHARE, flat)


def _gradients(
    network: Network, trace: Trace, targets: np.ndarray, loss: str
) -> tuple[list[GapGradient] | None, float | None]:
    try:
        fn = get_loss(loss)
        fn.check(network.output_activation)
        t = as_target_matrix(targets, network.sizes[-1], network.dtype)
    except LossError:
        return None, None
    if len(t) != len(trace.a[0]):
        raise NetworkError(f"{len(trace.a[0])} rows but {len(t)} targets")
    grads = network.backward(trace, t, fn)
    rms = [_rms(g) for g in grads.weights]
    weight_rms = [_rms(w) for w in network.weights]
    largest = max(rms)
    value = float(fn.value(trace.output, t))
    if not np.isfinite(value):
        value = float("inf")
    guess = float(fn.value(np.broadcast_to(t.mean(axis=0), t.shape), t))
    high = guess > 0 and value >= HIGH_LOSS_SHARE * guess
    states = [gradient_state(r, largest, high) for r in rms]
    return [GapGradient(*v) for v in zip(rms, weight_rms, states, strict=True)], value


def _rms(values: np.ndarray) -> float:
    """Root mean square; inf when the values overflowed (inf or NaN), so it never shows as NaN."""
    peak = float(np.max(np.abs(values))) if values.size else 0.0
    if not np.isfinite(peak):
        return float("inf")
    if peak == 0.0:
        return 0.0
    # scaled by the peak so squaring 1e200 does not overflow
    return peak * float(np.sqrt(np.mean((values / peak) ** 2)))


def gradient_state(rms: float, largest: float, loss_high: bool = True) -> GradientState:
    """Vanishing (tiny next to the largest layer's, or below the floor, while the loss is still high),
    exploding, or ok."""
    if rms > EXPLODING_RMS:
        return "exploding"
    if loss_high and (rms < VANISHING_FLOOR or rms < VANISHING_SHARE * largest):
        return "vanishing"
    return "ok"


def unit_note(health: Health, layer: int, index: int) -> str | None:
    """One line for a neuron's tooltip when it is flagged (`layer` as the canvas counts: 1 = first hidden)."""
    if layer < 1 or layer > len(health.layers):
        return None
    h = health.layers[layer - 1]
    if h.dead[index]:
        return f"dead: output 0 on all {health.rows} rows (z ≤ 0), so its weights get no gradient"
    if h.saturated[index]:
        share = 100.0 * h.flat_share[index]
        return (
            f"saturated: slope below {100 * SATURATION_SLOPE_SHARE:g} % of its maximum on {share:.0f} % "
            f"of {health.rows} rows, so gradients through it nearly vanish"
        )
    return None


def gradient_label(gap: GapGradient) -> str:
    """The compact readout drawn under a layer gap, e.g. `∇ 3.1e-04`."""
    return "∇ ∞" if not np.isfinite(gap.rms) else f"∇ {gap.rms:.1e}"


def gradient_note(health: Health, k: int) -> str:
    """The tooltip of gap k's readout: what the number is and, when flagged, what it means."""
    if health.gradients is None:
        raise ValueError("this health check computed no gradients (it had no targets)")
    gap = health.gradients[k]
    lines = [
        f"weights from layer {k} to layer {k + 1}: gradient of the loss on {health.rows} training rows",
        f"RMS of dL/dW = {gap.rms:.3g}; RMS of the weights = {gap.weight_rms:.3g}; "
        f"ratio {gap.update_scale:.3g} (a step at learning rate 1, against the weights)",
    ]
    if gap.state == "vanishing":
        lines.append(
            f"vanishing: below {100 * VANISHING_SHARE:g} % of the largest layer's (or {VANISHING_FLOOR:g}) "
            f"while the loss is above {100 * HIGH_LOSS_SHARE:g} % of a constant guess's, so this layer "
            "barely learns — saturated or dead units upstream of it are the usual cause"
        )
    elif gap.state == "exploding":
        lines.append(f"exploding: above {EXPLODING_RMS:g}, steps overshoot — lower the learning rate")
    lines.append("marks on neurons: red ✕ dead (output 0 on every row), gold ring saturated (flat slope)")
    return "\n".join(lines)
