"""The edge layer: every drawn edge and receptive field, painted into a cached image off the GUI thread.

Drawing thousands of long edges costs tens of milliseconds per frame in software (docs/architecture.md,
measured facts), so the canvas paints them once into a QImage whenever the weights or the view change, in a
worker thread, and each paint event only blits that image. Edges are batched into a few colour/width bins —
one opaque cosmetic pen and one `drawLines` call per bin — weakest first so strong edges lie on top.

A render works on an `EdgeScene`, a snapshot holding copies of everything it needs, so the GUI may change
the network meanwhile; a generation number lets the canvas keep only renders newer than the one it shows.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QTransform

from nnviz.app.background import LatestOnly
from nnviz.app.canvas.layout import Layout, visible_edges
from nnviz.app.canvas.palette import CanvasPalette, rgb_image, scaled
from nnviz.app.painting import painting

N_BINS = 8
MIN_WIDTH, MAX_WIDTH = 1.1, 3.4  # screen pixels; QPainter draws 1-px lines ~5x slower than wider ones
MIN_STRENGTH = 0.18  # the weakest edges stay faintly visible


@dataclass
class EdgeScene:
    """A self-contained snapshot of what the edge layer shows; `view` (zoom, dx, dy): screen = zoom·p + d.

    `edges` None: the render picks the visible edges for these weights itself (`pick_edges`), off the GUI
    thread; at a million weights picking them costs more than a frame.
    """

    layout: Layout
    weights: list[np.ndarray]
    edges: list[tuple[np.ndarray, np.ndarray]] | None
    palette: CanvasPalette
    view: tuple[float, float, float] = (1.0, 0.0, 0.0)
    size: tuple[int, int] = (0, 0)
    generation: int = 0
    picked: bool = False  # the render picked `edges` (see `pick_edges`)

    @functools.cached_property
    def peaks(self) -> list[float]:
        """Each gap's largest weight magnitude, the scale of its colours and widths."""
        return [float(np.max(np.abs(w))) if w.size else 0.0 for w in self.weights]

    def pick_edges(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The edges to draw, picked now if the scene was made without them."""
        if self.edges is None:
            self.edges = visible_edges(self.weights, self.layout.image_shape is not None)
            self.picked = True
        return self.edges

    @property
    def transform(self) -> QTransform:
        zoom, dx, dy = self.view
        return QTransform(zoom, 0.0, 0.0, zoom, dx, dy)


def strength_bins(values: np.ndarray, peak: float) -> np.ndarray:
    """Magnitude bin (0 … N_BINS-1) of each weight, relative to its layer's largest weight (a non-finite
    weight, or any weight of a layer with an infinite one, is placed by `scaled`'s rule)."""
    if not np.isfinite(peak) or not np.isfinite(values).all():
        mag = np.abs(scaled(values))
    else:
        mag = np.abs(values) / peak if peak > 0 else np.zeros_like(values, dtype=float)
    return np.minimum((mag * N_BINS).astype(int), N_BINS - 1)


@functools.cache
def bin_pen(palette: CanvasPalette, positive: bool, level: int) -> QPen:
    """The opaque, pre-blended cosmetic pen of one sign and magnitude bin (cached: one per bin)."""
    t = (level + 1) / N_BINS
    strength = MIN_STRENGTH + (1 - MIN_STRENGTH) * t
    rgb = palette.diverging(np.array(strength if positive else -strength), base="background")
    width = (MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * t) * palette.scale
    pen = palette.cosmetic_pen(QColor(*(round(c) for c in rgb)), width)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def edge_pen(palette: CanvasPalette, value: float, peak: float) -> QPen:
    """The pen the edge layer uses for one weight (for edges drawn in the overlay, e.g. during a drag)."""
    level = int(strength_bins(np.array([value]), max(peak, abs(value)))[0])
    return bin_pen(palette, value >= 0, level)


def paint_edges(painter: QPainter, scene: EdgeScene) -> None:
    """Draw the scene's edges and receptive fields with `painter`, in screen coordinates under its view."""
    painter.save()
    painter.setTransform(scene.transform, combine=True)
    for k, (targets, sources) in enumerate(scene.pick_edges()):
        if len(targets) == 0:
            continue
        values = scene.weights[k][targets, sources]
        pens = 2 * strength_bins(values, scene.peaks[k]) + (values >= 0)  # pen index: weakest first
        order = np.argsort(pens, kind="stable")
        bounds = np.searchsorted(pens[order], np.arange(2 * N_BINS + 1))
        segments = scene.layout.edge_points(k, targets[order], sources[order]).tolist()
        for pen, (lo, hi) in enumerate(itertools.pairwise(bounds.tolist())):
            if hi > lo:
                painter.setPen(bin_pen(scene.palette, bool(pen % 2), pen // 2))
                painter.drawLines(list(itertools.starmap(QLineF, segments[lo:hi])))
    if scene.layout.field_size:
        paint_receptive_fields(painter, scene.layout, scene.weights[0], scene.palette)
    painter.restore()


def paint_receptive_fields(
    painter: QPainter, layout: Layout, weights: np.ndarray, palette: CanvasPalette
) -> None:
    """Each first-hidden neuron's incoming weights as a small image, pixel for pixel like the input."""
    assert layout.image_shape is not None, "receptive fields are drawn for an image input only"
    rows, cols = layout.image_shape
    painter.setPen(palette.cosmetic_pen(palette.qcolor("dim"), 1.0))
    peaks = np.max(np.abs(weights), axis=1, keepdims=True)
    rgb = palette.diverging(weights / np.where(peaks > 0, peaks, 1.0), base="background")
    sheet = rgb_image(rgb.reshape(len(weights) * rows, cols, 3))  # every field, stacked: one conversion
    for j in range(len(weights)):
        rect = QRectF(*layout.field_rect(j))
        painter.drawImage(rect, sheet, QRectF(0, j * rows, cols, rows))
        painter.drawRect(rect)


def render_edge_image(scene: EdgeScene) -> QImage:
    """The edge layer on the background colour, `scene.size` logical pixels at the palette's pixel ratio, so
    a 200 % display shows it sharp rather than scaled up (safe to call in a worker thread).

    Opaque (RGB32), so showing it is a plain copy rather than an alpha blend of a million pixels.
    """
    ratio = scene.palette.pixel_ratio
    width, height = (max(math.ceil(n * ratio), 1) for n in scene.size)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(scene.palette.qcolor("background"))
    with painting(image) as painter:
        paint_edges(painter, scene)
    return image


@dataclass
class RenderedEdges:
    """A finished render: the image and the scene it shows."""

    scene: EdgeScene
    image: QImage


class EdgeRenderer(QObject):
    """Renders edge scenes one at a time on a private worker thread; at most one more waits its turn.

    Requests made while a render runs replace the waiting one (only the newest matters). Finished renders
    are announced with `rendered` on the GUI thread, in request order.
    """

    rendered = Signal(object)  # RenderedEdges, delivered on the thread that owns the renderer

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = LatestOnly(self)
        self._worker.finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        return self._worker.busy

    def request(self, scene: EdgeScene) -> int:
        """Queue a render of `scene`; returns the generation number it gets."""
        scene.generation = self._worker.request(lambda: RenderedEdges(scene, render_edge_image(scene)))
        return scene.generation

    def _on_finished(self, _number: int, result: RenderedEdges | None) -> None:
        if result is not None:  # None: the render failed (and said why); the canvas keeps what it shows
            self.rendered.emit(result)

    def shutdown(self) -> None:
        """Drop the waiting request and wait for the running render, so no thread outlives the canvas."""
        self._worker.shutdown()
