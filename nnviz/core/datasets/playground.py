"""TensorFlow Playground's six 2-D datasets and its optional input features.

The generators follow the Playground's `src/dataset.ts` (Apache-2.0, Google 2016) formula for formula:
the same ranges, radii, padding and label rules, with noise as a fraction in [0, 0.5] (the Playground's
0–50 % slider). Its labels −1/+1 become classes 0/1; the regression labels stay in [−1, 1].
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnviz.core.datasets.base import Dataset, DatasetError

CLASS_NAMES = ["negative", "positive"]
#: the chosen input features: a comma-separated string or a sequence of names
Features = str | tuple[str, ...] | list[str]

# The Playground's optional inputs, in its order; the x1/x2 names follow its X1/X2 labels.
FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1^2": lambda p: p[:, 0] ** 2,
    "x2^2": lambda p: p[:, 1] ** 2,
    "x1*x2": lambda p: p[:, 0] * p[:, 1],
    "sin(x1)": lambda p: np.sin(p[:, 0]),
    "sin(x2)": lambda p: np.sin(p[:, 1]),
}
_ALIASES = {
    "x1²": "x1^2",
    "x2²": "x2^2",
    "x1·x2": "x1*x2",
    "x1x2": "x1*x2",
    "sinx1": "sin(x1)",
    "sinx2": "sin(x2)",
}


def feature_names(names: Features) -> list[str]:
    """Canonical names of the chosen input features (a comma-separated string or a sequence)."""
    items = names.split(",") if isinstance(names, str) else list(names)
    chosen = []
    for raw in items:
        name = _ALIASES.get(raw.strip(), raw.strip())
        if name not in FEATURES:
            raise DatasetError(f"unknown input feature {raw!r}; choose from {', '.join(FEATURES)}")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise DatasetError("choose at least one input feature")
    return chosen


def transform(points: np.ndarray, names: Features) -> np.ndarray:
    """The Playground's feature transform of (x1, x2) points: one column per chosen feature."""
    chosen = feature_names(names)
    return np.column_stack([FEATURES[n](points) for n in chosen])


def _dataset(
    name: str, points: np.ndarray, labels: np.ndarray, features: Features, regression: bool = False
) -> Dataset:
    x = transform(points, features)
    if regression:
        return Dataset(x, labels.reshape(-1, 1), "regression", feature_names(features), ["value"], name=name)
    y = (labels > 0).astype(np.int64)
    return Dataset(x, y, "classification", feature_names(features), ["class"], list(CLASS_NAMES), name=name)


def _noise(rng: np.random.Generator, n: int, radius: float, noise: float) -> np.ndarray:
    return rng.uniform(-radius, radius, size=(n, 2)) * noise


def circle(rng: np.random.Generator, samples: int, noise: float, features: Features) -> Dataset:
    """Points inside radius 2.5 are positive, in the ring 3.5–5 negative; noise moves the labelling point."""
    radius, half = 5.0, samples // 2
    r = np.concatenate(
        [rng.uniform(0, radius * 0.5, half), rng.uniform(radius * 0.7, radius, samples - half)]
    )
    angle = rng.uniform(0, 2 * np.pi, samples)
    points = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    moved = points + _noise(rng, samples, radius, noise)
    labels = np.where(np.hypot(moved[:, 0], moved[:, 1]) < radius * 0.5, 1, -1)
    return _dataset("circle", points, labels, features)


def xor(rng: np.random.Generator, samples: int, noise: float, features: Features) -> Dataset:
    """Quadrants: positive where x1·x2 ≥ 0; points kept 0.3 away from the axes."""
    points = rng.uniform(-5, 5, size=(samples, 2))
    points += np.where(points > 0, 0.3, -0.3)
    moved = points + _noise(rng, samples, 5.0, noise)
    labels = np.where(moved[:, 0] * moved[:, 1] >= 0, 1, -1)
    return _dataset("xor", points, labels, features)


def gaussian(rng: np.random.Generator, samples: int, noise: float, features: Features) -> Dataset:
    """Two Gaussian blobs at (2, 2) and (−2, −2); their variance grows from 0.5 to 4 with the noise."""
    variance = 0.5 + noise / 0.5 * 3.5
    half = samples // 2
    centres = np.concatenate([np.full((half, 2), 2.0), np.full((samples - half, 2), -2.0)])
    points = centres + rng.normal(0.0, np.sqrt(variance), size=(samples, 2))
    labels = np.concatenate([np.ones(half), -np.ones(samples - half)])
    return _dataset("gaussian", points, labels, features)


def spiral(rng: np.random.Generator, samples: int, noise: float, features: Features) -> Dataset:
    """Two interleaved spirals of 1.75 turns out to radius 5."""
    half = samples // 2
    parts, labels = [], []
    for delta, label, n in ((0.0, 1, half), (np.pi, -1, samples - half)):
        i = np.arange(n) / max(half, 1)
        r, t = i * 5, 1.75 * i * 2 * np.pi + delta
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (n, 2)) * noise)
        labels.append(np.full(n, label))
    return _dataset("spiral", np.concatenate(parts), np.concatenate(labels), features)


def plane(rng: np.random.Generator, samples: int, noise: float, features: Features) -> Dataset:
    """Regression: the value (x1 + x2)/10 of a tilted plane, read at a noise-shifted point."""
    points = rng.uniform(-6, 6, size=(samples, 2))
    moved = points + _noise(rng, samples, 6.0, noise)
    return _dataset("plane", points, (moved[:, 0] + moved[:, 1]) / 10, features, regression=True)


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def multi_gaussian(rng: np.random.Generator, samples: int, noise: float, features: Features) -> Dataset:
    """Regression: six signed bumps; the value is the strongest bump's sign · (1 − distance/2), clamped."""
    points = rng.uniform(-6, 6, size=(samples, 2))
    moved = points + _noise(rng, samples, 6.0, noise)
    distance = np.hypot(moved[:, None, 0] - _GAUSSIANS[:, 0], moved[:, None, 1] - _GAUSSIANS[:, 1])
    values = _GAUSSIANS[:, 2] * np.clip(1 - distance / 2, 0, 1)
    strongest = np.abs(values).argmax(axis=1)
    labels = values[np.arange(samples), strongest]
    return _dataset("multi_gaussian", points, labels, features, regression=True)
