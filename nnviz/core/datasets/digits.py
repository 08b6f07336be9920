"""Handwritten-digit sets: the 8x8 UCI digits and an offline MNIST-like 28x28 set drawn from strokes.

No font can be rasterised here without Qt or Pillow, so the 28x28 digits are drawn from stroke definitions
(polylines and arcs in a unit box, a few writing styles per digit), each sample with its own random
rotation, scale, shear, shift, stroke width, wobble and pixel noise. Pixels are ink intensity in [0, 1]
from each pixel centre's distance to the nearest stroke segment (anti-aliased by a one-pixel ramp).
Generated sets are cached under the user cache directory, keyed by every parameter and the seed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

import numpy as np

from nnviz.core.datasets.base import Dataset, DatasetError
from nnviz.core.input_file import open_regular

DIGIT_NAMES = [str(d) for d in range(10)]
SIZE = 28
_CACHE_VERSION = 2


def uci_digits(rng: np.random.Generator) -> Dataset:
    """The 1,797 8x8 UCI optical digits (rows shuffled), pixels in [0, 1]: shipped as a small package data
    file (`resources/data/digits8.npz`, made by packaging/make_digits8.py), so installers need no
    scikit-learn."""
    shipped = files("nnviz.resources") / "data" / "digits8.npz"
    try:
        with shipped.open("rb") as stored, np.load(stored) as data:
            images, labels = data["images"], data["labels"]
    except (OSError, KeyError, ValueError) as exc:
        raise DatasetError(f"the 8x8 digits file is missing or damaged ({exc}): reinstall nnviz") from None
    names = [f"pixel {r},{c}" for r in range(8) for c in range(8)]
    order = rng.permutation(len(labels))
    x = images[order].astype(np.float64) / 16.0
    y = labels[order].astype(np.int64)
    return Dataset(x, y, "classification", names, ["digit"], list(DIGIT_NAMES), (8, 8), "digits8")


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, end: float, n: int = 10
) -> list[tuple[float, float]]:
    """Points of an elliptic arc; angles in degrees, 0 = right, 90 = down (image coordinates)."""
    t = np.radians(np.linspace(start, end, n))
    return list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=True))


# Each digit: a list of writing styles; each style a list of strokes (polylines in the unit box, y down).
STYLES: list[list[list[list[tuple[float, float]]]]] = [
    [[_arc(0.5, 0.5, 0.22, 0.38, 0, 360, 16)], [_arc(0.5, 0.5, 0.18, 0.38, -90, 280, 16)]],
    [
        [[(0.4, 0.25), (0.52, 0.1), (0.52, 0.9)]],
        [[(0.5, 0.1), (0.5, 0.9)]],
        [[(0.4, 0.22), (0.52, 0.1), (0.52, 0.9)], [(0.38, 0.9), (0.66, 0.9)]],
    ],
    [
        [[*_arc(0.5, 0.3, 0.22, 0.2, 180, 390), (0.27, 0.9), (0.76, 0.9)]],
        [
            [
                *_arc(0.5, 0.32, 0.22, 0.22, 200, 400),
                (0.3, 0.88),
                *_arc(0.35, 0.82, 0.08, 0.08, 180, 0, 5),
                (0.75, 0.9),
            ]
        ],
    ],
    [
        [_arc(0.48, 0.3, 0.2, 0.2, 200, 450), _arc(0.48, 0.7, 0.23, 0.2, 270, 500)],
        [[(0.28, 0.1), (0.7, 0.1), (0.45, 0.45), *_arc(0.48, 0.68, 0.24, 0.22, 280, 500)]],
    ],
    [
        [[(0.62, 0.9), (0.62, 0.1), (0.25, 0.65), (0.78, 0.65)]],
        [[(0.32, 0.1), (0.28, 0.6), (0.75, 0.6)], [(0.64, 0.3), (0.64, 0.9)]],
    ],
    [
        [[(0.72, 0.1), (0.33, 0.1), (0.3, 0.45), *_arc(0.48, 0.66, 0.24, 0.25, 235, 500)]],
        [[(0.3, 0.1), (0.28, 0.45), *_arc(0.47, 0.66, 0.23, 0.25, 235, 510)], [(0.3, 0.1), (0.72, 0.1)]],
    ],
    [
        [[(0.66, 0.1), (0.42, 0.35), (0.28, 0.66)], _arc(0.5, 0.68, 0.22, 0.22, 0, 360, 14)],
        [[*_arc(0.55, 0.5, 0.25, 0.4, 290, 180, 8), *_arc(0.5, 0.7, 0.21, 0.2, 180, 540, 14)]],
    ],
    [
        [[(0.25, 0.1), (0.75, 0.1), (0.42, 0.9)]],
        [[(0.25, 0.1), (0.75, 0.1), (0.45, 0.9)], [(0.4, 0.5), (0.68, 0.5)]],
        [[(0.25, 0.18), (0.28, 0.1), (0.75, 0.1), (0.55, 0.5), (0.5, 0.9)]],
    ],
    [
        [_arc(0.5, 0.3, 0.18, 0.2, 0, 360, 14), _arc(0.5, 0.7, 0.22, 0.2, 0, 360, 14)],
        [[*_arc(0.5, 0.3, 0.18, 0.2, 90, 450, 14), *_arc(0.5, 0.7, 0.22, 0.2, 270, -90, 14)]],
    ],
    [
        [_arc(0.5, 0.32, 0.22, 0.22, 0, 360, 14), [(0.72, 0.32), (0.68, 0.6), (0.55, 0.9)]],
        [_arc(0.48, 0.3, 0.22, 0.2, 0, 360, 14), [(0.7, 0.3), (0.7, 0.9)]],
    ],
]


def _segments(
    style: list[list[tuple[float, float]]], rng: np.random.Generator, rotation: float
) -> np.ndarray:
    """The style's strokes as (segments, 2, 2) pixel coordinates after a random pen and paper transform."""
    angle = np.radians(rng.uniform(-rotation, rotation))
    scale = rng.uniform(0.8, 1.1) * np.array([rng.uniform(0.8, 1.2), 1.0])
    shear = rng.uniform(-0.25, 0.25)
    matrix = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ np.array(
        [[scale[0], shear], [0.0, scale[1]]]
    )
    shift = rng.uniform(-0.06, 0.06, size=2)
    parts = []
    for stroke in style:
        points = np.asarray(stroke) - 0.5
        points = points + rng.normal(0, 0.015, size=points.shape)
        points = points @ matrix.T + shift
        pixels = (points * 22 + SIZE / 2) - 0.5  # unit box = 22 px: digits ~18 px tall, as in MNIST
        parts.append(np.stack([pixels[:-1], pixels[1:]], axis=1))
    return np.concatenate(parts)


_PX, _PY = (g.reshape(-1, 1).astype(np.float32) for g in np.meshgrid(np.arange(SIZE), np.arange(SIZE)))


def _ink(segments: np.ndarray, width: float) -> np.ndarray:
    """Ink per pixel: 1 within `width` px of a stroke, fading to 0 over one more pixel."""
    seg = segments.astype(np.float32)
    ax, ay = seg[:, 0, 0], seg[:, 0, 1]
    dx, dy = seg[:, 1, 0] - ax, seg[:, 1, 1] - ay
    rx, ry = _PX - ax, _PY - ay
    t = np.clip((rx * dx + ry * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0, 1)
    rx -= t * dx
    ry -= t * dy
    distance = np.sqrt((rx * rx + ry * ry).min(axis=1))
    ink: np.ndarray = np.clip(width + 0.5 - distance, 0.0, 1.0)
    return ink


def _generate(
    samples: int, noise: float, rotation: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    y = rng.permutation(np.arange(samples) % 10).astype(np.int64)
    images = np.empty((samples, SIZE * SIZE), dtype=np.float64)
    for row, digit in enumerate(y):
        styles = STYLES[digit]
        segments = _segments(styles[rng.integers(len(styles))], rng, rotation)
        images[row] = _ink(segments, rng.uniform(0.7, 1.6))
    if noise > 0:
        images += rng.normal(0, noise, size=images.shape)
    return np.round(np.clip(images, 0, 1) * 255).astype(np.uint8), y


def cache_dir() -> Path:
    """Where generated digit sets are kept: $XDG_CACHE_HOME/nnviz or ~/.cache/nnviz."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nnviz"


def _cached(key: str, make: Callable[[], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    path = cache_dir() / f"stroke_digits_{hashlib.sha1(key.encode()).hexdigest()[:16]}.npz"
    try:
        with open_regular(path) as handle, np.load(handle, allow_pickle=False) as stored:
            return stored["images"], stored["labels"]
    except (OSError, KeyError, ValueError, EOFError):
        pass  # not cached yet, a damaged cache file or no regular file (a FIFO would block): generate afresh
    images, labels = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as out:
            np.savez_compressed(out, images=images, labels=labels)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only or full cache directory only costs regeneration next time
    return images, labels


def stroke_digits(
    rng: np.random.Generator, seed: int | None, samples: int, noise: float, rotation: float
) -> Dataset:
    """`samples` 28x28 digits (balanced classes), pixels in [0, 1]; cached on disk when seeded."""

    def make() -> tuple[np.ndarray, np.ndarray]:
        return _generate(samples, noise, rotation, rng)

    if seed is None:
        images, labels = make()
    else:
        images, labels = _cached(f"v{_CACHE_VERSION}:{samples}:{noise!r}:{rotation!r}:{seed}", make)
    names = [f"pixel {r},{c}" for r in range(SIZE) for c in range(SIZE)]
    x = images.astype(np.float64) / 255.0
    return Dataset(
        x, labels, "classification", names, ["digit"], list(DIGIT_NAMES), (SIZE, SIZE), "font_digits"
    )
