"""NetworkCanvas: the network drawn as layers of neurons and weighted edges, zoomable and clickable.

A view (docs/architecture.md, rule 2): it draws what it is given (`set_network`, `set_trace`,
`set_step_state`, `set_selection`) and reports what the user asks for through signals; it never edits the
network itself. The edges live in a cached image rendered off the GUI thread (`edge_layer`); each paint blits
that image and draws the light overlay on top, so a paint stays cheap even for 784-128-64-10. Small weight
edits are drawn by the overlay at once and the image catches up after a pause (no render competes with a
drag).

Mouse: click selects a neuron, an edge or a layer (`selection_requested`, None on empty space); drag pans;
the wheel (or a touchpad pinch) zooms about the cursor; double-click or Home fits the network to the
window; Alt or Ctrl + drag up or down on an edge changes its weight (`weight_dragged` while moving,
`weight_drag_finished` once at the end, so the whole drag is one undo step). Hover shows the numbers.
Keyboard: the arrow keys move the selection (`keyboard_nav`), Enter asks to edit it (`edit_requested`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QFont,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from nnviz.app.canvas.edge_layer import EdgeRenderer, EdgeScene, RenderedEdges, paint_edges
from nnviz.app.canvas.keyboard_nav import ARROWS, next_selection
from nnviz.app.canvas.layout import Layout, visible_edges
from nnviz.app.canvas.neuron_maps import NeuronMapCache
from nnviz.app.canvas.overlay import OverlayState, output_names_width, paint_overlay, readout_rects
from nnviz.app.canvas.palette import CanvasPalette
from nnviz.app.canvas.weight_key import key_rect, key_size, paint_weight_key
from nnviz.app.painting import guarded_paint, painting
from nnviz.app.selection import Selection
from nnviz.core.array_diff import changed_positions
from nnviz.core.health import Health, gradient_note, unit_note
from nnviz.core.names import TEACHING, Names
from nnviz.core.network import Network, Trace

CLICK_SLOP = 4  # pixels a press may move and still count as a click
HIT_TOLERANCE = 5.0  # pixels around a thin edge that still hit it
MAX_PENDING = 64  # changed edges drawn over a stale edge image before the new one arrives
ZOOM_RANGE = (0.25, 40.0)
PAN_LIMIT = 1e6  # pixels; far beyond any screen, and small enough that zooming about it never overflows
RERENDER_DELAY_MS = 100  # small edits and view changes re-render the edge layer once they pause this long
DRAG_PIXELS_PER_PEAK = 150.0  # dragging this far changes a weight by its layer's largest magnitude
# A change of the model (weights, trace, step state, health) is painted in a later event-loop turn than the
# one that made it, so a training snapshot's model work and the canvas's paint are two short stalls, not one
# long one. While an edge render for new weights is on its way the paint waits for it (one paint, not a
# stale one and then the new one), this long at most.
RENDER_WAIT_MS = 50


class NetworkCanvas(QWidget):
    """The network view. See the module docstring for what the mouse does."""

    selection_requested = Signal(object)  # a Selection, or None when empty space was clicked
    weight_dragged = Signal(int, int, int, float)  # k, j, i, the new value, on every drag movement
    weight_drag_finished = Signal(int, int, int, float, float)  # k, j, i, value before the drag, final value
    edit_requested = Signal()  # Enter on a selection: the window puts the focus in its editor
    edges_rendered = Signal()  # a background edge render is now shown (for tests and benchmarks)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # every paint covers the whole widget (edge image or background), so Qt need not clear it first
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(240, 160)
        self._palette = self._system_palette(scale=1.0)
        self._network: Network | None = None
        #: the naming scheme of tooltips (nnviz.core.names), set by the window from the session
        self.naming_scheme = TEACHING
        self._image_shape: tuple[int, int] | None = None
        self._output_names: list[str] | None = None
        self._layout: Layout | None = None
        self._edges: list[tuple[np.ndarray, np.ndarray]] = []
        self._edges_stale = False  # the weights changed since `_edges` were picked; a render picks anew
        self._trace: Trace | None = None
        self._computed: Sequence[np.ndarray] | None = None
        self._current: tuple[int, int] | None = None
        self._gradients: Sequence[np.ndarray | None] | None = None
        self._selection: Selection | None = None
        self._health: Health | None = None
        self.neuron_maps = NeuronMapCache()  # each neuron's output map, when the data has a plane
        self._view = (1.0, 0.0, 0.0)  # zoom, dx, dy: screen = zoom·layout + d
        self._cache: RenderedEdges | None = None
        self._pending: list[tuple[int, int, int, float]] = []
        self._press: QPointF | None = None
        self._panning = False
        self._drag: tuple[int, int, int, float, float] | None = None  # k, j, i, old, current
        self._renderer = EdgeRenderer(self)
        self._render_timer = QTimer(self, singleShot=True, interval=RERENDER_DELAY_MS)
        self._render_timer.timeout.connect(self._request_edges)
        self._renderer.rendered.connect(self._on_edges_rendered)
        self._paint_timer = QTimer(self, singleShot=True)
        self._paint_timer.timeout.connect(self.update)

    # -- inputs -----------------------------------------------------------------------------------------
    def set_output_names(self, names: Sequence[str] | None) -> None:
        """Class names for the output neurons ("0".."9", "red rose"), drawn beside them; None: no names."""
        names = list(names) if names else None
        if names != self._output_names:
            self._output_names = names
            self._layout = None  # the output column moves left to make room for the names
            if self._network is not None:
                self._relayout(same_structure=True)

    def set_network(self, network: Network | None, image_shape: tuple[int, int] | None = None) -> None:
        """Show `network` (its structure or its weights changed); the edges re-render in the background."""
        old = self._network
        if image_shape is not None:  # a list from JSON or NumPy integers compare equal as a tuple of ints
            image_shape = (int(image_shape[0]), int(image_shape[1]))
        structural = (
            network is None or old is None or network.sizes != old.sizes or image_shape != self._image_shape
        )
        if (
            network is not None
            and image_shape is not None
            and image_shape[0] * image_shape[1] != network.sizes[0]
        ):
            raise ValueError(f"image shape {image_shape} does not match the {network.sizes[0]} inputs")
        self._network, self._image_shape = network, image_shape
        self.neuron_maps.invalidate()
        if structural:
            self._trace = self._computed = self._current = self._gradients = self._selection = None
            self._view = (1.0, 0.0, 0.0)
            self._cache = None
        self._relayout(same_structure=not structural)

    def parameter_edited(self, k: int, j: int, i: int | None = None) -> None:
        """One weight W[k][j, i] (or, with `i` None, bias b[k][j]) of the network shown was set: as
        `set_network` after a change of weights, but the overlay is told the one edge to draw over the cached
        image instead of comparing every weight with the image's to find it."""
        net = self._network
        if net is None:
            return
        if i is None or j >= net.sizes[k + 1]:  # a bias, or a maxout piece past the first: no edge changed
            self.neuron_maps.invalidate()
            self._paint_soon()
            return
        if self._cache is None or len(self._pending) >= MAX_PENDING:
            self.set_network(net, self._image_shape)
            return
        self.neuron_maps.invalidate()
        self._edges_stale = bool(self._edges)  # the render picks the edges drawn anew, as for any new weights
        edge = (k, j, i, float(net.weights[k][j, i]))
        self._pending = [p for p in self._pending if p[:3] != edge[:3]] + [edge]
        self._schedule_edges()

    def set_trace(self, trace: Trace | None) -> None:
        """The current sample's forward pass, whose activations fill the neurons (None: no sample)."""
        self._trace = trace
        self._paint_soon()

    def set_step_state(
        self,
        computed: Sequence[np.ndarray] | None,
        current: tuple[int, int] | None,
        gradients: Sequence[np.ndarray | None] | None = None,
    ) -> None:
        """Step-through state: neurons computed so far (None: all), the neuron being computed, and dW."""
        self._computed, self._current, self._gradients = computed, current, gradients
        self._paint_soon()

    def set_selection(self, selection: Selection | None) -> None:
        self._selection = selection
        self.update()

    def set_plane_inputs(self, inputs: np.ndarray | None) -> None:
        """A grid over the data's plane as network inputs: each neuron then shows its output over the plane
        inside its circle (None: plain activation fills)."""
        self.neuron_maps.set_inputs(inputs)
        self._paint_soon()

    def set_scale(self, scale: float) -> None:
        """Lines and text `scale` times their size (presentation mode); the edge image is drawn again."""
        if scale != self._palette.scale:
            self._palette = replace(self._palette, scale=scale)
            self._layout = None  # the key to the edges grows: the output column makes room
            if self._network is not None:
                self._relayout(same_structure=True)
            self.update()

    def set_health(self, health: Health | None) -> None:
        """Network health to mark (dead/saturated units, per-gap gradient readouts); None hides it."""
        self._health = health
        self._paint_soon()

    @property
    def health(self) -> Health | None:
        """The health shown, if it fits the network's layers."""
        h, net = self._health, self._network
        if h is None or net is None or [len(x.dead) for x in h.layers] != net.sizes[1:]:
            return None
        return h

    def fit_to_window(self) -> None:
        """Show the whole network, filling the widget."""
        self._set_view((1.0, 0.0, 0.0))

    @property
    def view(self) -> tuple[float, float, float]:
        """(zoom, dx, dy): a layout point (x, y) appears at zoom·(x, y) + (dx, dy) on the widget."""
        return self._view

    def set_view(self, zoom: float, dx: float, dy: float) -> None:
        """Zoom (clamped to ZOOM_RANGE) and pan, e.g. as a project file's view state had them."""
        self._set_view((float(np.clip(zoom, *ZOOM_RANGE)), float(dx), float(dy)))

    # -- read-only state (for the window, tests and benchmarks) ------------------------------------------
    @property
    def layout_geometry(self) -> Layout | None:
        return self._layout

    @property
    def view_transform(self) -> QTransform:
        zoom, dx, dy = self._view
        return QTransform(zoom, 0.0, 0.0, zoom, dx, dy)

    @property
    def rendering(self) -> bool:
        """True while an edge render is scheduled, running or waiting."""
        return self._render_timer.isActive() or self._renderer.busy

    @property
    def rendered_edges(self) -> QImage | None:
        """The cached edge image shown now (device pixels: twice the widget's size on a 200 % display)."""
        return None if self._cache is None else self._cache.image

    @property
    def weight_key_rect(self) -> QRectF:
        """Where the key to the edges is drawn on the widget."""
        left = self._layout is not None and self._layout.key_left
        return key_rect(self._palette, self.width(), self.height(), left)

    def screen_point(self, layout_x: float, layout_y: float) -> QPointF:
        """Where a layout point appears on the widget."""
        return self.view_transform.map(QPointF(layout_x, layout_y))

    # -- layout and edge rendering ---------------------------------------------------------------------
    def _relayout(self, same_structure: bool) -> None:
        net = self._network
        if net is None:
            self._layout, self._edges, self._cache, self._pending = None, [], None, []
            self._edges_stale = False
            self.update()
            return
        if (
            self._layout is None
            or not same_structure
            or (self._layout.width, self._layout.height) != self._size()
        ):
            names = self._output_names
            room = output_names_width(names, self.font()) if names is not None and self._names_fit() else 0.0
            self._layout = Layout(
                net.sizes, *self._size(), self._image_shape, right_room=room, key_size=key_size(self._palette)
            )
        # The edges drawn are each neuron's strongest where there are too many: after a change of structure
        # they are picked at once (hit-testing needs them); after a change of weights the background render
        # picks them anew, and until it arrives the overlay draws the changed edges over the old picture.
        self._edges_stale = same_structure and bool(self._edges)
        if not self._edges_stale:
            self._edges = visible_edges(net.edge_weights, self._image_shape is not None)
        if not self._update_pending():
            self._request_edges()
        elif self._pending:
            self._schedule_edges()  # a small edit, already drawn by the overlay: re-render after a pause
        else:
            self._paint_soon()  # same weights: the cached image still holds

    def _names_fit(self) -> bool:
        """Whether the output names name this network's outputs (one per output neuron)."""
        names, net = self._output_names, self._network
        return names is not None and net is not None and len(names) == net.sizes[-1]

    def _size(self) -> tuple[float, float]:
        return float(max(self.width(), 1)), float(max(self.height(), 1))

    def edge_scene(self, pick: bool = False) -> EdgeScene:
        """What the edge layer should show now, on weights that will not change (shared, read-only: see
        `Network.shared`); what a render works on.
        `pick`: the render picks the visible edges for the weights (they changed since the shown ones)."""
        assert self._network is not None, "edges are rendered for a network"
        assert self._layout is not None, "edges are rendered once laid out"
        weights = self._network.shared().edge_weights
        size = (self.width(), self.height())
        edges = None if pick else self._edges
        return EdgeScene(self._layout, weights, edges, self._palette, self._view, size)

    def _request_edges(self) -> None:
        self._render_timer.stop()
        if self._network is None or self._layout is None:
            return
        self._renderer.request(self.edge_scene(pick=self._edges_stale))
        self._paint_soon()

    def _paint_soon(self) -> None:
        """Paint in a later turn: when the edge render on its way arrives, else next (see RENDER_WAIT_MS)."""
        self._paint_timer.start(RENDER_WAIT_MS if self._renderer.busy else 0)

    def _schedule_edges(self) -> None:
        """Re-render once edits or view changes pause, so no render competes with the frames of a drag."""
        self._render_timer.start()
        self.update()

    def _on_edges_rendered(self, result: RenderedEdges) -> None:
        if self._cache is not None and result.scene.generation <= self._cache.scene.generation:
            return
        if result.scene.layout is not self._layout or result.scene.palette != self._palette:
            return  # drawn for a layout or palette no longer shown; a newer render is on its way
        self._cache = result
        if result.scene.picked and result.scene.edges is not None:
            self._edges = result.scene.edges
        shown = self._update_pending()
        if shown and self._pending and not self._renderer.busy:
            self._schedule_edges()  # edited while this render ran
        elif shown and not self._pending and result.scene.picked:
            self._edges_stale = False  # picked for the weights shown now
        self._paint_timer.stop()
        self.update()
        self.edges_rendered.emit()

    def _update_pending(self) -> bool:
        """Find the edges whose weight changed since the cached image, for the overlay to draw until the
        image catches up. True when the cached image plus those edges shows the network as it is now."""
        self._pending = []
        cache, net = self._cache, self._network
        if cache is None or net is None or cache.scene.layout is not self._layout:
            return False
        changed = changed_positions(cache.scene.weights, net.edge_weights, MAX_PENDING)
        if changed is None:
            return False
        self._pending = [(k, j, i, float(net.weights[k][j, i])) for k, j, i in changed]
        return cache.scene.palette == self._palette

    def _set_view(self, view: tuple[float, float, float]) -> None:
        zoom, dx, dy = view
        view = (zoom, float(np.clip(dx, -PAN_LIMIT, PAN_LIMIT)), float(np.clip(dy, -PAN_LIMIT, PAN_LIMIT)))
        if view != self._view:
            self._view = view
            self._schedule_edges()  # meanwhile the cached image is drawn stretched

    # -- painting ---------------------------------------------------------------------------------------
    @guarded_paint
    def paintEvent(self, _event: QEvent) -> None:
        with painting(self) as painter:
            self._paint(painter)

    def _paint(self, painter: QPainter) -> None:
        cache = self._cache  # the edge image, if it was rendered for this layout and palette
        if cache is not None and (
            cache.scene.layout is not self._layout or cache.scene.palette != self._palette
        ):
            cache = None
        aligned = (
            cache is not None and cache.scene.view == self._view and cache.scene.size == self.size().toTuple()
        )
        if not aligned:  # an aligned edge image covers every pixel, background included
            painter.fillRect(self.rect(), self._palette.qcolor("background"))
        if self._layout is None or self._network is None:
            painter.setPen(self._palette.qcolor("text"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No network")
            return
        if cache is not None:
            if not aligned:  # zoomed or panned since: stretch the image until the new one arrives
                painter.setTransform(cache.scene.transform.inverted()[0] * self.view_transform)
            painter.drawImage(0, 0, cache.image)
            painter.resetTransform()
        paint_overlay(painter, self._overlay_state())
        paint_weight_key(painter, self._palette, self.weight_key_rect)
        if self._drag is not None:
            self._paint_drag_label(painter)

    def paint_as_drawn(self, painter: QPainter) -> None:
        """What the widget shows (view, palette, sample, selection, step) as vectors: for SVG export (with
        plain fills: the neuron maps are images). Lines as wide as on screen at the device's own pixel ratio
        (a picture exported on a 200 % display is not drawn with doubled pens)."""
        palette = replace(self._palette, pixel_ratio=painter.device().devicePixelRatioF())
        painter.fillRect(self.rect(), palette.qcolor("background"))
        if self._layout is not None and self._network is not None:
            paint_edges(painter, replace(self.edge_scene(), palette=palette))
            paint_overlay(painter, replace(self._overlay_state(maps=False), palette=palette))
            paint_weight_key(painter, palette, self.weight_key_rect)

    def _overlay_state(self, maps: bool = True) -> OverlayState:
        assert self._layout is not None, "the overlay is drawn once laid out"
        assert self._network is not None, "the overlay is drawn for a network"
        pending = list(self._pending)
        if self._drag is not None:
            k, j, i, _, value = self._drag
            pending.append((k, j, i, value))
        trace = self._trace
        return OverlayState(
            layout=self._layout,
            network=self._network,
            palette=self._palette,
            view=self.view_transform,
            edges=self._edges,
            z=None if trace is None else self._neuron_sums(),
            activations=None if trace is None else [np.ravel(a) for a in trace.a],
            output_names=self._output_names if self._names_fit() else None,
            computed=self._computed,
            current=self._current,
            gradients=self._gradients,
            selection=self._selection,
            pending=pending,
            peaks=self._cache.scene.peaks if self._cache is not None else None,
            health=self.health,
            maps=self.neuron_maps.brushes(self._network, self._palette) if maps and self._network else None,
        )

    def _paint_drag_label(self, painter: QPainter) -> None:
        assert self._drag is not None, "drawn while a weight is dragged"
        assert self._layout is not None, "drawn once laid out"
        k, j, i, _, value = self._drag
        seg = self._layout.edge_points(k, np.array([j]), np.array([i]))[0]
        at = self.screen_point((seg[0] + seg[2]) / 2, (seg[1] + seg[3]) / 2)
        font = QFont(painter.font())
        font.setPixelSize(13)
        font.setBold(True)
        painter.setFont(font)
        rect = QRectF(at.x() + 8, at.y() - 26, 120, 20)
        painter.fillRect(rect, self._palette.qcolor("background"))
        painter.setPen(QPen(self._palette.qcolor("accent")))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"w = {value:.4g}")

    # -- hit-testing ------------------------------------------------------------------------------------
    def item_at(self, pos: QPointF) -> Selection | None:
        """The neuron, edge or layer under a widget position (neurons win over edges over layers)."""
        if self._layout is None:
            return None
        zoom = self._view[0]
        p = self.view_transform.inverted()[0].map(QPointF(pos))
        x, y = p.x(), p.y()
        neuron = self._layout.neuron_at(x, y, slack=2.0 / zoom)
        if neuron is not None:
            return Selection.neuron(*neuron)
        field = self._layout.field_at(x, y)
        if field is not None:
            return Selection.edge(0, *field)
        edge = self._layout.edge_at(x, y, self._edges, HIT_TOLERANCE / zoom)
        if edge is not None:
            return Selection.edge(*edge)
        layer = self._layout.layer_at(x, y)
        return None if layer is None else Selection.whole_layer(layer)

    def _neuron_sums(self) -> list[np.ndarray]:
        """Each neuron's z in the current trace (a maxout neuron's is its winning piece's sum)."""
        assert self._network is not None, "a trace is of a network"
        assert self._trace is not None, "called with a trace"
        acts = [None, *self._network.activations]
        return [
            np.ravel(z if f is None else f.neuron_sums(z)) for z, f in zip(self._trace.z, acts, strict=True)
        ]

    @property
    def names(self) -> Names:
        assert self._network is not None, "names are of a network's neurons"
        return Names(self._network.sizes, self.naming_scheme)

    def describe(self, item: Selection) -> str:
        """Tooltip text: the numbers behind a neuron, an edge or a layer."""
        net = self._network
        assert net is not None, "items are found on a network"
        names = self.names
        if item.kind == "edge":
            j, i = item.ends()
            w = float(net.weights[item.layer][j, i])
            column = net.weights[item.layer][:, i]  # the edge's weight in every maxout piece
            return f"{names.describe_weight(item.layer + 1, j, i)} = {w:.6g}" + _pieces_note(
                net, item.layer, j, column, "weights"
            )
        if item.kind == "layer":
            act = "" if item.layer == 0 else f", {net.activations[item.layer - 1].name}"
            return f"{names.layer_name(item.layer)}: {net.sizes[item.layer]} neurons{act}"
        assert item.index is not None, "a neuron selection has its index"
        lines = [names.describe_neuron(item.layer, item.index)]
        if item.layer == len(net.sizes) - 1 and self._output_names is not None and self._names_fit():
            lines.append(f"class {self._output_names[item.index]}")
        if self._trace is not None:
            z = float(self._neuron_sums()[item.layer][item.index])
            a = float(np.ravel(self._trace.a[item.layer])[item.index])
            lines += [f"a = {a:.6g}"] if item.layer == 0 else [f"z = {z:.6g}", f"a = {a:.6g}"]
        if item.layer > 0:
            lines.append(f"bias = {float(net.biases[item.layer - 1][item.index]):.6g}")
            lines[-1] += _pieces_note(net, item.layer - 1, item.index, net.biases[item.layer - 1], "biases")
        note = None if self.health is None else unit_note(self.health, item.layer, item.index)
        if note is not None:
            lines.append(note)
        return "\n".join(lines)

    def readout_at(self, pos: QPointF) -> int | None:
        """The layer gap whose gradient readout is under a widget position."""
        if self.health is None or self.health.gradients is None or self._layout is None:
            return None
        for k, rect in enumerate(readout_rects(self._layout, self.view_transform, self.height())):
            if rect.contains(pos):
                return k
        return None

    # -- events -----------------------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self._follow_system()
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = QPointF(event.pos())
            gap, item = self.readout_at(pos), self.item_at(pos)
            if gap is not None and self.health is not None:
                QToolTip.showText(event.globalPos(), gradient_note(self.health, gap), self)
            elif item is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(item), self)
            return True
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):  # touchpad pinch
            self._zoom_at(event.position(), 1.0 + event.value())
            return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._follow_system()
        super().changeEvent(event)

    def _system_palette(self, scale: float) -> CanvasPalette:
        """The palette of the system's colours, at `scale` and this widget's device pixel ratio."""
        palette = CanvasPalette.from_system(self.palette())
        return replace(palette, scale=scale, pixel_ratio=self.devicePixelRatioF())

    def _follow_system(self) -> None:
        """Take up a new system palette or device pixel ratio (the window moved to a 200 % screen)."""
        palette = self._system_palette(self._palette.scale)
        if palette != self._palette:
            self._palette = palette
            self._request_edges()
            self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        old, new = event.oldSize(), event.size()
        if old.width() > 0 and old.height() > 0:
            # The layout fits the widget, so the pan scales with it: the same part of the network stays in
            # view (a view restored from a file before the window reached its final size stays right too).
            zoom, dx, dy = self._view
            self._set_view((zoom, dx * new.width() / old.width(), dy * new.height() / old.height()))
        if self._network is not None:
            self._relayout(same_structure=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._render_timer.stop()
        self._renderer.shutdown()
        super().closeEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        self._press, self._panning = pos, False
        modifiers = event.modifiers() & (
            Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier
        )
        if modifiers and self._network is not None:
            item = self.item_at(pos)
            if item is not None and item.kind == "edge":
                j, i = item.ends()
                value = float(self._network.weights[item.layer][j, i])
                self._drag = (item.layer, j, i, value, value)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None:
            super().mouseMoveEvent(event)
            return
        pos = event.position()
        if self._drag is not None:
            assert self._network is not None, "a weight is dragged on a network"
            k, j, i, old, _ = self._drag
            peak = max(float(np.max(np.abs(self._network.weights[k]))), 0.5)
            value = old + (self._press.y() - pos.y()) * peak / DRAG_PIXELS_PER_PEAK
            self._drag = (k, j, i, old, value)
            self.weight_dragged.emit(k, j, i, value)
            self.update()
            return
        delta = pos - self._press
        if self._panning or abs(delta.x()) + abs(delta.y()) > CLICK_SLOP:
            self._panning = True
            zoom, dx, dy = self._view
            self._press = pos
            self._set_view((zoom, dx + delta.x(), dy + delta.y()))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        if self._drag is not None:
            k, j, i, old, value = self._drag
            self._drag = None
            self.weight_drag_finished.emit(k, j, i, old, value)
        elif not self._panning:
            self.selection_requested.emit(self.item_at(event.position()))
        self._press, self._panning = None, False
        self.update()

    def mouseDoubleClickEvent(self, _event: QMouseEvent) -> None:
        self.fit_to_window()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Home:
            self.fit_to_window()
        elif event.key() in ARROWS and self._network is not None:  # nnviz.app.canvas.keyboard_nav
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            sizes = self._network.sizes
            self.selection_requested.emit(next_selection(self._selection, sizes, Qt.Key(event.key()), shift))
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selection is not None:
            self.edit_requested.emit()
        else:
            super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if not steps:
            return
        self._zoom_at(event.position(), 1.2**steps)

    def _zoom_at(self, at: QPointF, factor: float) -> None:
        """Zoom by `factor`, keeping the layout point under `at` where it is."""
        zoom, dx, dy = self._view
        new_zoom = float(np.clip(zoom * factor, *ZOOM_RANGE))
        factor = new_zoom / zoom
        self._set_view((new_zoom, at.x() - (at.x() - dx) * factor, at.y() - (at.y() - dy) * factor))


def _pieces_note(net: Network, k: int, j: int, values: np.ndarray, what: str) -> str:
    """For a maxout neuron, the values of all its pieces (the canvas and the number above show piece 1)."""
    pieces = net.activations[k].pieces
    if pieces == 1:
        return ""
    n = net.sizes[k + 1]
    shown = ", ".join(f"{float(v):.4g}" for v in values[j::n])
    return f"\nmaxout: the {what} of its {pieces} pieces are {shown} (piece 1 is drawn)"
