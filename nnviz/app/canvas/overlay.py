"""The light layer painted on every frame over the cached edges: neurons, values, highlights, step state.

Everything here is cheap (a few hundred circles, a handful of lines), so it follows the session at once:
activations of the current sample, the neuron being stepped, the selection, a weight being dragged.
Shapes are drawn in layout units under the view transform; text is drawn in screen pixels so it stays
readable at any zoom.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QStaticText,
    QTransform,
)

from nnviz.app.canvas.edge_layer import edge_pen
from nnviz.app.canvas.layout import Layout
from nnviz.app.canvas.neuron_maps import MIN_MAP_RADIUS, placed
from nnviz.app.canvas.palette import CanvasPalette, rgb_image, scaled
from nnviz.app.selection import Selection
from nnviz.core.health import Health, gradient_label
from nnviz.core.network import Network

MIN_TEXT_RADIUS = 13.0  # screen pixels: smaller circles get no value written inside
BIAS_FLOOR = 0.5  # biases below this magnitude draw as thin rings rather than being scaled up
MAX_GRADIENT_MARKERS = 512
STRIP_RADIUS = 2.5  # screen pixels: columns of smaller neurons are drawn as one strip of cells
EMPHASIS_LIMIT = 64  # a current neuron with more inputs than this has only its drawn edges emphasised
READOUT_PIXELS = 11  # font size of the per-gap gradient readout
READOUT_WIDTH = 80.0  # screen pixels: room for `∇ 3.1e-04`
MARK_MIN_PIXELS = 3.0  # health markers never shrink below this many screen pixels across
NAME_PIXELS = 12  # font size of the output neurons' class names
NAME_GAP = 6.0  # screen pixels between an output circle and its class name
STATIC_TEXT_LIMIT = 4096  # laid-out value labels kept for reuse; the cache starts afresh beyond this


@dataclass
class OverlayState:
    """What one overlay paint shows; built by the canvas (or `render`) from its current state."""

    layout: Layout
    network: Network
    palette: CanvasPalette
    view: QTransform
    edges: Sequence[tuple[np.ndarray, np.ndarray]]
    z: list[np.ndarray] | None = None
    activations: list[np.ndarray] | None = None
    computed: Sequence[np.ndarray] | None = None
    current: tuple[int, int] | None = None
    gradients: Sequence[np.ndarray | None] | None = None
    selection: Selection | None = None
    pending: Sequence[tuple[int, int, int, float]] = ()  # edges newer than the cached edge image
    peaks: Sequence[float] | None = None  # per-gap weight scale of the cached image
    health: Health | None = None  # dead/saturated markers and gradient readouts (None: not shown)
    maps: Sequence[Sequence[QBrush] | None] | None = None  # per layer, each neuron's output map (None: fills)
    output_names: Sequence[str] | None = None  # the output neurons' class names ("0".."9", "red rose")

    def maps_drawn(self, k: int) -> bool:
        """Whether layer k's circles show their output maps (big enough on screen, not mid step-through)."""
        return (
            self.maps is not None
            and self.maps[k] is not None
            and self.computed is None
            and self.layout.columns[k].image_rect is None
            and self.layout.columns[k].radius * self.view.m11() >= MIN_MAP_RADIUS
        )

    @functools.cached_property
    def fills(self) -> list[np.ndarray]:
        """RGB fill of every neuron, per layer (see `neuron_fills`); computed once per paint."""
        return [neuron_fills(self, k) for k in range(len(self.layout.sizes))]


def paint_overlay(painter: QPainter, state: OverlayState) -> None:
    painter.save()
    painter.setTransform(state.view, combine=True)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _paint_pending(painter, state)
    _paint_current_edges(painter, state)
    _paint_gradients(painter, state)
    _paint_selected_edge(painter, state)
    _paint_neurons(painter, state)
    _paint_health_marks(painter, state)
    _paint_highlights(painter, state)
    painter.restore()
    _paint_text(painter, state)
    _paint_gradient_readouts(painter, state)


def _segment(state: OverlayState, k: int, j: int, i: int) -> QLineF:
    return QLineF(*state.layout.edge_points(k, np.array([j]), np.array([i]))[0].tolist())


def _peak(state: OverlayState, k: int) -> float:
    if state.peaks is not None:
        return state.peaks[k]
    return float(np.max(np.abs(state.network.weights[k])))


def _paint_pending(painter: QPainter, state: OverlayState) -> None:
    """Edges changed since the cached image: erase the stale line, draw the new one."""
    if not state.pending:
        return
    eraser = state.palette.cosmetic_pen(state.palette.qcolor("background"), 5.0)
    for k, j, i, _ in state.pending:
        painter.setPen(eraser)
        painter.drawLine(_segment(state, k, j, i))
    for k, j, i, value in state.pending:
        painter.setPen(edge_pen(state.palette, value, _peak(state, k)))
        painter.drawLine(_segment(state, k, j, i))


def _paint_current_edges(painter: QPainter, state: OverlayState) -> None:
    """The incoming edges of the neuron being stepped, in the accent colour."""
    if state.current is None or state.current[0] < 1:
        return
    layer, j = state.current
    k = layer - 1
    n_in = state.layout.sizes[k]
    if n_in <= EMPHASIS_LIMIT:
        sources = np.arange(n_in)
    else:
        targets, drawn = state.edges[k]
        sources = drawn[targets == j]
    segments = state.layout.edge_points(k, np.full(len(sources), j), sources)
    pen = state.palette.cosmetic_pen(state.palette.qcolor("accent"), 2.0 * state.palette.scale)
    painter.setPen(pen)
    painter.drawLines(list(itertools.starmap(QLineF, segments.tolist())))


def _paint_gradients(painter: QPainter, state: OverlayState) -> None:
    """A small triangle on each drawn edge pointing the way its weight wants to move (−dW)."""
    if not state.gradients:
        return
    zoom = state.view.m11()
    paths = {True: QPainterPath(), False: QPainterPath()}
    for k, grad in enumerate(state.gradients):
        if grad is None:
            continue
        targets, sources = state.edges[k]
        g = grad[targets, sources]
        keep = np.nonzero(g)[0]
        keep = keep[np.argsort(-np.abs(g[keep]))[:MAX_GRADIENT_MARKERS]]
        if not len(keep):
            continue
        seg = state.layout.edge_points(k, targets[keep], sources[keep])
        mid = (seg[:, :2] + seg[:, 2:]) / 2
        sizes = (2.5 + 4.5 * np.abs(scaled(g[keep]))) / zoom
        for (x, y), s, up in zip(mid.tolist(), sizes.tolist(), (g[keep] < 0).tolist(), strict=True):
            tip = -s if up else s
            paths[up].addPolygon(
                QPolygonF([QPointF(x, y + tip), QPointF(x - s, y - tip), QPointF(x + s, y - tip)])
            )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.fillPath(paths[True], state.palette.qcolor("positive"))
    painter.fillPath(paths[False], state.palette.qcolor("negative"))


def neuron_fills(state: OverlayState, k: int) -> np.ndarray:
    """RGB fill per neuron of layer k: its activation on the diverging scale, dim if not reached yet."""
    n = state.layout.sizes[k]
    pal = state.palette
    if state.activations is None:
        fills = np.tile(np.asarray(pal.neutral, float), (n, 1))
    else:
        fills = pal.diverging(scaled(state.activations[k], floor=1.0))
    if state.computed is not None and k > 0:
        fills[~np.asarray(state.computed[k], bool)] = pal.dim
    return fills


def _paint_neurons(painter: QPainter, state: OverlayState) -> None:
    pal = state.palette
    zoom = state.view.m11()
    for k, col in enumerate(state.layout.columns):
        fills = state.fills[k]
        if col.image_rect is not None and col.image_shape is not None:
            rows, cols = col.image_shape
            _draw_pixels(painter, QRectF(*col.image_rect), fills.reshape(rows, cols, 3))
            painter.setPen(pal.cosmetic_pen(pal.qcolor("text"), 1.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(*col.image_rect))
            continue
        if col.radius * zoom < STRIP_RADIUS:  # hundreds of specks: one image, no rings
            top = col.ys[0] - col.spacing / 2
            half = max(col.radius, 4.0 / zoom)
            strip = QRectF(col.x - half, top, 2 * half, col.spacing * len(col.ys))
            _draw_pixels(painter, strip, fills.reshape(-1, 1, 3))
            continue
        rings = np.zeros(len(col.ys)) if k == 0 else scaled(state.network.biases[k - 1], floor=BIAS_FLOOR)
        ring_rgb = np.rint(pal.diverging(rings, base="dim")).astype(int).tolist()
        half_widths = ((0.6 + 1.4 * np.abs(rings)) / zoom).tolist()  # 1.2–4 screen pixels wide
        fill_rgb = np.rint(fills).astype(int).tolist()
        painter.setPen(Qt.PenStyle.NoPen)
        # ring and fill as two filled discs: antialiased fills are several times cheaper than strokes
        r = col.radius
        maps = state.maps[k] if state.maps is not None and state.maps_drawn(k) else None
        for i in _on_screen(painter, state, col):
            centre, half = QPointF(col.x, float(col.ys[i])), half_widths[i]
            painter.setBrush(QColor(*ring_rgb[i]))
            painter.drawEllipse(centre, r + half, r + half)
            if maps is None:
                painter.setBrush(QColor(*fill_rgb[i]))
            else:  # the neuron's output over the plane, clipped to its circle by the fill itself
                painter.setBrush(placed(maps[i], col.x, float(col.ys[i]), r - half))
            painter.drawEllipse(centre, r - half, r - half)


def _draw_pixels(painter: QPainter, rect: QRectF, rgb: np.ndarray) -> None:
    """An image of cells scaled up to `rect`: without antialiasing, which only blurs the cell edges and costs
    more than the blit itself."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.drawImage(rect, rgb_image(rgb))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)


def _on_screen(painter: QPainter, state: OverlayState, col) -> range:
    """Indices of the column's neurons within the painted area (zoomed in, most of a tall column is not)."""
    zoom, dy = state.view.m11(), state.view.dy()
    if col.spacing <= 0 or len(col.ys) < 2:
        return range(len(col.ys))
    top, bottom = -dy / zoom - col.radius, (painter.device().height() - dy) / zoom + col.radius
    first = int(np.clip(np.floor((top - col.ys[0]) / col.spacing), 0, len(col.ys)))
    last = int(np.clip(np.ceil((bottom - col.ys[0]) / col.spacing) + 1, 0, len(col.ys)))
    return range(first, last)


def _paint_health_marks(painter: QPainter, state: OverlayState) -> None:
    """A red ✕ over each dead unit, a gold ring around each saturated one (only flagged units cost)."""
    health = state.health
    if health is None:
        return
    zoom = state.view.m11()
    crosses: list[QLineF] = []
    rings = QPainterPath()
    for k, h in enumerate(health.layers):
        col = state.layout.columns[k + 1]
        r = max(col.radius, MARK_MIN_PIXELS / zoom)
        arm = 0.6 * r
        for i in np.flatnonzero(h.dead).tolist():
            x, y = col.x, float(col.ys[i])
            crosses.append(QLineF(x - arm, y - arm, x + arm, y + arm))
            crosses.append(QLineF(x - arm, y + arm, x + arm, y - arm))
        ring = r + 4.0 / zoom  # just outside the bias ring
        for i in np.flatnonzero(h.saturated).tolist():
            rings.addEllipse(QPointF(col.x, float(col.ys[i])), ring, ring)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if crosses:
        pen = state.palette.cosmetic_pen(state.palette.qcolor("danger"), 2.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLines(crosses)
    if not rings.isEmpty():
        pen = state.palette.cosmetic_pen(state.palette.qcolor("warning"), 3.0)
        painter.setPen(pen)
        painter.drawPath(rings)


def readout_rects(layout: Layout, view: QTransform, height: float) -> list[QRectF]:
    """Screen rectangles of the gradient readouts, one per layer gap, along the bottom of the canvas; as wide
    as a readout (80 px) where the gaps allow, narrower where they are closer, so neighbours never overlap."""
    # under the network, but never below the bottom of the canvas when zoomed in
    y = min(view.map(QPointF(0.0, layout.readout_y)).y(), height - (layout.height - layout.readout_y))
    xs = [view.map(QPointF(layout.gap_x(k), 0.0)).x() for k in range(len(layout.sizes) - 1)]
    width = max(12.0, min([READOUT_WIDTH, *(b - a - 4.0 for a, b in itertools.pairwise(xs))]))
    return [QRectF(x - width / 2, y - 8.0, width, 16.0) for x in xs]


def _paint_gradient_readouts(painter: QPainter, state: OverlayState) -> None:
    """`∇ 3.1e-04` under each layer gap: amber when vanishing, red when exploding."""
    health = state.health
    if health is None or health.gradients is None:
        return
    pal = state.palette
    colours = {"ok": "text", "vanishing": "warning", "exploding": "danger"}
    painter.save()
    font = QFont(painter.font())
    font.setPixelSize(round(READOUT_PIXELS * pal.scale))
    rects = readout_rects(state.layout, state.view, painter.device().height())
    for gap, rect in zip(health.gradients, rects, strict=True):
        font.setBold(gap.state != "ok")
        painter.setFont(font)
        painter.setPen(pal.qcolor(colours[gap.state]))
        label = gradient_label(gap)
        if QFontMetricsF(font).horizontalAdvance(label) > rect.width():
            label = "∇"  # no room between close columns: the colour says it, the tooltip has the number
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def _paint_selected_edge(painter: QPainter, state: OverlayState) -> None:
    """A selected edge in the accent colour, under the neurons it joins."""
    sel = state.selection
    if sel is not None and sel.kind == "edge":
        pen = state.palette.cosmetic_pen(state.palette.qcolor("accent"), 3.0 * state.palette.scale)
        painter.setPen(pen)
        painter.drawLine(_segment(state, sel.layer, *sel.ends()))


def _paint_highlights(painter: QPainter, state: OverlayState) -> None:
    """Rings around the selected neuron and the neuron being stepped; a frame around a selected layer."""
    pen = state.palette.cosmetic_pen(state.palette.qcolor("accent"), 3.0 * state.palette.scale)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    sel = state.selection
    if sel is not None and sel.kind == "layer":
        col = state.layout.columns[sel.layer]
        w = col.half_width + 4
        painter.drawRoundedRect(QRectF(col.x - w, col.top - 6, 2 * w, col.bottom - col.top + 12), 8, 8)
    marked = (
        [(sel.layer, sel.index)] if sel is not None and sel.index is not None and sel.kind == "neuron" else []
    )
    if state.current is not None:
        marked.append(state.current)
    for layer, index in marked:
        col = state.layout.columns[layer]
        r = col.radius + 3.0 / state.view.m11()
        painter.drawEllipse(QPointF(col.xs[index], col.ys[index]), r, r)


def _label(network: Network, layout: Layout, k: int) -> tuple[str, str]:
    """Layer k's title as (what the layer is, what it holds): `hidden layer 1`, `2 neurons · sigmoid`."""
    n = layout.sizes[k]
    if k == 0:
        shape = layout.image_shape
        return "input layer", f"{shape[0]}×{shape[1]} pixels" if shape else _neurons(n)
    act = network.activations[k - 1]
    name = act.name if act.pieces == 1 else f"{act.name}×{act.pieces}"
    what = "output layer" if k == len(layout.sizes) - 1 else f"hidden layer {k}"
    return what, f"{_neurons(n)} · {name}"


def _neurons(n: int) -> str:
    return f"{n:,} neuron" + ("s" if n != 1 else "")


def _paint_text(painter: QPainter, state: OverlayState) -> None:
    """Layer titles, output class names, and each neuron's activation inside its circle when there is room."""
    pal = state.palette
    painter.save()
    painter.setPen(pal.qcolor("text"))
    font = QFont(painter.font())
    font.setPixelSize(round(13 * pal.scale))
    for rect, text, title_font in layer_titles(state, font, painter.device().width()):
        painter.setFont(title_font)
        painter.fillRect(rect, pal.qcolor("background"))  # legible over the edges an image input fans out
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.setFont(font)
    if state.output_names:
        _paint_output_names(painter, state, font)
    if state.activations is not None:
        _paint_values(painter, state, font)
    painter.restore()


def layer_titles(state: OverlayState, font: QFont, screen: float) -> list[tuple[QRectF, str, QFont]]:
    """Where each layer's title goes on screen, its text and its font.

    Each title keeps to its own cell: from halfway to the column on its left (or the screen's edge) to
    halfway to the one on its right, at most 300 px wide, centred over its column where it can be. A title
    that does not fit goes onto two lines ("hidden layer 1" over "16 neurons · sigmoid"), then into a
    smaller font, and last is cut short ("16 neurons · sigm…"; the layer's tooltip says it all), so
    neighbours never overlap.
    """
    layout = state.layout
    centres = [state.view.map(QPointF(col.x, layout.title_y(k))) for k, col in enumerate(layout.columns)]
    cells = []
    for k, centre in enumerate(centres):
        low = (centres[k - 1].x() + centre.x()) / 2 if k > 0 else 0.0
        high = (centres[k + 1].x() + centre.x()) / 2 if k + 1 < len(centres) else screen
        cells.append((max(low, 0.0) + 4, min(high, screen) - 4))
    labels = [_label(state.network, layout, k) for k in range(len(centres))]
    rooms = [max(min(high - low, 300.0), 1.0) for low, high in cells]
    metrics = QFontMetricsF(font)
    fitted = [_title_lines(*label, metrics, room) for label, room in zip(labels, rooms, strict=True)]
    fits = [lines for lines in fitted if lines is not None]
    if len(fits) < len(
        fitted
    ):  # one font for every title: the smaller one, cut short where even that is too wide
        font = _sized(font, round(11 * state.palette.scale))
        metrics = QFontMetricsF(font)
        fits = [
            _title_lines(*label, metrics, room)
            or [metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in label]
            for label, room in zip(labels, rooms, strict=True)
        ]
    metrics = QFontMetricsF(font)
    titles = []
    for centre, (low, high), lines in zip(centres, cells, fits, strict=True):
        width = max(map(metrics.horizontalAdvance, lines)) + 6
        height = 20.0 * state.palette.scale * len(lines)
        left = min(max(centre.x() - width / 2, low), high - width)
        top = max(centre.y() + 10 - height, 0.0)  # two lines stay on screen
        titles.append((QRectF(left, top, width, height), "\n".join(lines), font))
    return titles


def _title_lines(head: str, body: str, metrics: QFontMetricsF, room: float) -> list[str] | None:
    """A title on one line if it fits, else on two; None when even two lines are too wide."""
    for lines in ([f"{head} · {body}"], [head, body]):
        if max(map(metrics.horizontalAdvance, lines)) <= room:
            return lines
    return None


def _sized(font: QFont, pixels: int) -> QFont:
    smaller = QFont(font)
    smaller.setPixelSize(pixels)
    return smaller


def output_names_width(names: Sequence[str], font: QFont) -> float:
    """Pixels the output column's class names need right of its circles (what the layout keeps free)."""
    metrics = QFontMetricsF(_sized(font, NAME_PIXELS))
    return max((metrics.horizontalAdvance(n) for n in names), default=0.0) + NAME_GAP + 4


def _paint_output_names(painter: QPainter, state: OverlayState, font: QFont) -> None:
    """Each output neuron's class name ("7", "red rose") beside its circle, cut short where room ends."""
    assert state.output_names, "drawn only when the outputs have names"
    col = state.layout.columns[-1]
    r = col.radius * state.view.m11()
    if r < STRIP_RADIUS or len(state.output_names) != len(col.ys):
        return  # a strip of cells: the names are in the tooltips and the output panel
    name_font = _sized(font, NAME_PIXELS)
    painter.setFont(name_font)
    metrics = QFontMetricsF(name_font)
    for i in _on_screen(painter, state, col):
        centre = state.view.map(QPointF(col.x, float(col.ys[i])))
        left = centre.x() + r + NAME_GAP
        room = painter.device().width() - left - 2
        if room < metrics.horizontalAdvance("…") + 2:
            continue
        text = metrics.elidedText(state.output_names[i], Qt.TextElideMode.ElideRight, room)
        rect = QRectF(left, centre.y() - 10, room, 20)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
    painter.setFont(font)


def _paint_values(painter: QPainter, state: OverlayState, font: QFont) -> None:
    """Each neuron's activation inside its circle, as cached QStaticText (a laid-out label draws several
    times faster than drawText, and the same few hundred strings recur frame after frame)."""
    assert state.activations is not None, "drawn only with a forward pass"
    zoom = state.view.m11()
    light_pen, dark_pen = QPen(QColor(20, 20, 20)), QPen(QColor(245, 245, 245))
    for k, col in enumerate(state.layout.columns):
        r = col.radius * zoom
        if col.image_rect is not None or r < MIN_TEXT_RADIUS or state.maps_drawn(k):
            continue  # a map fills the circle: the value is in the tooltip and the inspector
        size = int(min(r * 0.62, 15 * state.palette.scale))
        font.setPixelSize(size)
        painter.setFont(font)
        light = (state.fills[k] @ np.array([0.299, 0.587, 0.114]) > 140).tolist()
        done = state.computed[k] if state.computed is not None and k > 0 else None
        values = state.activations[k]
        for i in _on_screen(painter, state, col):
            if done is not None and not done[i]:
                continue
            text = _static_text(_format(float(values[i])), size, font)
            painter.setPen(light_pen if light[i] else dark_pen)
            centre = state.view.map(QPointF(col.x, float(col.ys[i])))
            box = text.size()
            painter.drawStaticText(QPointF(centre.x() - box.width() / 2, centre.y() - box.height() / 2), text)


_STATIC_TEXTS: dict[tuple[str, int, str], QStaticText] = {}


def _static_text(text: str, size: int, font: QFont) -> QStaticText:
    key = (text, size, font.family())
    static = _STATIC_TEXTS.get(key)
    if static is None:
        if len(_STATIC_TEXTS) >= STATIC_TEXT_LIMIT:
            _STATIC_TEXTS.clear()
        static = _STATIC_TEXTS[key] = QStaticText(text)
        static.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
        static.prepare(QTransform(), font)
    return static


def _format(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.3g}"
