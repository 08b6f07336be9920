"""`nnviz render`: the canvas drawn headless into a PNG or SVG file, for figures and slides.

It paints with the very functions the canvas uses (the edge layer, then the overlay), at the requested size
with the light palette. Qt needs a QGuiApplication for fonts; without a display it runs offscreen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from nnviz.core.atomic_file import WriteError, atomic_write_bytes, output_path
from nnviz.core.network import Network

MIN_SIZE, MAX_SIZE = 64, 16384
FORMATS = (".png", ".svg")


class RenderError(ValueError):
    """A render that cannot be done: bad size, unknown format, unwritable file."""


def ensure_gui_app() -> None:
    """A QGuiApplication for headless drawing: offscreen whatever the display (a DISPLAY that cannot be
    reached aborted the process), unless the user chose a platform; Qt's own warnings stay off stderr, where
    a command prints its result or one error line (NNVIZ_DEBUG=1 shows them)."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        if not os.environ.get("NNVIZ_DEBUG"):
            qInstallMessageHandler(_quiet_qt)
        QGuiApplication(["nnviz-render"])


def _quiet_qt(kind, _context, message: str) -> None:
    from PySide6.QtCore import QtMsgType

    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        print(message, file=sys.stderr)


def image_shape_of(project: object, network: Network) -> tuple[int, int] | None:
    """The input's image shape from the project's dataset section, else guessed from a square input."""
    from nnviz.app.canvas.layout import guess_image_shape

    dataset = getattr(project, "dataset", None) or {}
    shape = dataset.get("image_shape") if isinstance(dataset, dict) else None
    if (
        isinstance(shape, list | tuple)
        and len(shape) == 2
        and all(type(n) is int and n > 0 for n in shape)  # not [-1, -2], 2.5 or true
        and shape[0] * shape[1] == network.sizes[0]
    ):
        return shape[0], shape[1]
    return guess_image_shape(network.sizes[0])


def output_names_of(project: object, network: Network) -> list[str] | None:
    """The class names of the project's data when they name every output neuron (as the window shows them)."""
    dataset = getattr(project, "dataset", None) or {}
    names = dataset.get("class_names") if isinstance(dataset, dict) else None
    if isinstance(names, list) and len(names) == network.sizes[-1] and all(isinstance(n, str) for n in names):
        return names
    return None


def render_to_file(
    project_or_network: object,
    out_path: str | os.PathLike,
    width: int = 1600,
    height: int = 1000,
    inputs: np.ndarray | None = None,
) -> Path:
    """Draw the network (a Network, or a Project's network) into `out_path` (.png or .svg).

    With `inputs` (one sample), neurons are filled with that sample's activations.
    """
    network = getattr(project_or_network, "network", project_or_network)
    if not isinstance(network, Network):
        raise RenderError("render needs a network or a project")
    path = _image_path(out_path)
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_SIZE <= value <= MAX_SIZE:
            raise RenderError(
                f"{name} must be a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}, got {value!r}"
            )
    trace = None if inputs is None else network.trace(np.asarray(inputs, dtype=float).reshape(1, -1))
    ensure_gui_app()
    look = image_shape_of(project_or_network, network), output_names_of(project_or_network, network)
    if path.suffix.lower() == ".png":
        _render_png(network, look, trace, path, width, height)
    else:
        _render_svg(network, look, trace, path, width, height)
    return path


def save_canvas(canvas, out_path: str | os.PathLike) -> Path:
    """The window's canvas as drawn (its zoom, pan, palette, sample, selection and step) into a PNG (its
    pixels) or an SVG (the same drawing as vectors)."""
    path = _image_path(out_path)
    if path.suffix.lower() == ".png":
        atomic_write_bytes(path, _png_bytes(canvas.grab()))
    else:
        _write_svg(path, canvas.width(), canvas.height(), canvas.paint_as_drawn)
    return path


def _image_path(out_path: str | os.PathLike) -> Path:
    """The output path, checked before anything is drawn: its suffix, its folder, no device or FIFO."""
    path = Path(out_path)
    if path.suffix.lower() not in FORMATS:
        raise RenderError(f"cannot render to {path.name!r}: the file name must end in .png or .svg")
    try:
        output_path(path)
    except WriteError as e:
        raise RenderError(str(e)) from None
    return path


def paint_network(painter, network, image_shape, trace, width, height, output_names=None) -> None:
    from PySide6.QtGui import QTransform

    from nnviz.app.canvas.edge_layer import EdgeScene, paint_edges
    from nnviz.app.canvas.layout import Layout, visible_edges
    from nnviz.app.canvas.overlay import OverlayState, output_names_width, paint_overlay
    from nnviz.app.canvas.palette import CanvasPalette

    palette = CanvasPalette.light()
    room = 0.0 if output_names is None else output_names_width(output_names, painter.font())
    layout = Layout(network.sizes, width, height, image_shape, right_room=room)
    edges = visible_edges(network.edge_weights, image_shape is not None)
    painter.fillRect(0, 0, width, height, palette.qcolor("background"))
    paint_edges(painter, EdgeScene(layout, network.edge_weights, edges, palette, size=(width, height)))
    activations = None if trace is None else [np.ravel(a) for a in trace.a]
    state = OverlayState(
        layout, network, palette, QTransform(), edges, activations=activations, output_names=output_names
    )
    paint_overlay(painter, state)


def _render_png(network, look, trace, path: Path, width: int, height: int) -> None:
    """`look`: the input's image shape and the output class names, as `paint_network` takes them."""
    from PySide6.QtGui import QImage

    from nnviz.app.painting import painting

    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    with painting(image) as painter:
        paint_network(painter, network, look[0], trace, width, height, look[1])
    atomic_write_bytes(path, _png_bytes(image))


def _png_bytes(image) -> bytes:
    """A QImage or QPixmap encoded as PNG in memory, so the file is written atomically."""
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RenderError("cannot encode the image as PNG")
    return bytes(buffer.data().data())


def _render_svg(network, look, trace, path: Path, width: int, height: int) -> None:
    def paint(painter) -> None:
        paint_network(painter, network, look[0], trace, width, height, look[1])

    _write_svg(path, width, height, paint)


def _write_svg(path: Path, width: int, height: int, paint) -> None:
    """An SVG file of `width` x `height` drawn by `paint(painter)`."""
    from PySide6.QtCore import QBuffer, QIODevice, QRect, QSize
    from PySide6.QtSvg import QSvgGenerator

    from nnviz.app.painting import PaintError, painting

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(width, height))
    generator.setViewBox(QRect(0, 0, width, height))
    generator.setTitle("nnviz network")
    try:
        with painting(generator) as painter:
            paint(painter)
    except PaintError:
        raise RenderError(f"cannot draw an SVG for {path}") from None
    atomic_write_bytes(path, bytes(buffer.data().data()))
