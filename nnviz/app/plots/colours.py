"""The one class-colour mapping, and the colour maps built on it (TensorFlow Playground's palette: orange
negative, blue positive).

Every view that colours a class or a signed value takes it from here: the data preview and painter, the
decision map and the neuron maps (in their dock and in the canvas's circles), the confusion matrix and the
canvas's weights and activations. Class 0 is an output's low/negative side and class 1 its high/positive
side, so a map of a single sigmoid output and the points of its two classes agree. A different palette (a
colour-blind-safe one) is a change of `CLASS_COLOURS` alone.

Pure NumPy: values in, RGBA uint8 images out, so the maps are testable without drawing.
"""

from __future__ import annotations

import numpy as np

# Class colours, safe for colour-blind eyes: the first two are Playground's orange and blue (a pair the common
# colour blindnesses keep apart); the other eight were picked from Okabe & Ito's and Paul Tol's palettes so
# that any two of the ten differ by a CIELAB distance of at least 16 under simulated protanopia,
# deuteranopia and tritanopia (Machado et al. 2009) as in normal vision (matplotlib's tab10, used before,
# had pairs at 1.2: blue and purple to a protanope). tests/app/test_colour_blind.py computes it.
CLASS_COLOURS = np.array(
    [
        (245, 147, 34), (8, 119, 189), (120, 70, 20), (238, 51, 119), (102, 204, 238),
        (51, 34, 136), (221, 204, 119), (136, 34, 85), (187, 187, 187), (213, 94, 0),
    ],
    dtype=np.float64,
)  # fmt: skip
#: the signed scale's ends: an output's low side is class 0's colour, its high side class 1's
NEGATIVE, POSITIVE = CLASS_COLOURS[0], CLASS_COLOURS[1]
WHITE = np.array([255.0, 255.0, 255.0])
# Even a certain region stays a little light, so the data points drawn over it remain visible.
MAX_TINT = 0.85


def class_colour(c: int) -> tuple[int, int, int]:
    """Class `c`'s RGB (cycled past the palette's length)."""
    r, g, b = (int(v) for v in CLASS_COLOURS[c % len(CLASS_COLOURS)])
    return r, g, b


def class_hex(c: int) -> str:
    """Class `c`'s colour as `#rrggbb`, for style sheets and rich text."""
    return "#{:02x}{:02x}{:02x}".format(*class_colour(c))


def lighter(rgb: np.ndarray, share: float) -> tuple[int, int, int]:
    """`rgb` moved `share` of the way to white: the same hue, legible on a dark background."""
    return tuple(round(v) for v in np.asarray(rgb, float) + (WHITE - np.asarray(rgb, float)) * share)


def _rgba(rgb: np.ndarray) -> np.ndarray:
    alpha = np.full((*rgb.shape[:-1], 1), 255.0)
    return np.clip(np.concatenate([rgb, alpha], axis=-1), 0, 255).astype(np.uint8)


def class_probabilities(outputs: np.ndarray) -> np.ndarray:
    """(n, classes) probabilities from network outputs: one sigmoid output means [1 − p, p]."""
    if outputs.shape[1] == 1:
        p = np.clip(outputs[:, 0], 0.0, 1.0)
        return np.stack([1.0 - p, p], axis=1)
    total = outputs.sum(axis=1, keepdims=True)
    return np.divide(outputs, total, out=np.full_like(outputs, 1.0 / outputs.shape[1]), where=total > 0)


def probability_colours(probabilities: np.ndarray) -> np.ndarray:
    """Each class's colour mixed by probability, faded to white where the network is unsure."""
    n_classes = probabilities.shape[-1]
    mix = probabilities @ CLASS_COLOURS[np.arange(n_classes) % len(CLASS_COLOURS)]
    confidence = (probabilities.max(axis=-1, keepdims=True) - 1 / n_classes) / (1 - 1 / n_classes)
    return _rgba(WHITE + (mix - WHITE) * confidence * MAX_TINT)


def diverging_colours(values: np.ndarray, scale: float | None = None) -> np.ndarray:
    """Orange for negative, white at zero, blue for positive; `scale` (default max |v|) is full colour."""
    scale = float(np.max(np.abs(values))) if scale is None else scale
    t = np.clip(values / scale, -1.0, 1.0)[..., None] if scale > 0 else np.zeros((*values.shape, 1))
    target = np.where(t < 0, NEGATIVE, POSITIVE)
    return _rgba(WHITE + (target - WHITE) * np.abs(t) * MAX_TINT)
