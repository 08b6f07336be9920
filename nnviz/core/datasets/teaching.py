"""The teaching material's own small examples: even/odd numbers, puzzle pieces, rose vs lotus, a line."""

from __future__ import annotations

import itertools

import numpy as np

from nnviz.core.datasets.base import Dataset


def even_odd(rng: np.random.Generator, bits: int) -> Dataset:
    """Every `bits`-bit number as its binary digits (most significant first); class 1 = even.

    Only the last bit matters, which is the lesson: a trained network puts its weight there.
    """
    numbers = rng.permutation(2**bits)
    x = ((numbers[:, None] >> np.arange(bits - 1, -1, -1)) & 1).astype(np.float64)
    names = [f"bit{b} (2^{b})" for b in range(bits - 1, -1, -1)]
    y = (numbers % 2 == 0).astype(np.int64)
    return Dataset(x, y, "classification", names, ["parity"], ["odd", "even"], name="even_odd")


SIDES = ("top", "right", "bottom", "left")
SHAPES = ("flat", "tab", "blank")
PIECE_CLASSES = ["corner", "edge", "middle"]


def puzzle_piece_class(shapes: tuple[str, ...]) -> int | None:
    """Corner: two adjacent flat sides; edge: one; middle: none; anything else is no real piece (None)."""
    flat = [s == "flat" for s in shapes]
    count = sum(flat)
    if count == 0:
        return 2
    if count == 1:
        return 1
    adjacent = any(flat[i] and flat[(i + 1) % 4] for i in range(4))
    return 0 if count == 2 and adjacent else None


def puzzle(rng: np.random.Generator, repeats: int) -> Dataset:
    """Every real jigsaw piece (64 of the 81 side combinations), one-hot per side: flat, tab, blank."""
    pieces = [(s, c) for s in itertools.product(SHAPES, repeat=4) if (c := puzzle_piece_class(s)) is not None]
    x = np.array([[float(shape == option) for shape in s for option in SHAPES] for s, _ in pieces])
    y = np.array([c for _, c in pieces], dtype=np.int64)
    order = rng.permutation(np.tile(np.arange(len(y)), repeats))
    names = [f"{side} {option}" for side in SIDES for option in SHAPES]
    return Dataset(x[order], y[order], "classification", names, ["piece"], list(PIECE_CLASSES), name="puzzle")


def rose_lotus(rng: np.random.Generator, samples: int, noise: float) -> Dataset:
    """Colour features (red, green, blue in [0, 1]) of red roses (class 0) and white lotuses (class 1).

    Roses: strong red, weak green and blue. Lotuses: white with a pink tinge (green and blue high but
    slightly below red). Noise (0–0.5) widens both clouds until they overlap.
    """
    half = samples // 2
    rose = np.array([0.85, 0.12, 0.18])
    lotus = np.array([0.95, 0.85, 0.88])
    spread = 0.05 + noise * 0.6
    centres = np.concatenate([np.tile(rose, (half, 1)), np.tile(lotus, (samples - half, 1))])
    x = np.clip(centres + rng.normal(0, spread, size=(samples, 3)), 0, 1)
    y = np.concatenate([np.zeros(half, np.int64), np.ones(samples - half, np.int64)])
    order = rng.permutation(samples)
    return Dataset(
        x[order], y[order], "classification", ["red", "green", "blue"], ["flower"],
        ["red rose", "white lotus"], name="rose_lotus",
    )  # fmt: skip


def line(rng: np.random.Generator, samples: int, noise: float, slope: float, intercept: float) -> Dataset:
    """Points in [−6, 6]²; class 1 above the line x2 = slope·x1 + intercept, read at a noise-shifted point."""
    points = rng.uniform(-6, 6, size=(samples, 2))
    moved = points + rng.uniform(-6, 6, size=(samples, 2)) * noise
    y = (moved[:, 1] > slope * moved[:, 0] + intercept).astype(np.int64)
    return Dataset(points, y, "classification", ["x1", "x2"], ["side"], ["below", "above"], name="line")
