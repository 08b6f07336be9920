"""The built-in dataset collection: a registry of specs the GUI and CLI list, and `make_dataset`.

Each spec says what the set is, which parameters it takes (with defaults and ranges, so the GUI can build
its controls and the CLI can validate `name=value` text) and which network trains well on it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nnviz.core.datasets import digits, playground, teaching
from nnviz.core.datasets.base import Dataset, DatasetError


@dataclass(frozen=True)
class Parameter:
    """One generator parameter: its default fixes the type (int, float or str)."""

    name: str
    default: int | float | str
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def validate(self, value: Any, dataset: str) -> int | float | str:
        """The value converted to the default's type; text from the CLI is accepted."""
        kind = type(self.default)
        try:
            if kind is int and isinstance(value, float) and not value.is_integer():
                raise ValueError
            converted = kind(float(value)) if kind is int and not isinstance(value, bool) else kind(value)
        except (TypeError, ValueError, OverflowError):
            raise DatasetError(f"{dataset}: {self.name} must be {kind.__name__}, got {value!r}") from None
        if kind is float and not np.isfinite(converted):
            raise DatasetError(f"{dataset}: {self.name} must be a finite number, got {value!r}")
        low, high = self.minimum, self.maximum
        if not isinstance(converted, str) and (
            (low is not None and converted < low) or (high is not None and converted > high)
        ):
            raise DatasetError(f"{dataset}: {self.name} must be in [{low}, {high}], got {value!r}")
        return converted

    def to_json(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "name": self.name,
            "default": self.default,
            "description": self.description,
        }
        if self.minimum is not None:
            described |= {"minimum": self.minimum, "maximum": self.maximum}
        if self.choices:
            described["choices"] = list(self.choices)
        return described


@dataclass(frozen=True)
class DefaultNetwork:
    """A network and training set-up that learns the set well; input and output sizes follow the data."""

    hidden: tuple[int, ...]
    activation: str
    output_activation: str
    loss: str
    optimizer: str = "adam"
    learning_rate: float = 0.01
    batch_size: int = 32
    epochs: int = 200
    normalize: str = "none"  # feature scaling (none | standard | minmax) fitted on the training rows

    def sizes(self, dataset: Dataset) -> list[int]:
        """A softmax output has a neuron per class, two classes too (rose vs lotus: the higher one wins)."""
        softmax = self.output_activation == "softmax" and dataset.task == "classification"
        return [dataset.n_features, *self.hidden, dataset.n_classes if softmax else dataset.n_outputs]

    def training(self) -> dict[str, Any]:
        """The project file's `training` section for this set-up."""
        return {
            "loss": self.loss,
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            "batch_size": self.batch_size,
        }


@dataclass(frozen=True)
class BuiltinSpec:
    """A built-in dataset: description, task, parameters, default network, and the generator."""

    name: str
    description: str
    task: str
    parameters: tuple[Parameter, ...]
    network: DefaultNetwork
    generate: Callable[..., Dataset] = field(repr=False)
    seeded: bool = False  # the generator also takes the seed (it keys an on-disk cache)

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}

    def describe(self) -> str:
        """Human-readable lines for `nnviz datasets`: name, task, description, parameters, network."""
        net = self.network
        lines = [f"{self.name} ({self.task}): {self.description}"]
        for p in self.parameters:
            limits = f" [{p.minimum:g}..{p.maximum:g}]" if p.minimum is not None else ""
            choices = f" (from {', '.join(p.choices)})" if p.choices else ""
            lines.append(f"    {p.name}={p.default}{limits}  {p.description}{choices}")
        hidden = "-".join(map(str, net.hidden)) or "none"
        lines.append(
            f"    network: hidden {hidden}, {net.activation}/{net.output_activation}, {net.loss}, "
            f"{net.optimizer} lr {net.learning_rate:g}, batch {net.batch_size}, {net.epochs} epochs, "
            f"normalize {net.normalize}"
        )
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "task": self.task,
            "parameters": [p.to_json() for p in self.parameters],
            "network": {
                "hidden": list(self.network.hidden),
                "activation": self.network.activation,
                "output_activation": self.network.output_activation,
                "epochs": self.network.epochs,
                "normalize": self.network.normalize,
                **self.network.training(),
            },
        }


def _samples(default: int) -> Parameter:
    return Parameter("samples", default, "number of samples", 2, 100_000)


NOISE = Parameter("noise", 0.0, "noise as a fraction, 0–0.5 (the Playground's 0–50 %)", 0.0, 0.5)
FEATURES = Parameter(
    "features",
    "x1,x2",
    "input features, comma-separated (a feature transform)",
    choices=tuple(playground.FEATURES),
)


_PLAYGROUND_PARAMS = (_samples(500), NOISE, FEATURES)
_CLASSIFY_2D = DefaultNetwork((8, 8), "tanh", "sigmoid", "bce", epochs=300)
_REGRESS_2D = DefaultNetwork((8, 8), "tanh", "identity", "mse", epochs=200)

BUILTINS: dict[str, BuiltinSpec] = {
    spec.name: spec
    for spec in [
        BuiltinSpec(
            "circle", "Playground: a disc of one class inside a ring of the other", "classification",
            _PLAYGROUND_PARAMS, _CLASSIFY_2D, playground.circle,
        ),
        BuiltinSpec(
            "xor", "Playground: the four quadrants, classes by the sign of x1·x2", "classification",
            _PLAYGROUND_PARAMS, _CLASSIFY_2D, playground.xor,
        ),
        BuiltinSpec(
            "gaussian", "Playground: two Gaussian blobs, nearly linearly separable", "classification",
            _PLAYGROUND_PARAMS, DefaultNetwork((), "tanh", "sigmoid", "bce", epochs=100),
            playground.gaussian,
        ),
        BuiltinSpec(
            "spiral", "Playground: two interleaved spirals, the hard one", "classification",
            # 1,000 points rather than the Playground's 500: a 2-8-8-1 network then generalises reliably.
            (_samples(1000), NOISE, FEATURES), DefaultNetwork(
                (8, 8), "tanh", "sigmoid", "bce", learning_rate=0.01, batch_size=16, epochs=1000,
                normalize="standard",
            ),
            playground.spiral,
        ),
        BuiltinSpec(
            "plane", "Playground regression: the tilted plane (x1 + x2)/10", "regression",
            _PLAYGROUND_PARAMS, DefaultNetwork((), "tanh", "identity", "mse", epochs=100),
            playground.plane,
        ),
        BuiltinSpec(
            "multi_gaussian", "Playground regression: six signed Gaussian bumps", "regression",
            _PLAYGROUND_PARAMS, _REGRESS_2D, playground.multi_gaussian,
        ),
        BuiltinSpec(
            "even_odd", "Is a number, given as binary digits, even? (only the last bit matters)",
            "classification", (Parameter("bits", 4, "binary digits per number", 1, 16),),
            DefaultNetwork((), "sigmoid", "sigmoid", "bce", optimizer="sgd", learning_rate=1.0, batch_size=4,
                           epochs=200),
            teaching.even_odd,
        ),
        BuiltinSpec(
            "puzzle", "Jigsaw pieces: four sides flat/tab/blank → corner, edge or middle piece",
            "classification", (Parameter("repeats", 1, "copies of the 64 distinct pieces", 1, 100),),
            DefaultNetwork((6,), "tanh", "softmax", "cross_entropy", batch_size=8, epochs=200),
            teaching.puzzle,
        ),
        BuiltinSpec(
            "rose_lotus", "Red rose vs white lotus from colour features (red, green, blue)",
            "classification", (_samples(200), NOISE),
            DefaultNetwork((4, 4), "sigmoid", "softmax", "cross_entropy", learning_rate=0.05, batch_size=16),
            teaching.rose_lotus,
        ),
        BuiltinSpec(
            "line", "Two classes split by a straight line: one neuron is enough", "classification",
            (_samples(200), NOISE, Parameter("slope", 0.5, "slope of the line", -100.0, 100.0),
             Parameter("intercept", 1.0, "height where the line crosses x1 = 0", -6.0, 6.0)),
            DefaultNetwork((), "sigmoid", "sigmoid", "bce", learning_rate=0.1, batch_size=16, epochs=100),
            teaching.line,
        ),
        BuiltinSpec(
            "digits8", "8x8 handwritten digits (UCI, 1,797 samples)", "classification",
            (), DefaultNetwork((32,), "tanh", "softmax", "cross_entropy", learning_rate=0.005, epochs=60),
            digits.uci_digits,
        ),
        BuiltinSpec(
            "font_digits", "MNIST-like 28x28 digits drawn from strokes with random pen and paper",
            "classification",
            (_samples(6000), Parameter("noise", 0.1, "pixel noise (standard deviation)", 0.0, 0.5),
             Parameter("rotation", 12.0, "largest random rotation, degrees", 0.0, 45.0)),
            DefaultNetwork((16, 16), "sigmoid", "softmax", "cross_entropy", learning_rate=0.01, epochs=30),
            digits.stroke_digits,
            seeded=True,
        ),
    ]
}  # fmt: skip


def get_spec(name: str) -> BuiltinSpec:
    try:
        return BUILTINS[name]
    except KeyError:
        raise DatasetError(f"no built-in dataset {name!r}; choose from {', '.join(BUILTINS)}") from None


def validate_parameters(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The spec's defaults overridden by `params`, each checked and converted; unknown names refused."""
    spec = get_spec(name)
    known = {p.name: p for p in spec.parameters}
    for key in params:
        if key not in known:
            allowed = ", ".join(known) or "none"
            raise DatasetError(f"{name}: unknown parameter {key!r} (parameters: {allowed})")
    values = {key: known[key].validate(value, name) for key, value in params.items()}
    return spec.defaults | values


def make_dataset(name: str, seed: int | None = None, **params: Any) -> Dataset:
    """The built-in set `name`, deterministic for a given seed; parameters default to the spec's."""
    values = validate_parameters(name, params)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0):
        raise DatasetError(f"seed must be a non-negative integer, got {seed!r}")
    if "features" in values:
        values["features"] = ",".join(playground.feature_names(values["features"]))
    spec = get_spec(name)
    if spec.seeded:
        values["seed"] = seed
    return spec.generate(np.random.default_rng(seed), **values)
