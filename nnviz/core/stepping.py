"""The forward (and backward) pass of one sample as a sequence of neuron-sized steps, for step-through.

A `ForwardStepper` computes the whole pass once, with `Network.trace` and `Network.backward`, and cuts it into
step records the GUI replays one at a time (each made when first read, `Steps`): every number a step shows is
the very number the network computed, so stepping and training never disagree. The order follows the textbook
walk-through:

1. forward, layer by layer from the first hidden layer: one `NeuronStep` per neuron;
2. when a target and a loss are given: one `OutputErrorStep` (the loss and dL/da of every output), then,
   from the output layer back to the first hidden layer, the `DeltaStep` of every neuron of the layer
   followed by the `GradientStep` of every neuron of that layer (the gradients of its incoming edges);
3. then the update, one `UpdateStep` per layer from the first, and a `NewLossStep`: the loss after it.

Layers are numbered as in `Trace`: layer 0 is the input, layer k ≥ 1 is computed from `weights[k - 1]`.
The stepper works on a copy of the network, so later edits do not change the steps; make a new stepper
after an edit.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple, overload

import numpy as np

from nnviz.core.activations import Activation, maxout_winners
from nnviz.core.losses import Loss, as_target_matrix, get_loss
from nnviz.core.network import Gradients, Network, NetworkError, Trace


@dataclass(frozen=True)
class NeuronStep:
    """The forward computation of one neuron: `z = Σᵢ wᵢ·aᵢ + b`, `a = f(z)`.

    - `layer`, `index`: the neuron (layer ≥ 1; `index` counts from 0 within the layer).
    - `inputs`: the activations `aᵢ` of the previous layer (the incoming values, one per edge).
    - `weights`: the weights `wᵢ` of the incoming edges (row `index` of `weights[layer - 1]`).
    - `products`: `wᵢ·aᵢ` per incoming edge (computed on access).
    - `bias`: `b`; `z`: the weighted sum plus bias; `a`: the neuron's activation `f(z)`.
    - `activation`: the function `f`, with its parameters and display formula. For softmax, `a` depends on
      every `z` of the layer: it is the layer's softmax, exact once the layer is complete.
    - `piece_sums`, `winner`: for maxout, every piece's `zₚ = wₚ·a + bₚ` and the (0-based) piece with the
      largest one; `weights`, `bias` and `z` are then the winner's, so `a = z`. None for other activations.
    """

    kind: ClassVar[str] = "neuron"
    layer: int
    index: int
    inputs: np.ndarray
    weights: np.ndarray
    bias: float
    z: float
    a: float
    activation: Activation
    piece_sums: np.ndarray | None = None
    winner: int | None = None

    @property
    def products(self) -> np.ndarray:
        products: np.ndarray = self.weights * self.inputs
        return products


@dataclass(frozen=True)
class OutputErrorStep:
    """How wrong the output is: the loss and its gradient with respect to each output activation.

    - `layer`: the output layer; `index` is None (the step covers the whole layer).
    - `loss_name`: `mse`, `bce` or `cross_entropy`; `loss`: its value for this sample, including the
      regularisation penalty `l1·Σ|w| + l2/2·Σw²` when one was asked for (`penalty` is that part alone).
    - `outputs`: the output activations; `targets`: the target row (a class label becomes one-hot).
    - `output_gradients`: dL/da per output neuron — for mse `2·(a − t)/n_outputs`, which for two outputs
      is the walk-through's `−(target − out)`.
    """

    kind: ClassVar[str] = "output_error"
    layer: int
    loss_name: str
    loss: float
    penalty: float
    outputs: np.ndarray
    targets: np.ndarray
    output_gradients: np.ndarray
    index: None = None


@dataclass(frozen=True)
class DeltaStep:
    """One neuron's delta `δ = dL/dz`: how the loss changes with its weighted sum.

    - `layer`, `index`: the neuron.
    - `error`: dL/da, the loss's sensitivity to the neuron's activation. At the output it comes from the
      loss (`OutputErrorStep.output_gradients`); in a hidden layer it is `Σⱼ wⱼ·δⱼ` over the edges leaving
      the neuron, with `downstream_weights` (`weights[layer][:, index]`) and `downstream_deltas` (the deltas
      of layer + 1, already computed); both are None at the output.
    - `derivative`: f'(z), the slope of the activation at this neuron's z (for maxout, 1 at the winning
      piece's z, the only piece the delta reaches); None for softmax, whose Jacobian is not diagonal (its
      delta is the vector-Jacobian product `a·(error − Σ a·error)`).
    - `delta`: `error · derivative` (for sigmoid + bce and softmax + cross_entropy the network uses the
      exact fused form `slope·(a − t)`, equal up to rounding).
    """

    kind: ClassVar[str] = "delta"
    layer: int
    index: int
    z: float
    a: float
    error: float
    derivative: float | None
    delta: float
    downstream_weights: np.ndarray | None
    downstream_deltas: np.ndarray | None


@dataclass(frozen=True)
class GradientStep:
    """The gradients of one neuron's incoming edges and bias: what one optimizer step would change.

    - `layer`, `index`: the neuron whose incoming edges these are (row `index` of `weights[layer - 1]`).
    - `inputs`: the previous layer's activations `aᵢ`; `delta`: this neuron's δ.
    - `weights`, `bias`: the current values (an SGD step makes them `w − η·weight_gradients`).
    - `weight_gradients`: dL/dwᵢ = `δ·aᵢ` (plus `l2·wᵢ + l1·sign(wᵢ)` with regularisation).
    - `bias_gradient`: dL/db = `δ` (biases are not regularised).
    - `row`: the row of `weights[layer - 1]` these are: `index`, or for maxout the winning piece's row
      (`winner·n + index`), the only piece the gradient reaches (the others' gradients are zero, or only
      the regularisation terms).
    """

    kind: ClassVar[str] = "gradient"
    layer: int
    index: int
    inputs: np.ndarray
    delta: float
    weights: np.ndarray
    bias: float
    weight_gradients: np.ndarray
    bias_gradient: float
    row: int | None = None


@dataclass(frozen=True)
class UpdateStep:
    """The gradient-descent update `w⁺ = w − η·∂E/∂w` of the weights (and biases) into `layer`; the numbers
    are the walk-through's (`nnviz.core.walkthrough`), which knows the learning rate. `index` is None."""

    kind: ClassVar[str] = "update"
    layer: int
    index: None = None


@dataclass(frozen=True)
class NewLossStep:
    """The loss on the same sample after the update: did the step help? `layer` is the output layer."""

    kind: ClassVar[str] = "new_loss"
    layer: int
    index: None = None


Step = NeuronStep | OutputErrorStep | DeltaStep | GradientStep | UpdateStep | NewLossStep


class _LayerErrors(NamedTuple):
    """What the delta steps of one layer read (one vector per layer, computed once)."""

    layer: int
    z: np.ndarray
    a: np.ndarray
    slopes: np.ndarray | None
    errors: np.ndarray
    downstream_weights: np.ndarray | None
    downstream_deltas: np.ndarray | None


class Steps(Sequence[Step]):
    """A stepper's steps, each made when first read (then kept, so reading it again gives the same object).

    They come in groups of one kind and layer, whose numbers are worked out when the stepper is made; a
    network of 784-1024-1024-10 has some 6,000 neuron-sized steps, and making them all on every weight edit
    cost more than a frame while a view reads only the current one.
    """

    def __init__(self) -> None:
        self._groups: list[tuple[str, int, Callable[[int], Step]]] = []
        self._starts: list[int] = []
        self._length = 0
        self._made: dict[int, Step] = {}

    def add(self, kind: str, layer: int, count: int, make: Callable[[int], Step]) -> None:
        """Append `count` steps of `kind` in `layer`; `make(i)` makes the i-th of them."""
        if count:
            self._groups.append((kind, layer, make))
            self._starts.append(self._length)
            self._length += count

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> Step: ...

    @overload
    def __getitem__(self, index: slice) -> list[Step]: ...

    def __getitem__(self, index: int | slice) -> Step | list[Step]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("step index out of range")
        step = self._made.get(index)
        if step is None:
            g = bisect.bisect_right(self._starts, index) - 1
            step = self._made[index] = self._groups[g][2](index - self._starts[g])
        return step

    def __iter__(self) -> Iterator[Step]:
        return (self[i] for i in range(self._length))

    def done_per_group(self, position: int) -> Iterator[tuple[str, int, int]]:
        """(kind, layer, how many of its steps are among the first `position`) for each group begun."""
        for (kind, layer, _), start, end in zip(
            self._groups, self._starts, [*self._starts[1:], self._length], strict=True
        ):
            if start >= position:
                return
            yield kind, layer, min(end, position) - start


@dataclass(frozen=True, eq=False)
class ShownSample:
    """The sample a window shows and the activations it passes through: what another thread needs to run the
    forward pass of a training snapshot for it, off the GUI thread (a pass over every weight: 13 ms at 14.2M
    parameters). Its owner makes a new one only when the input or the activations change, so a trace made
    for this object (`ShownTrace`) is known to fit by identity."""

    x: np.ndarray
    activations: tuple[Activation, ...]
    dtype: np.dtype

    def trace(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> ShownTrace:
        net = Network.wrapping(weights, biases, self.activations, self.dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # as the window's own pass (Session._rerun)
            return ShownTrace(self, net.trace(np.asarray(self.x, dtype=self.dtype)))


class ShownTrace(NamedTuple):
    """A forward pass of `sample.x`, made for `sample`."""

    sample: ShownSample
    trace: Trace


class ForwardStepper:
    """Replays one sample's forward pass, and with a target and loss its backward pass, step by step.

    `position` is the number of completed steps (0 … len(steps)); `current` is the last completed one.
    `computed[k]` says which neurons of layer k have their activation (the input layer always has);
    `delta_computed[k]` which have their delta. `network` is the stepper's own copy (unless made with
    `copy=False`: then the caller's, which must not change while the stepper is used), `trace` its forward
    pass (a batch of one; given as `trace` when it was made elsewhere for this network and input, see
    `ShownSample`) and `gradients` its backward pass (None without a target). Raises NetworkError
    for an input that is not one sample, LossError for an unusable target, UntrainableError when a backward
    pass is asked of a network with a step activation.
    """

    def __init__(
        self,
        network: Network,
        x_single_sample: np.ndarray,
        target: np.ndarray | float | int | None = None,
        loss: str | Loss | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        copy: bool = True,
        trace: Trace | None = None,
    ) -> None:
        if (target is None) != (loss is None):
            raise NetworkError("the backward pass needs both a target and a loss")
        # `copy=False` for an owner that makes a new stepper whenever it changes the network (the window's
        # session): the copy was 15 MB and 10-30 ms of every edit at 1.86M weights.
        self.network = network.copy() if copy else network
        x = np.asarray(x_single_sample, dtype=self.network.dtype)
        if x.ndim > 2 or (x.ndim == 2 and x.shape[0] != 1):
            raise NetworkError(f"step-through takes one sample; got an input of shape {x.shape}")
        self.trace = self.network.trace(x) if trace is None else trace
        self._sizes = self.network.sizes  # a property that builds its list: read once (20,000 layers)
        self._rows = self._winning_rows()
        self.steps = Steps()
        self._forward_steps()
        self._gradients: Gradients | None = None
        self._loss_args: tuple[np.ndarray, Loss, float, float] | None = None
        self._layer_errors: dict[int, _LayerErrors] = {}
        self._errstate = np.geterr()  # the caller's wish for overflows: the parts made later follow it too
        if target is not None and loss is not None:  # both or neither (checked above)
            self.network.check_trainable(loss)
            self._loss_args = (self._targets(target), get_loss(loss), l1, l2)
            self._backward_steps()
        self.position = 0

    @property
    def has_backward(self) -> bool:
        """Whether the steps go on into the backward pass (a target and a loss were given)."""
        return self._loss_args is not None

    @property
    def gradients(self) -> Gradients | None:
        """The backward pass (None without a target), computed when first asked for: an edit makes a new
        stepper, and at 1.86M weights the pass is 40 ms that need not be spent until a backward step or the
        update is shown."""
        if self._gradients is None and self._loss_args is not None:
            t, loss, l1, l2 = self._loss_args
            with np.errstate(**self._errstate):
                self._gradients = self.network.backward(self.trace, t, loss, l1, l2)
        return self._gradients

    # -- building the steps --------------------------------------------------------------------------------
    def _forward_steps(self) -> None:
        for k, rows in enumerate(self._rows):
            self.steps.add(NeuronStep.kind, k + 1, len(rows), functools.partial(self._neuron_step, k))

    def _winning_rows(self) -> list[list[int]]:
        """Per weight matrix k, the row that decides each neuron of layer k + 1: the neuron's own row, or for
        maxout its winning piece's (`winner·n + j`)."""
        rows = []
        for k, act in enumerate(self.network.activations):
            n = self._sizes[k + 1]
            if act.pieces == 1:
                rows.append(list(range(n)))
            else:
                rows.append((maxout_winners(self.trace.z[k + 1], act.pieces)[0] * n + np.arange(n)).tolist())
        return rows

    def _neuron_step(self, k: int, j: int) -> NeuronStep:
        net, trace = self.network, self.trace
        act, row = net.activations[k], self._rows[k][j]
        n = self._sizes[k + 1]
        maxout = act.pieces > 1
        return NeuronStep(
            k + 1,
            j,
            trace.a[k][0],
            net.weights[k][row],
            float(net.biases[k][row]),
            float(trace.z[k + 1][0, row]),
            float(trace.a[k + 1][0, j]),
            act,
            trace.z[k + 1][0, j::n] if maxout else None,
            row // n if maxout else None,
        )

    def _targets(self, target: np.ndarray | float | int) -> np.ndarray:
        """One target row: a class label (scalar) or a vector of one value per output."""
        t = np.asarray(target)
        n_out = self.network.sizes[-1]
        row = t.reshape(1) if t.ndim == 0 and n_out > 1 else t.reshape(1, -1) if t.ndim <= 1 else t
        return as_target_matrix(row, n_out, self.network.dtype)

    def _backward_steps(self) -> None:
        """The backward pass's steps, each group computed when one of its steps is first read."""
        sizes, out = self._sizes, len(self.network.weights)
        self.steps.add(OutputErrorStep.kind, out, 1, lambda _: self._output_error())
        for k in range(out, 0, -1):  # layer k, computed by weights[k - 1]
            self.steps.add(DeltaStep.kind, k, sizes[k], functools.partial(self._delta_step, k))
            self.steps.add(GradientStep.kind, k, sizes[k], functools.partial(self._gradient_step, k))
        for k in range(1, out + 1):
            self.steps.add(UpdateStep.kind, k, 1, _always(UpdateStep(k)))
        self.steps.add(NewLossStep.kind, out, 1, _always(NewLossStep(out)))

    def _output_error(self) -> OutputErrorStep:
        net, trace = self.network, self.trace
        assert self._loss_args is not None, "an output error step exists only with the backward pass"
        t, loss, l1, l2 = self._loss_args
        out = len(net.weights)
        with np.errstate(**self._errstate):
            total = net.loss(trace.a[0], t, loss, l1, l2)
            data_loss = loss.value(trace.a[out], t)
            return OutputErrorStep(
                out, loss.name, total, total - data_loss, trace.a[out][0], t[0], loss.grad(trace.a[out], t)[0]
            )

    def _errors_of(self, k: int) -> _LayerErrors:
        """What the delta steps of layer k read, computed once for the layer."""
        layer = self._layer_errors.get(k)
        if layer is None:
            net, trace, grads = self.network, self.trace, self._backward
            assert self._loss_args is not None, "a delta step exists only with the backward pass"
            t, loss, _, _ = self._loss_args
            out, act, rows = len(net.weights), net.activations[k - 1], self._rows[k - 1]
            z, a = trace.z[k][0][rows], trace.a[k][0]
            with np.errstate(**self._errstate):
                pieces = np.ones_like(a) if act.pieces > 1 else None
                slopes = act.derivative(z, a) if act.elementwise else pieces
                if k == out:
                    errors, down_w, down_d = loss.grad(trace.a[out], t)[0], None, None
                else:
                    down_d = grads.deltas[k][0]
                    errors, down_w = (grads.deltas[k] @ net.weights[k])[0], net.weights[k]
            layer = self._layer_errors[k] = _LayerErrors(k, z, a, slopes, errors, down_w, down_d)
        return layer

    @property
    def _backward(self) -> Gradients:
        """The backward pass, which the delta and gradient steps show (they exist only with it)."""
        gradients = self.gradients
        assert gradients is not None, "a backward step exists only with the backward pass"
        return gradients

    def _delta_step(self, k: int, j: int) -> DeltaStep:
        layer, rows = self._errors_of(k), self._rows[k - 1]
        return DeltaStep(
            k,
            j,
            float(layer.z[j]),
            float(layer.a[j]),
            float(layer.errors[j]),
            None if layer.slopes is None else float(layer.slopes[j]),
            float(self._backward.deltas[k - 1][0, rows[j]]),
            None if layer.downstream_weights is None else layer.downstream_weights[:, j],
            layer.downstream_deltas,
        )

    def _gradient_step(self, k: int, j: int) -> GradientStep:
        net, grads, row = self.network, self._backward, self._rows[k - 1][j]
        return GradientStep(
            k,
            j,
            self.trace.a[k - 1][0],
            float(grads.deltas[k - 1][0, row]),
            net.weights[k - 1][row],
            float(net.biases[k - 1][row]),
            grads.weights[k - 1][row],
            float(grads.biases[k - 1][row]),
            row,
        )

    # -- moving --------------------------------------------------------------------------------------------
    @property
    def current(self) -> Step | None:
        """The last completed step, or None before the first."""
        return self.steps[self.position - 1] if self.position else None

    @property
    def done(self) -> bool:
        return self.position == len(self.steps)

    def go_to(self, position: int) -> None:
        """Jump to `position` completed steps (a slider's value)."""
        if not 0 <= position <= len(self.steps):
            raise ValueError(f"step position must be in 0..{len(self.steps)}, got {position}")
        self.position = position

    def step_neuron(self) -> Step | None:
        """Complete the next step and return it; None when everything is done."""
        if self.done:
            return None
        self.position += 1
        return self.current

    def step_layer(self) -> list[Step]:
        """Complete the rest of the current group: the layer's neurons, deltas or gradients."""
        done: list[Step] = []
        if self.done:
            return done
        group = _group(self.steps[self.position])
        while not self.done and _group(self.steps[self.position]) == group:
            done.append(self.steps[self.position])
            self.position += 1
        return done

    def run_to_end(self) -> None:
        self.position = len(self.steps)

    def back(self) -> Step | None:
        """Undo the last completed step and return it; None at the start."""
        step = self.current
        if step is not None:
            self.position -= 1
        return step

    def reset(self) -> None:
        self.position = 0

    # -- state for drawing ---------------------------------------------------------------------------------
    def _masks(self, kind: str) -> list[np.ndarray]:
        masks = [np.zeros(n, dtype=bool) for n in self._sizes]
        for group_kind, layer, done in self.steps.done_per_group(self.position):
            if group_kind == kind:
                masks[layer][:done] = True  # a group's steps go through its layer's neurons in order
        return masks

    @property
    def computed(self) -> list[np.ndarray]:
        """Per layer, which neurons have their activation; the input layer is always complete."""
        masks = self._masks(NeuronStep.kind)
        masks[0][:] = True
        return masks

    @property
    def delta_computed(self) -> list[np.ndarray]:
        """Per layer, which neurons have their delta (layer 0 never does)."""
        return self._masks(DeltaStep.kind)

    @property
    def weight_gradients(self) -> list[np.ndarray] | None:
        """dW per weight matrix with only the completed gradient rows filled (zeros elsewhere); None before
        the first gradient step."""
        done = [
            (layer, n) for kind, layer, n in self.steps.done_per_group(self.position) if kind == "gradient"
        ]
        if not done:
            return None
        out = [np.zeros_like(w) for w in self.network.weights]
        for layer, n in done:
            rows = self._rows[layer - 1][:n]
            out[layer - 1][rows] = self._backward.weights[layer - 1][rows]
        return out


def _always(step: Step) -> Callable[[int], Step]:
    """A maker of a group of one: the same step whatever the index."""
    return lambda _: step


def _group(step: Step) -> tuple[str, int]:
    """Steps that `step_layer` completes together: same kind, same layer."""
    return step.kind, step.layer
