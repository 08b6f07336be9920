"""The Trainer: epochs of minibatch gradient descent on a Network, with metrics, stop requests and live edits.

Contract (used by the CLI and the GUI's training worker):
- `TrainingConfig(loss="mse", optimizer="sgd", learning_rate=0.1, batch_size=32, l1=0.0, l2=0.0,
  momentum=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8, shuffle=True, seed=None)`; `.to_json()` /
  `TrainingConfig.from_json(obj)` use the project file's `training` keys (the field names).
- `Trainer(network, config, task="regression"|"classification")` checks up front (UntrainableError,
  LossError) and trains `network` in place: its weight and bias arrays become views into one flat parameter
  vector, so edits to `network.weights[k][j, i]` are seen by the next minibatch.
- `fit(x, y, epochs, x_test=None, y_test=None, on_epoch=None, on_progress=None) -> list[EpochStats]`,
  `run_epoch(x, y) -> EpochStats | None`, `step_batch(xb, yb) -> float` (that minibatch's loss),
  `train_minibatch(prepare(x, y), test) -> Minibatch(start, stop, stats)` (the one minibatch loop: `fit`
  runs it, the GUI's training process drives it one minibatch at a time),
  `on_epoch(EpochStats)` after each epoch, `on_progress(Progress(epoch, samples_done, samples_total,
  loss))` between minibatches at most every PROGRESS_INTERVAL seconds; `epoch` and `steps` count epochs
  and minibatch updates over the trainer's life,
  `request_stop()` (honoured between minibatches; `stopped` says whether the last run ended that way),
  `set_config(**changes)` (validated at once, queued, applied in order at the next minibatch boundary).
- Targets `y`: classification → integer class indices `(n,)` (0/1 for one sigmoid output);
  regression → `(n, k)` (or `(n,)` for one output). Accuracy: argmax for several outputs, `> 0.5` for one.
- A NaN or infinite loss raises `DivergenceError` after putting the last finite parameters back.

Metrics come from values the pass already computed, never from a second forward pass: every minibatch's
outputs (computed before its update) are kept, and at the end of the epoch its `loss` is the loss function
over all of them — which is exactly the mean of the minibatch losses weighted by minibatch size — and its
`accuracy` is counted from the same outputs. Reported losses are the data loss only; the L1/L2 penalty is
optimised but not included, so training and test losses stay comparable. Test metrics are one forward pass
over the test set after the epoch.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal, NamedTuple

import numpy as np

from nnviz.core.losses import LOSSES, LossError, as_target_matrix, get_loss
from nnviz.core.metrics import predicted_classes
from nnviz.core.network import Network
from nnviz.core.numbers import is_finite_number, is_whole
from nnviz.core.optimizers import OPTIMIZERS, make_optimizer

Task = Literal["regression", "classification"]
TASKS = ("regression", "classification")
# on_progress is called at most this often (seconds), plus once at the end of every epoch.
PROGRESS_INTERVAL = 0.1


class ConfigError(ValueError):
    """A training setting out of range; the message names the setting."""


class TrainingError(ValueError):
    """Data that cannot be trained on (wrong shape, NaN, labels out of range)."""


class DivergenceError(TrainingError):
    """The loss became NaN or infinite; the network holds the last finite parameters again."""


def _whole(v: Any, minimum: int) -> bool:
    return is_whole(v) and int(v) >= minimum


# Each setting: a check and what it wants, for the error message.
CONFIG_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "loss": (lambda v: v in LOSSES, f"one of {', '.join(LOSSES)}"),
    "optimizer": (lambda v: v in OPTIMIZERS, f"one of {', '.join(OPTIMIZERS)}"),
    "learning_rate": (lambda v: is_finite_number(v) and v > 0, "a positive number"),
    "batch_size": (lambda v: _whole(v, 1), "a whole number ≥ 1"),
    "l1": (lambda v: is_finite_number(v) and v >= 0, "a number ≥ 0"),
    "l2": (lambda v: is_finite_number(v) and v >= 0, "a number ≥ 0"),
    "momentum": (lambda v: is_finite_number(v) and 0 <= v < 1, "a number in [0, 1)"),
    "beta1": (lambda v: is_finite_number(v) and 0 <= v < 1, "a number in [0, 1)"),
    "beta2": (lambda v: is_finite_number(v) and 0 <= v < 1, "a number in [0, 1)"),
    "epsilon": (lambda v: is_finite_number(v) and v > 0, "a positive number"),
    "shuffle": (lambda v: isinstance(v, bool), "true or false"),
    "seed": (lambda v: v is None or _whole(v, 0), "a whole number ≥ 0 or null"),
    "update_biases": (lambda v: isinstance(v, bool), "true or false"),
}


@dataclass(frozen=True)
class TrainingConfig:
    """Every hyper-parameter of a run; field names are the project file's `training` keys.

    Validated on construction (ConfigError names the setting). Momentum 0.9 and Adam's 0.9/0.999/1e-8 are
    the defaults the command line promises (docs/architecture.md, "Contracts").
    """

    loss: str = "mse"
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    batch_size: int = 32
    l1: float = 0.0
    l2: float = 0.0
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8
    shuffle: bool = True
    seed: int | None = None
    # false keeps every bias as it is (the published 2-2-2 walk-through updates the weights only)
    update_biases: bool = True

    def __post_init__(self) -> None:
        for key, (ok, wanted) in CONFIG_RULES.items():
            value = getattr(self, key)
            if not ok(value):
                raise ConfigError(f"{key}: expected {wanted}, got {value!r}")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> TrainingConfig:
        """From a `training` object; missing keys take their defaults, unknown keys are refused."""
        if not isinstance(obj, Mapping):
            raise ConfigError(f"training settings must be an object, got {type(obj).__name__}")
        if unknown := sorted(set(obj) - set(CONFIG_RULES)):
            raise ConfigError(f"unknown training setting(s): {', '.join(unknown)}")
        return cls(**obj)


@dataclass(frozen=True)
class EpochStats:
    """One finished epoch. `epoch` counts from 1 over the trainer's life; `steps` is the total number of
    minibatch updates so far; `seconds` and `samples_per_second` time the training loop only (test
    evaluation excluded). `accuracy`/`test_*` are None when they do not apply."""

    epoch: int
    steps: int
    loss: float
    accuracy: float | None
    test_loss: float | None
    test_accuracy: float | None
    samples_per_second: float
    seconds: float


class Progress(NamedTuple):
    """Passed to `on_progress` between minibatches: how far the current epoch is, its running loss."""

    epoch: int
    samples_done: int
    samples_total: int
    loss: float


def accuracy_of(outputs: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of rows whose predicted class (argmax, or output > 0.5 for one output) equals the label."""
    return float(np.mean(predicted_classes(outputs) == labels))


def evaluate(
    network: Network, x: np.ndarray, y: np.ndarray, loss: str = "mse", task: Task = "regression"
) -> tuple[float, float | None]:
    """(mean data loss, accuracy or None for regression) of `network` on a data set."""
    data = _prepare(network, x, y, task)
    outputs = network.forward(data.x)
    value = get_loss(loss).value(outputs, data.targets)
    return value, None if data.labels is None else accuracy_of(outputs, data.labels)


class PreparedData(NamedTuple):
    """A data set validated once and converted to the arrays the inner loop slices."""

    x: np.ndarray
    targets: np.ndarray  # (n, outputs) in the network's dtype
    labels: np.ndarray | None  # class indices, classification only


def _prepare(network: Network, x: Any, y: Any, task: Task) -> PreparedData:
    """Validate a data set once and convert it to the arrays the inner loop slices."""
    if task not in TASKS:
        raise TrainingError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    try:
        x = np.asarray(x)
        # float32 features (image sets) stay float32: a minibatch meets a float64 network's weights exactly as
        # it would converted, without a second whole copy of the data
        if x.dtype != np.float32:
            x = x.astype(network.dtype, copy=False)
        y = np.asarray(y)
    except (TypeError, ValueError) as e:
        raise TrainingError(f"the data must be numbers: {e}") from None
    n_in, n_out = network.sizes[0], network.sizes[-1]
    if x.ndim != 2 or x.shape[1] != n_in:
        raise TrainingError(f"features have shape {x.shape}; the network takes {n_in} inputs per sample")
    if len(x) == 0:
        raise TrainingError("there are no samples to train on")
    if len(y) != len(x):
        raise TrainingError(f"{len(x)} samples but {len(y)} targets")
    if not np.isfinite(x).all():
        raise TrainingError("the features contain NaN or infinite values")
    if not np.issubdtype(y.dtype, np.number) or not np.isfinite(y).all():
        raise TrainingError("the targets must be finite numbers")
    labels = None
    if task == "classification":
        if y.ndim != 1 or not (y == np.round(y)).all():
            raise TrainingError("classification targets must be one whole-number class index per sample")
        labels = y.astype(np.int64)
        n_classes = max(n_out, 2)
        if labels.min() < 0 or labels.max() >= n_classes:
            raise TrainingError(
                f"class labels must lie in 0..{n_classes - 1} for a network with {n_out} output(s)"
            )
    try:
        targets = as_target_matrix(y if labels is None else labels, n_out, network.dtype)
    except LossError as e:
        raise TrainingError(str(e)) from None
    return PreparedData(x, np.ascontiguousarray(targets), labels)


class Minibatch(NamedTuple):
    """What `Trainer.train_minibatch` did: rows start:stop (in training order) of the epoch under way; the
    epoch's statistics when this minibatch completed it, else None."""

    start: int
    stop: int
    stats: EpochStats | None


@dataclass
class _EpochUnderWay:
    """One epoch's bookkeeping: its order of rows (None: as given), the targets and labels in that order, each
    row's output before its minibatch's update, how many rows are done and the seconds spent on them."""

    data: PreparedData
    order: np.ndarray | None
    targets: np.ndarray
    labels: np.ndarray | None
    outputs: np.ndarray
    done: int = 0
    seconds: float = 0.0


class _Buffers:
    """Preallocated arrays for one minibatch size: the gathered inputs and each layer's z."""

    def __init__(self, network: Network, batch: int) -> None:
        self.x = np.empty((batch, network.sizes[0]), network.dtype)
        self.z = [np.empty((batch, len(b)), network.dtype) for b in network.biases]  # maxout: a sum per piece


class Trainer:
    """Trains one Network in place by minibatch gradient descent (see the module docstring)."""

    def __init__(self, network: Network, config: TrainingConfig | None = None, task: Task = "regression"):
        self.config = config or TrainingConfig()
        if task not in TASKS:
            raise TrainingError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
        network.check_trainable(self.config.loss)
        self.network = network
        self.task = task
        self.epoch = 0
        self.steps = 0
        self.stopped = False
        self._stop_requested = False
        self._pending: deque[dict[str, Any]] = deque()
        self._requested = self.config  # the config once every queued change is applied
        self._loss = get_loss(self.config.loss)
        self._rng = np.random.default_rng(self.config.seed)
        self._buffers: dict[int, _Buffers] = {}
        self._under_way: _EpochUnderWay | None = None
        self._bind()

    # -- parameters as one flat vector ---------------------------------------------------------------------
    def _bind(self) -> None:
        """Move the network's parameters into one flat vector and make its arrays views into it."""
        net = self.network
        arrays = net.weights + net.biases
        self._n_weights = sum(w.size for w in net.weights)
        self._params = np.concatenate([a.ravel() for a in arrays]).astype(net.dtype, copy=False)
        self._grad = np.zeros_like(self._params)
        self._snapshot = self._params.copy()
        # The weights come first: the L1/L2 terms apply to this leading part only (biases are not penalised).
        self._weight_params = self._params[: self._n_weights]
        self._weight_grad = self._grad[: self._n_weights]
        views, grads, offset = [], [], 0
        for a in arrays:
            views.append(self._params[offset : offset + a.size].reshape(a.shape))
            grads.append(self._grad[offset : offset + a.size].reshape(a.shape))
            offset += a.size
        n = len(net.weights)
        net.weights[:], net.biases[:] = views[:n], views[n:]
        self._views = views
        self._grad_w, self._grad_b = grads[:n], grads[n:]
        self._optimizer = make_optimizer(self.config.optimizer, self._params.size, net.dtype)
        self._buffers.clear()

    def _check_bound(self) -> None:
        """Re-adopt the parameters if someone replaced the network's arrays rather than editing them in place
        (the optimizer's state then starts afresh)."""
        net = self.network
        current = net.weights + net.biases
        if len(current) != len(self._views) or any(
            a is not b for a, b in zip(current, self._views, strict=True)
        ):
            self._bind()

    # -- control from another thread -----------------------------------------------------------------------
    def request_stop(self) -> None:
        """Ask a running `fit`/`run_epoch` to return after the current minibatch.

        Thread-safe. A request made while nothing runs stops the next run before its first minibatch, so a
        stop pressed just as a run starts is never lost.
        """
        self._stop_requested = True

    def set_config(self, **changes: Any) -> None:
        """Queue hyper-parameter changes; applied in order at the next minibatch boundary, none lost.

        Raises ConfigError/LossError at once for a bad value, so the caller can tell the user.
        """
        if unknown := sorted(set(changes) - set(CONFIG_RULES)):
            raise ConfigError(f"unknown training setting(s): {', '.join(unknown)}")
        requested = replace(self._requested, **changes)
        if "loss" in changes:
            self.network.check_trainable(requested.loss)
        self._requested = requested
        self._pending.append(dict(changes))

    def _apply_pending(self) -> None:
        while self._pending:
            changes = self._pending.popleft()
            old = self.config
            self.config = replace(old, **changes)
            if self.config.optimizer != old.optimizer:
                self._optimizer = make_optimizer(self.config.optimizer, self._params.size, self.network.dtype)
            if "loss" in changes:
                self._loss = get_loss(self.config.loss)
            if "seed" in changes:
                self._rng = np.random.default_rng(self.config.seed)

    # -- training ------------------------------------------------------------------------------------------
    def step_batch(self, xb: np.ndarray, yb: np.ndarray) -> float:
        """One update from one minibatch; returns its loss (measured before the update)."""
        data = _prepare(self.network, xb, yb, self.task)
        return self._update(data.x, data.targets)

    def prepare(self, x: np.ndarray, y: np.ndarray) -> PreparedData:
        """Validate and convert a data set once, for `train_minibatch` (TrainingError: unusable)."""
        return _prepare(self.network, x, y, self.task)

    def check_loss(self, loss: float) -> None:
        """Raise DivergenceError when a loss computed from an epoch's outputs (`epoch_loss`) is not finite."""
        if not math.isfinite(loss):
            self._diverged(loss)

    def _update(self, xb: np.ndarray, tb: np.ndarray) -> float:
        self._check_bound()
        self._apply_pending()
        self.remember_parameters()
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            outputs = self._step(xb, tb)
            loss = self._loss.value(outputs, tb)
        if not math.isfinite(loss):
            self._diverged(loss)
        return loss

    def run_epoch(self, x: np.ndarray, y: np.ndarray) -> EpochStats | None:
        """One pass over (x, y); None when a stop request ended it early."""
        stats = self.fit(x, y, 1)
        return stats[0] if stats else None

    def fit(
        self,
        x: np.ndarray,
        y: np.ndarray,
        epochs: int,
        x_test: np.ndarray | None = None,
        y_test: np.ndarray | None = None,
        on_epoch: Callable[[EpochStats], Any] | None = None,
        on_progress: Callable[[Progress], Any] | None = None,
    ) -> list[EpochStats]:
        """Train for `epochs` epochs; returns the stats of every completed epoch (see `epochs`)."""
        history = []
        for stats in self.epochs(x, y, epochs, x_test, y_test, on_progress):
            history.append(stats)
            if on_epoch is not None:
                on_epoch(stats)
        return history

    def epochs(
        self,
        x: np.ndarray,
        y: np.ndarray,
        epochs: int,
        x_test: np.ndarray | None = None,
        y_test: np.ndarray | None = None,
        on_progress: Callable[[Progress], Any] | None = None,
    ) -> Iterator[EpochStats]:
        """Train for `epochs` epochs, yielding each one's stats as it completes: a caller that trains for a
        million epochs keeps what it needs of them, not a list of them all.

        A stop request ends the run between minibatches (a partly done epoch is not reported) and sets
        `stopped`. `on_progress(Progress)` runs between minibatches at most every PROGRESS_INTERVAL seconds —
        the safe place for a worker to copy parameters.
        """
        if not _whole(epochs, 0):
            raise TrainingError(f"epochs must be a whole number ≥ 0, got {epochs!r}")
        train = _prepare(self.network, x, y, self.task)
        if (x_test is None) != (y_test is None):
            raise TrainingError("a test set needs both its features and its targets")
        test = (
            None if x_test is None or len(x_test) == 0 else _prepare(self.network, x_test, y_test, self.task)
        )
        self.stopped = False
        self._under_way = None  # a run starts a new epoch
        completed, next_report = 0, time.perf_counter() + PROGRESS_INTERVAL
        while completed < epochs:
            if self._stop_requested:
                self._stop_requested = False
                self.stopped = True
                return
            batch = self.train_minibatch(train, test)
            if on_progress is not None and (batch.stats is not None or time.perf_counter() >= next_report):
                epoch = self.epoch + (batch.stats is None)
                on_progress(Progress(epoch, batch.stop, len(train.x), self.epoch_loss(0, batch.stop)))
                next_report = time.perf_counter() + PROGRESS_INTERVAL
            if batch.stats is not None:
                completed += 1
                yield batch.stats

    def train_minibatch(self, data: PreparedData, test: PreparedData | None = None) -> Minibatch:
        """One minibatch of the epoch under way over `data` (a new epoch, its rows shuffled, begun when there
        is none); when this minibatch completes it, the epoch's statistics (with `test`'s loss and accuracy).

        The one minibatch loop of every caller: `epochs` (the command line) runs it to the end of its epochs,
        the GUI's training process one minibatch at a time between its commands. Queued settings apply first.
        The epoch's outputs stay readable (`epoch_loss`) until the next minibatch begins a new epoch.
        """
        under_way = self._under_way
        if under_way is None or under_way.data is not data or under_way.done == len(data.x):
            under_way = self._under_way = self._begin_epoch(data)
        else:
            self._check_bound()
            self._apply_pending()
        start = under_way.done
        stop = min(start + self.config.batch_size, len(data.x))
        order = under_way.order
        began = time.perf_counter()
        xb = data.x[start:stop] if order is None else self._gather(data.x, order[start:stop])
        # Overflow is expected when a run diverges; the checks turn it into a DivergenceError.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            outputs = self._step(xb, under_way.targets[start:stop], epoch_position=start)
        under_way.outputs[start:stop] = outputs
        under_way.seconds += time.perf_counter() - began
        under_way.done = stop
        stats = self._finish_epoch(under_way, test) if stop == len(data.x) else None
        return Minibatch(start, stop, stats)

    def epoch_loss(self, start: int = 0, stop: int | None = None) -> float:
        """The mean loss of rows start:stop (in training order) of the epoch under way or just completed, from
        the outputs each minibatch computed before its update (NaN or infinite when they overflowed)."""
        under_way = self._under_way
        if under_way is None:
            raise TrainingError("no epoch is under way")
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._loss.value(under_way.outputs[start:stop], under_way.targets[start:stop])

    def remember_parameters(self) -> None:
        """Make the parameters as they are now the ones a diverging minibatch rolls back to (by default those
        at the start of its epoch): a caller that promises the last finite parameters calls this before each
        minibatch (a copy of them all, so not done for every caller)."""
        np.copyto(self._snapshot, self._params)

    def _begin_epoch(self, data: PreparedData) -> _EpochUnderWay:
        """A new epoch over `data`: adopt replaced arrays, apply queued settings, keep a copy of the
        parameters to roll back to should it diverge, and shuffle the rows."""
        self._check_bound()
        self._apply_pending()
        self.remember_parameters()
        order = self._rng.permutation(len(data.x)) if self.config.shuffle else None
        targets = data.targets if order is None else data.targets[order]
        labels = data.labels if order is None or data.labels is None else data.labels[order]
        return _EpochUnderWay(data, order, targets, labels, np.empty_like(targets))

    def _finish_epoch(self, under_way: _EpochUnderWay, test: PreparedData | None) -> EpochStats:
        """The statistics of an epoch whose every row is trained (DivergenceError: its loss is not finite)."""
        loss = self.epoch_loss()
        if not (math.isfinite(loss) and np.isfinite(self._params).all()):
            self._diverged(loss)
        self.epoch += 1
        accuracy = None if under_way.labels is None else accuracy_of(under_way.outputs, under_way.labels)
        test_loss = test_accuracy = None
        if test is not None:
            # Finite parameters may still overflow on the way to a diverging run: the losses then read inf.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                outputs = self.network.forward(test.x)
                test_loss = self._loss.value(outputs, test.targets)
            test_accuracy = None if test.labels is None else accuracy_of(outputs, test.labels)
        n, seconds = len(under_way.targets), under_way.seconds
        return EpochStats(
            self.epoch, self.steps, loss, accuracy, test_loss, test_accuracy, n / max(seconds, 1e-12), seconds
        )

    def _gather(self, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """A minibatch's rows, into a reused buffer when the features have the network's dtype (float32 image
        features are gathered as they are: the first layer's product meets the weights' float64 exactly)."""
        if x.dtype != self.network.dtype:
            rows_of_x: np.ndarray = x[rows]
            return rows_of_x
        return np.take(x, rows, axis=0, out=self._buffers_for(len(rows)).x, mode="clip")

    def _buffers_for(self, batch: int) -> _Buffers:
        buf = self._buffers.get(batch)
        if buf is None:
            buf = self._buffers[batch] = _Buffers(self.network, batch)
        return buf

    def _step(self, xb: np.ndarray, tb: np.ndarray, epoch_position: int | None = None) -> np.ndarray:
        """Forward, backward and update for one minibatch; returns its outputs (before the update).

        Non-finite outputs stop the run here; a loss that overflows from finite outputs is caught when the
        epoch's loss is computed from the outputs.
        """
        net, cfg = self.network, self.config
        weights, acts = net.weights, net.activations
        zs, activations = self._buffers_for(len(xb)).z, [xb]
        a = xb
        for w, b, f, z in zip(weights, net.biases, acts, zs, strict=True):
            np.matmul(a, w.T, out=z)
            np.add(z, b, out=z)
            a = f(z)
            activations.append(a)
        if not math.isfinite(np.add.reduce(a, axis=None)):
            self._diverged(math.nan, epoch_position)
        delta = self._loss.output_delta(zs[-1], a, tb, acts[-1])
        for k in range(len(weights) - 1, -1, -1):
            np.matmul(delta.T, activations[k], out=self._grad_w[k])
            np.add.reduce(delta, axis=0, out=self._grad_b[k])
            if k:
                delta = acts[k - 1].backward(zs[k - 1], activations[k], delta @ weights[k])
        if cfg.l2:
            self._weight_grad += cfg.l2 * self._weight_params
        if cfg.l1:
            self._weight_grad += cfg.l1 * np.sign(self._weight_params)
        if not cfg.update_biases:
            self._grad[self._n_weights :] = 0.0
        self._optimizer.step(self._params, self._grad, cfg)
        self.steps += 1
        return a

    def _diverged(self, loss: float, epoch_position: int | None = None) -> None:
        if not np.isfinite(self._params).all():
            np.copyto(self._params, self._snapshot)
        where = f" at sample {epoch_position} of epoch {self.epoch + 1}" if epoch_position is not None else ""
        raise DivergenceError(
            f"training diverged: the loss became {'NaN' if math.isnan(loss) else 'infinite'}{where}. "
            "The network keeps its last finite "
            f"parameters. Try a lower learning rate (it is {self.config.learning_rate:g})."
        )
