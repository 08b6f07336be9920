"""Canvas geometry without painting: where every layer, neuron and edge sits, and what is under a point.

Pure NumPy, so it is tested without a display. Coordinates are "layout units": the layout fills a
`width × height` rectangle (the widget's size); the widget's zoom and pan are applied on top.

Layers are columns, neurons are circles spaced evenly down their column. An input layer with an
`image_shape` is drawn as its image instead, one square cell per pixel (neuron `i` is pixel `i` read row by
row), and then each neuron of the first hidden layer gets a small receptive-field square showing its incoming
weights as an image. Level of detail: where a layer gap has more edges than can be told apart, only the
strongest few incoming edges of each neuron are drawn (see `visible_edges`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MARGIN_X = 56.0  # room for the outermost circles and their labels
MARGIN_Y = 20.0
HEADER = 30.0  # the layer titles above the columns
MAX_SPACING = 110.0  # small networks do not spread over a whole screen
MAX_RADIUS = 32.0
FIELD_MIN = 10.0  # receptive-field squares smaller than this are not worth drawing
FIELD_GAP = 6.0
KEY_GAP = 6.0  # between the key to the edges and the nearest neuron
KEY_MARGIN = 8.0  # between the key and the canvas's edge
EDGE_BUDGET = 768  # at most about this many edges per layer gap are drawn as lines
STRONGEST_FROM_IMAGE = 6  # edges per first-hidden neuron drawn from an image input (the rest: its field)


@dataclass(frozen=True)
class Column:
    """One layer's geometry. For an image layer `image_rect` is set and `radius` is half a pixel cell."""

    x: float
    xs: np.ndarray
    ys: np.ndarray
    radius: float
    spacing: float
    top: float
    bottom: float
    image_shape: tuple[int, int] | None = None
    image_rect: tuple[float, float, float, float] | None = None  # x, y, width, height

    @property
    def half_width(self) -> float:
        """Half the width of the column's clickable band."""
        if self.image_rect is not None:
            return self.image_rect[2] / 2
        return max(self.radius, 6.0) + 6.0


class Layout:
    """Positions for a network of `sizes` in a `width × height` area; hit-testing in the same units."""

    def __init__(
        self,
        sizes: Sequence[int],
        width: float,
        height: float,
        image_shape: tuple[int, int] | None = None,
        right_room: float = 0.0,
        key_size: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        """`right_room`: extra pixels kept free right of the output column (for its class names); `key_size`:
        the key to the edges, placed in a bottom corner above the readouts (`key_left` says which)."""
        if len(sizes) < 2 or any(int(n) < 1 for n in sizes):
            raise ValueError(f"a layout needs at least two layers of at least one neuron, got {list(sizes)}")
        if image_shape is not None and image_shape[0] * image_shape[1] != sizes[0]:
            raise ValueError(f"image shape {image_shape} does not match the {sizes[0]} inputs")
        self.sizes = [int(n) for n in sizes]
        self.width = float(max(width, 4 * MARGIN_X))
        self.height = float(max(height, 2 * (MARGIN_Y + HEADER)))
        self.image_shape = (image_shape[0], image_shape[1]) if image_shape is not None else None
        self.right_room = float(min(max(right_room, 0.0), self.width / 4))
        self.top = MARGIN_Y + HEADER
        self.bottom = self.height - MARGIN_Y
        self.columns = self._columns()
        self.key_left = self._make_room_for_key(key_size)
        self.field_size = self._field_size()

    # -- construction ---------------------------------------------------------------------------------
    def _column_xs(self) -> tuple[np.ndarray, float]:
        """Centre x of every column, and the image block's side (0 without an image input)."""
        n = len(self.sizes)
        usable = self.width - 2 * MARGIN_X - self.right_room
        if self.image_shape is None:
            return MARGIN_X + usable * np.arange(n) / (n - 1), 0.0
        block = min(self.bottom - self.top, usable * 0.28)
        step = (usable - block) / (n - 1)
        xs = MARGIN_X + block + step * np.arange(n)
        xs[0] = MARGIN_X + block / 2
        return xs, block

    def _columns(self) -> list[Column]:
        xs, block = self._column_xs()
        gap = float(np.min(np.diff(xs)))
        mid = (self.top + self.bottom) / 2
        columns = []
        for k, (n, x) in enumerate(zip(self.sizes, xs, strict=True)):
            if k == 0 and self.image_shape is not None:
                columns.append(self._image_column(float(x), block, mid, self.image_shape))
                continue
            columns.append(self._neuron_column(n, float(x), gap, self.top, self.bottom))
        return columns

    def _make_room_for_key(self, key_size: tuple[float, float]) -> bool:
        """Where the key to the edges goes, and room for it. True: the bottom-left corner, under the input
        column, when that leaves it room. Else bottom-right, with the output column moved up out of its way
        if it reaches down that far (a third of the height at most: there the key covers edges, not
        neurons); and where the key is wider than the room beside the output column (a small canvas in
        presentation mode), every column ends above it."""
        width, height = key_size
        key_top = self.bottom - height - KEY_GAP
        if height <= 0:
            return False
        second = self.columns[1]
        if self.columns[0].bottom <= key_top and KEY_MARGIN + width <= second.x - second.half_width - KEY_GAP:
            return True
        if len(self.columns) > 2:
            before_last = self.columns[-2]
            if self.width - KEY_MARGIN - width < before_last.x + before_last.half_width + KEY_GAP:
                self.bottom = key_top
                self.columns = self._columns()
                return False
        last = self.columns[-1]
        if last.bottom > key_top:
            above = max(key_top, self.bottom - (self.bottom - self.top) / 3)
            gap = float(np.min(np.diff([c.x for c in self.columns])))
            self.columns[-1] = self._neuron_column(len(last.ys), last.x, gap, self.top, above)
        return False

    @staticmethod
    def _neuron_column(n: int, x: float, gap: float, top: float, bottom: float) -> Column:
        """n circles spaced evenly about the middle of [top, bottom]."""
        spacing = min((bottom - top) / n, MAX_SPACING)
        radius = min(spacing * 0.42, MAX_RADIUS, gap * 0.18)
        ys = (top + bottom) / 2 + (np.arange(n) - (n - 1) / 2) * spacing
        return Column(x, np.full(n, x), ys, radius, spacing, ys[0] - radius, ys[-1] + radius)

    def _image_column(self, x: float, block: float, mid: float, shape: tuple[int, int]) -> Column:
        rows, cols = shape
        cell = block / max(rows, cols)
        left, top = x - cell * cols / 2, mid - cell * rows / 2
        r, c = np.divmod(np.arange(rows * cols), cols)
        return Column(
            x,
            left + (c + 0.5) * cell,
            top + (r + 0.5) * cell,
            cell / 2,
            cell,
            top,
            top + cell * rows,
            shape,
            (left, top, cell * cols, cell * rows),
        )

    def _field_size(self) -> float:
        """Side of the receptive-field squares of the first hidden layer (0: none drawn)."""
        if self.image_shape is None:
            return 0.0
        first = self.columns[1]
        room = first.x - first.radius - FIELD_GAP - (self.columns[0].x + self.columns[0].half_width)
        size = min(first.spacing * 0.88, room * 0.4)
        return size if size >= FIELD_MIN else 0.0

    # -- geometry queries -------------------------------------------------------------------------------
    def field_rect(self, index: int) -> tuple[float, float, float, float]:
        """The receptive-field square of first-hidden neuron `index` (only when `field_size` > 0)."""
        first, s = self.columns[1], self.field_size
        return (first.x - first.radius - FIELD_GAP - s, first.ys[index] - s / 2, s, s)

    def edge_points(self, k: int, targets: np.ndarray, sources: np.ndarray) -> np.ndarray:
        """Segments `(x1, y1, x2, y2)` (one row per edge) of the edges from layer k to layer k+1."""
        src, dst = self.columns[k], self.columns[k + 1]
        x2 = dst.xs[targets]
        if k == 0 and self.field_size:
            x2 = x2 - dst.radius - FIELD_GAP - self.field_size  # edges end at the receptive field
        return np.column_stack((src.xs[sources], src.ys[sources], x2, dst.ys[targets]))

    # -- hit-testing ----------------------------------------------------------------------------------
    def neuron_at(self, x: float, y: float, slack: float = 0.0) -> tuple[int, int] | None:
        """(layer, index) of the neuron (or image pixel) under the point, within `slack` extra units."""
        for k, col in enumerate(self.columns):
            if col.image_rect is not None and col.image_shape is not None:
                left, top, w, h = col.image_rect
                if left <= x < left + w and top <= y < top + h:
                    rows, cols = col.image_shape
                    r = min(int((y - top) / col.spacing), rows - 1)
                    c = min(int((x - left) / col.spacing), cols - 1)
                    return 0, r * cols + c
                continue
            reach = max(col.radius, min(col.spacing / 2, 4.0)) + slack
            if abs(x - col.x) > reach:
                continue
            i = int(np.clip(np.rint((y - col.ys[0]) / col.spacing), 0, len(col.ys) - 1))
            if np.hypot(x - col.x, y - col.ys[i]) <= reach:
                return k, i
        return None

    def field_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(target, source) of the first-layer weight whose pixel in a receptive field is under the point."""
        if not self.field_size:
            return None
        first = self.columns[1]
        left = first.x - first.radius - FIELD_GAP - self.field_size
        if not left <= x < left + self.field_size:
            return None
        j = int(np.clip(np.rint((y - first.ys[0]) / first.spacing), 0, len(first.ys) - 1))
        top = first.ys[j] - self.field_size / 2
        if not top <= y < top + self.field_size:
            return None
        assert self.image_shape is not None, "receptive fields are drawn for an image input only"
        rows, cols = self.image_shape
        cell = self.field_size / max(rows, cols)
        r, c = int((y - top) / cell), int((x - left) / cell)
        if r >= rows or c >= cols:
            return None
        return j, r * cols + c

    def edge_at(
        self, x: float, y: float, edges: Sequence[tuple[np.ndarray, np.ndarray]], tolerance: float
    ) -> tuple[int, int, int] | None:
        """(k, target, source) of the drawn edge nearest the point, if within `tolerance` units.

        `edges[k]` is the `(targets, sources)` pair of index arrays drawn in gap k (see `visible_edges`).
        """
        for k, (targets, sources) in enumerate(edges):
            if not self.columns[k].x <= x <= self.columns[k + 1].x or len(targets) == 0:
                continue
            seg = self.edge_points(k, targets, sources)
            d = _segment_distances(seg, x, y)
            best = int(np.argmin(d))
            if d[best] <= tolerance:
                return k, int(targets[best]), int(sources[best])
        return None

    def title_y(self, k: int) -> float:
        """Vertical centre of layer k's title, just above its column."""
        return self.columns[k].top - HEADER / 2 - 4

    @property
    def readout_y(self) -> float:
        """Vertical centre of the per-gap readouts (gradient size), in the margin under the columns."""
        return self.height - MARGIN_Y / 2

    def gap_x(self, k: int) -> float:
        """Horizontal centre of the free space between layer k's column and layer k+1's."""
        left, right = self.columns[k], self.columns[k + 1]
        end = right.x - right.half_width
        if k == 0 and self.field_size:
            end -= FIELD_GAP + self.field_size  # the receptive fields sit left of the first hidden column
        return (left.x + left.half_width + end) / 2

    def layer_at(self, x: float, y: float) -> int | None:
        """The layer whose column band or title is under the point."""
        for k, col in enumerate(self.columns):
            title = abs(y - self.title_y(k)) <= HEADER / 2 and abs(x - col.x) <= max(col.half_width, 40.0)
            band = abs(x - col.x) <= col.half_width and col.top - 8 <= y <= col.bottom + 8
            if title or band:
                return k
        return None


def _segment_distances(seg: np.ndarray, x: float, y: float) -> np.ndarray:
    """Distance from the point to each segment row `(x1, y1, x2, y2)`."""
    p1, d = seg[:, :2], seg[:, 2:] - seg[:, :2]
    length2 = np.maximum((d * d).sum(axis=1), 1e-12)
    t = np.clip(((x - p1[:, 0]) * d[:, 0] + (y - p1[:, 1]) * d[:, 1]) / length2, 0.0, 1.0)
    return np.hypot(p1[:, 0] + t * d[:, 0] - x, p1[:, 1] + t * d[:, 1] - y)


def edges_per_neuron(n_in: int, n_out: int, image_input: bool) -> int:
    """How many incoming edges of each neuron of a gap to draw: all of them while they fit the budget."""
    if n_in * n_out <= EDGE_BUDGET and not image_input:
        return n_in
    per = max(1, EDGE_BUDGET // n_out)
    return min(n_in, per, STRONGEST_FROM_IMAGE) if image_input else min(n_in, per)


def visible_edges(
    weights: Sequence[np.ndarray], image_input: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per gap, the `(targets, sources)` of the edges to draw: every edge, or each neuron's strongest few.

    Within a gap the edges come weakest first, so drawing them in order puts the strong ones on top.
    """
    out = []
    for k, w in enumerate(weights):
        n_out, n_in = w.shape
        per = edges_per_neuron(n_in, n_out, image_input and k == 0)
        mag = np.abs(w)
        if per == n_in:
            targets, sources = np.divmod(np.arange(n_out * n_in), n_in)
        else:
            sources = np.argpartition(-mag, per - 1, axis=1)[:, :per].ravel()
            targets = np.repeat(np.arange(n_out), per)
        order = np.argsort(mag[targets, sources], kind="stable")
        out.append((targets[order], sources[order]))
    return out


def guess_image_shape(n_inputs: int) -> tuple[int, int] | None:
    """A square image shape for the usual pixel inputs (8×8 digits, 28×28 MNIST), else None."""
    side = round(n_inputs**0.5)
    return (side, side) if side * side == n_inputs and side >= 8 else None
