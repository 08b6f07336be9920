"""Training runs kept in the project: how the network got where it is, to scrub back through and replay.

A run records its settings, its own per-epoch history and checkpoints: the parameters at log-spaced epochs
plus the last one. The first epochs change a network most, so checkpoints are dense early and sparse later:
an epoch is kept when it starts a new bucket of a geometric grid (ratio `growth`; with the first growth every
early epoch is its own bucket). When the budget is full (count, or bytes at float32) the ratio is squared and
each bucket keeps its first checkpoint, so about half go and the kept epochs stay evenly spread on a log
scale however long the run is. The last epoch is always kept, outside the thinning.

In the project file (`runs`, optional; docs/file-format.md) a checkpoint's parameters are float32, compressed
with zlib and written as base64 text: the weights and biases of every layer, in order, in the shapes the run
lists. A damaged checkpoint is left out with a warning that names it; the rest of the file still loads.
"""

from __future__ import annotations

import base64
import binascii
import math
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from nnviz.core.activations import ActivationError
from nnviz.core.history import HistoryRecorder
from nnviz.core.network import Network, NetworkError
from nnviz.core.numbers import is_whole

MAX_CHECKPOINTS = 200
MAX_BYTES = 64 * 1024 * 1024
FIRST_GROWTH = 1.02  # buckets narrower than an epoch until epoch 50: every early epoch is kept
RUN_HISTORY_LIMIT = 2000  # rows of a run's own loss record; the project's history keeps more


class RunError(ValueError):
    """A run or checkpoint that cannot be read; the message names its place in the file."""


@dataclass(frozen=True)
class Checkpoint:
    """The parameters after `epoch`, as one float32 vector (every layer's weights then biases, in order)."""

    epoch: int
    parameters: np.ndarray

    @cached_property
    def text(self) -> str:
        """The parameters as the project file holds them (`encode`), worked out once: the window's autosave
        writes the same checkpoints again and again, and compressing 200 of a large network takes long."""
        return encode(self.parameters)


@dataclass
class Run:
    """One training run: its name, settings, layers (activations and parameter shapes), checkpoints and
    per-epoch history; `parent` names the run and epoch it was branched from."""

    name: str
    activations: list[Any]
    shapes: list[tuple[int, ...]]
    checkpoints: list[Checkpoint] = field(default_factory=list)
    training: dict[str, Any] | None = None
    history: dict[str, list[Any]] = field(default_factory=dict)
    parent: dict[str, Any] | None = None

    def network_at(self, index: int, dtype: np.dtype | type = np.float64) -> Network:
        """The network as it was at checkpoint `index`."""
        return network_from(self.activations, self.shapes, self.checkpoints[index].parameters, dtype)

    @property
    def epochs(self) -> list[int]:
        return [c.epoch for c in self.checkpoints]


def flat_parameters(network: Network) -> np.ndarray:
    """Every layer's weights then biases, in order, as one float32 vector."""
    return flatten(network.weights, network.biases)


def flatten(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> np.ndarray:
    """`flat_parameters` of these weights and biases (a training snapshot's, say)."""
    parts = [p for w, b in zip(weights, biases, strict=True) for p in (w, b)]
    return np.concatenate([p.ravel() for p in parts]).astype(np.float32)


def parameter_shapes(network: Network) -> list[tuple[int, ...]]:
    return [p.shape for w, b in zip(network.weights, network.biases, strict=True) for p in (w, b)]


def network_from(
    activations: Sequence[Any],
    shapes: Sequence[tuple[int, ...]],
    parameters: np.ndarray,
    dtype: np.dtype | type = np.float64,
) -> Network:
    """The network whose parameters `flat_parameters` gave."""
    arrays, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        arrays.append(parameters[start : start + size].reshape(shape))
        start += size
    return Network(arrays[0::2], arrays[1::2], list(activations), dtype)


class CheckpointRecorder:
    """Keeps a run's checkpoints within a budget as epochs are offered (see the module's docstring)."""

    def __init__(
        self, network: Network, max_count: int = MAX_CHECKPOINTS, max_bytes: int = MAX_BYTES, start: int = 0
    ) -> None:
        self.start = start  # epochs before the run: its own first epochs are the dense ones
        bytes_each = 4 * network.n_parameters
        # one place is kept for the last epoch, which is never thinned
        self.capacity = max(0, min(max_count, max_bytes // max(bytes_each, 1)) - 1)
        self.growth = FIRST_GROWTH
        self.kept: list[Checkpoint] = []
        self.last: Checkpoint | None = None

    def due(self, epoch: int) -> bool:
        """Whether `epoch` would be kept: it starts a bucket no kept checkpoint is in."""
        if self.capacity == 0:
            return False
        return not self.kept or self._bucket(epoch) > self._bucket(self.kept[-1].epoch)

    def offer(self, epoch: int, network: Network) -> Checkpoint | None:
        """After each epoch: copy the parameters only when the epoch is due; returns the checkpoint kept."""
        if not self.due(epoch):
            return None
        checkpoint = Checkpoint(epoch, flat_parameters(network))
        self.keep(checkpoint)
        return checkpoint

    def keep(self, checkpoint: Checkpoint) -> None:
        """Add a checkpoint another recorder found due (the training process's), thinning as it did: the
        same epochs offered in the same order leave the same checkpoints on both sides."""
        self.kept.append(checkpoint)
        while len(self.kept) > self.capacity:
            self._thin()

    def finish(self, epoch: int, network: Network) -> list[Checkpoint]:
        """The run's checkpoints, the last epoch's included (taken now, unless it was just kept)."""
        return self.ending_at(epoch, lambda: flat_parameters(network))

    def ending_at(self, epoch: int, parameters: Callable[[], np.ndarray]) -> list[Checkpoint]:
        """`finish` with the last parameters from `parameters()`, called only if that epoch is not kept."""
        if self.kept and self.kept[-1].epoch >= epoch:
            return list(self.kept)
        return [*self.kept, Checkpoint(epoch, parameters())]

    def _bucket(self, epoch: int) -> int:
        own = epoch - self.start
        return math.floor(math.log(own) / math.log(self.growth)) if own > 0 else -1

    def _thin(self) -> None:
        self.growth *= self.growth
        thinned: list[Checkpoint] = []
        for checkpoint in self.kept:
            if not thinned or self._bucket(checkpoint.epoch) > self._bucket(thinned[-1].epoch):
                thinned.append(checkpoint)
        self.kept = thinned


class RunRecorder:
    """A run as it trains: its own bounded loss record and its checkpoints, in the project's epoch numbers
    (`start` epochs were recorded before it), ready to be added to the project's runs when it ends."""

    def __init__(self, network: Network, start: int = 0) -> None:
        self.start = start
        self.checkpoints = CheckpointRecorder(network, start=start)
        self.record = HistoryRecorder(None, RUN_HISTORY_LIMIT)
        self.epoch = start

    def add(self, stats: Any, network: Network) -> None:
        """After each epoch, with the network as that epoch left it."""
        self.add_epoch(stats)
        self.checkpoints.offer(self.epoch, network)

    def add_epoch(self, stats: Any) -> None:
        """An epoch's figures alone (the window's checkpoints come from the training process)."""
        self.epoch = self.start + stats.epoch
        self.record.add(stats)

    @property
    def history(self) -> dict[str, list[Any]]:
        """The run's own loss record, under the project's epoch numbers."""
        history = self.record.history
        history["epoch"] = [self.start + e for e in history["epoch"]]
        return history

    def new_run(self, runs: Sequence[Run], network: Network, training: dict[str, Any] | None = None) -> Run:
        """The run so far, named "run N" after those the project has; no checkpoints yet."""
        activations = [a.to_json() for a in network.activations]
        return Run(next_run_name(runs), activations, parameter_shapes(network), [], training, self.history)

    def finish(self, runs: Sequence[Run], network: Network, training: dict[str, Any] | None = None) -> Run:
        """The run, its last epoch's parameters included."""
        run = self.new_run(runs, network, training)
        run.checkpoints = self.checkpoints.finish(self.epoch, network)
        return run


def history_values(run: Run, key: str) -> np.ndarray:
    """A column of the run's loss record as floats, NaN where a row has no value."""
    return np.asarray([np.nan if v is None else v for v in run.history.get(key, [])], dtype=float)


def same_runs(a: Sequence[Run], b: Sequence[Run]) -> bool:
    """The same Run objects in the same order: a run that grows in place is the same run, while an equal
    copy of one (a file reopened, an undo) is another."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def next_run_name(runs: Sequence[Run]) -> str:
    """ "run N" for the first N from the number of runs on that no run is called yet."""
    taken = {run.name for run in runs}
    return next(
        f"run {n}" for n in range(len(runs) + 1, len(runs) + len(taken) + 2) if f"run {n}" not in taken
    )


# -- the project file ---------------------------------------------------------------------------------------
def run_to_json(run: Run) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "name": run.name,
        "activations": run.activations,
        "shapes": [list(s) for s in run.shapes],
        "checkpoints": [{"epoch": c.epoch, "parameters": c.text} for c in run.checkpoints],
        "history": run.history,
    }
    if run.training is not None:
        obj["training"] = run.training
    if run.parent is not None:
        obj["parent"] = run.parent
    return obj


def runs_from_json(value: Any, warnings: list[str]) -> list[Run]:
    """The `runs` section; a damaged checkpoint is left out and described in `warnings`."""
    if not isinstance(value, list):
        raise RunError(f"runs: expected a list, got {type(value).__name__}")
    return [_run_from_json(obj, f"runs[{i}]", warnings) for i, obj in enumerate(value)]


def _run_from_json(obj: Any, where: str, warnings: list[str]) -> Run:
    if not isinstance(obj, Mapping):
        raise RunError(f"{where}: expected an object")
    name = obj.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RunError(f"{where}.name: expected a name")
    shapes = obj.get("shapes")
    if not (isinstance(shapes, list) and shapes and len(shapes) % 2 == 0 and all(map(_is_shape, shapes))):
        raise RunError(f"{where}.shapes: expected weight and bias shapes, layer by layer")
    activations = obj.get("activations")
    if not isinstance(activations, list) or len(activations) * 2 != len(shapes):
        raise RunError(f"{where}.activations: expected one per layer ({len(shapes) // 2})")
    shapes = [tuple(s) for s in shapes]
    size = sum(math.prod(s) for s in shapes)
    empty = np.zeros(size, dtype=np.float32)
    try:
        network_from(activations, shapes, empty)  # the layers make a network
    except (NetworkError, ActivationError) as exc:
        raise RunError(f"{where}: {exc}") from None
    checkpoints = []
    raw = obj.get("checkpoints", [])
    if not isinstance(raw, list):
        raise RunError(f"{where}.checkpoints: expected a list")
    for i, item in enumerate(raw):
        try:
            checkpoints.append(_checkpoint(item, size))
        except RunError as exc:
            warnings.append(f"{where}.checkpoints[{i}]: {exc}; left out")
    history = obj.get("history", {})
    if not isinstance(history, Mapping) or not all(isinstance(v, list) for v in history.values()):
        raise RunError(f"{where}.history: expected lists of numbers by name")
    for key in ("training", "parent"):
        if obj.get(key) is not None and not isinstance(obj[key], Mapping):
            raise RunError(f"{where}.{key}: expected an object")
    return Run(name, activations, shapes, checkpoints, obj.get("training"), dict(history), obj.get("parent"))


def _is_shape(value: Any) -> bool:
    return (
        isinstance(value, list)
        and 1 <= len(value) <= 2
        and all(is_whole(n) and 0 < n <= 10_000_000 for n in value)
    )


def _checkpoint(item: Any, size: int) -> Checkpoint:
    if not isinstance(item, Mapping):
        raise RunError("expected an object")
    epoch = item.get("epoch")
    if not isinstance(epoch, int) or isinstance(epoch, bool) or epoch < 0:
        raise RunError(f"epoch: expected a whole number, got {epoch!r}")
    return Checkpoint(epoch, decode(item.get("parameters"), size))


def encode(parameters: np.ndarray) -> str:
    """float32 little-endian, zlib, base64."""
    raw = np.ascontiguousarray(parameters, dtype="<f4").tobytes()
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def decode(text: Any, size: int) -> np.ndarray:
    """The `size` parameters `encode` wrote; damaged, short, long or non-finite data is a RunError."""
    if not isinstance(text, str):
        raise RunError("parameters: expected base64 text")
    try:
        packed = base64.b64decode(text, validate=True)
        unpacker = zlib.decompressobj()
        raw = unpacker.decompress(packed, 4 * size + 1)  # never inflates past what the shapes need
    except (binascii.Error, zlib.error, ValueError) as exc:
        raise RunError(f"parameters: damaged ({exc})") from None
    if len(raw) != 4 * size or not unpacker.eof:
        found = f"more than {size}" if len(raw) > 4 * size else f"{len(raw) // 4}"
        raise RunError(f"parameters: damaged ({found} numbers where the run's shapes need {size})")
    values = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if not np.isfinite(values).all():
        raise RunError("parameters: not all finite")
    return values
