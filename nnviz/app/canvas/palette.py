"""Canvas colours: light and dark palettes, and the diverging scales for weights and activations.

Positive and negative are the class colours of `nnviz.app.plots.colours` (blue and orange, as in TensorFlow
Playground; lightened on a dark background), so the canvas agrees with the data and map views. Colours are
blended with the background in NumPy rather than drawn with alpha: opaque pens are many times cheaper for
QPainter in software.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette, QPen

from nnviz.app.plots.colours import NEGATIVE, POSITIVE, class_colour, lighter

# On the dark background the class colours are lightened this share of the way to white to stay legible.
DARK_LIGHTEN = 0.25


@dataclass(frozen=True)
class CanvasPalette:
    """RGB triples (0–255) for everything the canvas draws."""

    dark: bool
    background: tuple[int, int, int]
    text: tuple[int, int, int]
    neutral: tuple[int, int, int]  # a neuron at zero / with no value yet
    dim: tuple[int, int, int]  # a neuron the step-through has not reached
    positive: tuple[int, int, int]
    negative: tuple[int, int, int]
    accent: tuple[int, int, int]  # selection and the step being computed
    danger: tuple[int, int, int]  # health: a dead unit, an exploding gradient
    warning: tuple[int, int, int]  # health: a saturated unit, a vanishing gradient
    scale: float = 1.0  # line widths and text sizes (presentation mode draws larger for the back row)
    # device pixels per logical pixel (2 on a 200 % display): cosmetic pens are measured in device pixels
    pixel_ratio: float = 1.0

    @classmethod
    def light(cls) -> CanvasPalette:
        return cls(
            False, (250, 250, 250), (40, 40, 40), (236, 236, 236), (210, 210, 210),
            class_colour(1), class_colour(0), (200, 30, 120), (215, 25, 28), (215, 170, 0),
        )  # fmt: skip

    @classmethod
    def dark_scheme(cls) -> CanvasPalette:
        return cls(
            True, (32, 33, 36), (225, 225, 225), (62, 64, 68), (48, 49, 52),
            lighter(POSITIVE, DARK_LIGHTEN), lighter(NEGATIVE, DARK_LIGHTEN), (255, 90, 170), (255, 82, 82),
            (255, 214, 0),
        )  # fmt: skip

    @classmethod
    def from_system(cls, palette: QPalette | None = None) -> CanvasPalette:
        """Dark when the window colour is dark, or (with the system theme) the platform says so."""
        from nnviz.app.window.theme import current_theme  # the app's choice overrides the platform's scheme

        app = QGuiApplication.instance()
        scheme = QGuiApplication.styleHints().colorScheme() if app is not None else None
        if current_theme() == "system" and scheme == Qt.ColorScheme.Dark:
            return cls.dark_scheme()
        window = (palette or QGuiApplication.palette()).color(QPalette.ColorRole.Window)
        return cls.dark_scheme() if window.lightness() < 128 else cls.light()

    def qcolor(self, name: str) -> QColor:
        return QColor(*getattr(self, name))

    def cosmetic_pen(self, colour: QColor, width: float) -> QPen:
        """A pen `width` logical pixels wide whatever the zoom, as wide on a 200 % display as on a 100 % one
        (QPainter draws a cosmetic pen's width in device pixels)."""
        pen = QPen(colour, width * self.pixel_ratio)
        pen.setCosmetic(True)
        return pen

    def diverging(self, values: np.ndarray, base: str = "neutral") -> np.ndarray:
        """RGB rows for values in [-1, 1]: `base` at 0, full blue at +1, full orange at -1 (NaN: `base`)."""
        t = np.clip(_nan_as_zero(values), -1.0, 1.0)[..., None]
        base_rgb = np.asarray(getattr(self, base), dtype=float)
        ends = np.where(t >= 0, np.asarray(self.positive, float), np.asarray(self.negative, float))
        return base_rgb + (ends - base_rgb) * np.abs(t)


def _nan_as_zero(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return np.where(np.isnan(values), 0.0, values)


def scaled(values: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """Values divided by their largest magnitude (at least `floor`), so they lie in [-1, 1].

    Any value may be infinite or NaN (an overflowed activation): ±inf becomes ±1 and every finite value 0
    beside it (x / inf), NaN becomes 0; the labels, not the colours, say which it was.
    """
    values = _nan_as_zero(values)
    infinite = np.isinf(values)
    if infinite.any():
        return np.where(infinite, np.sign(values), 0.0)
    peak = max(float(np.max(np.abs(values))) if values.size else 0.0, floor)
    return values / peak if peak > 0 else np.zeros_like(values)


def argb_pixels(rgb: np.ndarray) -> np.ndarray:
    """Opaque 0xAARRGGBB uint32 pixels (C order) from an `(..., 3)` array of 0–255 values (NaN: 0)."""
    rgb = np.clip(np.rint(_nan_as_zero(rgb)), 0, 255).astype(np.uint32)
    return np.ascontiguousarray(0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2])


def rgb_image(rgb: np.ndarray) -> QImage:
    """A QImage (owning its pixels) from an `(h, w, 3)` array of 0–255 values."""
    argb = argb_pixels(rgb)
    h, w = argb.shape
    # opaque RGB32: drawn (scaled) several times faster than ARGB32, which QPainter must blend
    return QImage(argb.data, w, h, 4 * w, QImage.Format.Format_RGB32).copy()
