"""A training run replayed as an animation: one frame per checkpoint, written as an animated GIF or an MP4.

Each frame is the network as the canvas draws it (the same painting functions as `nnviz render`), beside
the run's loss curve up to that epoch and, for a network of 2 inputs whose data can be read, its decision
map over the data. GIF is encoded by Pillow (an adaptive palette per frame keeps the weight colours true),
MP4 by PyAV, whose wheels carry FFmpeg's libraries with them, so no system FFmpeg is needed.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.app.files.render import ensure_gui_app, image_shape_of, paint_network
from nnviz.core.atomic_file import WriteError, atomic_write, output_path
from nnviz.core.datasets.base import Dataset
from nnviz.core.document import Project
from nnviz.core.runs import Run, history_values

FORMATS = (".gif", ".mp4")
MIN_SIZE, MAX_SIZE = 160, 4096
MAX_FPS = 60
MAP_RESOLUTION = 96


class ReplayError(ValueError):
    """A replay that cannot be made: no runs, an unknown run, a bad size or format, a missing encoder."""


def choose_run(project: Project, name: str | None) -> Run:
    """The run called `name`, else the project's last run."""
    if not project.runs:
        raise ReplayError("the project has no training runs to replay: train it first (nnviz train, or Play)")
    if name is None:
        return project.runs[-1]
    for run in project.runs:
        if run.name == name:
            return run
    known = ", ".join(repr(r.name) for r in project.runs)
    raise ReplayError(f"no run named {name!r}; the project has {known}")


def replay_to_file(
    project: Project,
    run: Run,
    out_path: str | os.PathLike,
    fps: int = 5,
    width: int = 960,
    height: int = 540,
    data: Any = None,
    on_frame: Callable[[int, int], bool] | None = None,
) -> int:
    """Write the run as OUT.gif or OUT.mp4; `data` (a Dataset) adds the decision map of a 2-input network.
    `on_frame(done, total)` follows each frame and may return False to cancel (nothing is written then).
    Returns the number of frames written."""
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ReplayError(f"cannot replay to {path.name!r}: the file name must end in .gif or .mp4")
    for name, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_SIZE <= value <= MAX_SIZE:
            raise ReplayError(f"{name} must be a whole number of pixels from {MIN_SIZE} to {MAX_SIZE}")
    if isinstance(fps, bool) or not isinstance(fps, int) or not 1 <= fps <= MAX_FPS:
        raise ReplayError(f"fps must be a whole number from 1 to {MAX_FPS}")
    if not run.checkpoints:
        raise ReplayError(f"{run.name} has no checkpoints to replay")
    try:
        output_path(path)
    except WriteError as e:
        raise ReplayError(str(e)) from None
    if suffix == ".mp4":  # the encoder wants even sizes
        width, height = width - width % 2, height - height % 2
    encoder = _Gif(fps) if suffix == ".gif" else _Mp4(fps, width, height)
    ensure_gui_app()
    painter = FramePainter(project, run, width, height, data)
    total = len(run.checkpoints)
    for index in range(total):
        encoder.add(painter.frame(index))
        if on_frame is not None and on_frame(index + 1, total) is False:
            return 0
    atomic_write(path, encoder.write)
    return total


class FramePainter:
    """Draws frame `index` of a run: network, loss curve, decision map."""

    def __init__(
        self, project: Project, run: Run, width: int, height: int, data: Dataset | None = None
    ) -> None:
        self.project, self.run, self.width, self.height = project, run, width, height
        first = run.network_at(0)
        self.image_shape = image_shape_of(project, first)
        self.data = data if first.sizes[0] == 2 and data is not None and data.x.shape[1] == 2 else None
        epochs = np.asarray(run.history.get("epoch", []), dtype=float)
        losses = history_values(run, "loss")
        keep = np.isfinite(losses) & np.isfinite(epochs) if len(epochs) == len(losses) else np.zeros(0, bool)
        self.epochs, self.losses = epochs[keep], losses[keep]

    def frame(self, index: int) -> np.ndarray:
        """Frame `index` as an (height, width, 3) uint8 RGB array."""
        from PySide6.QtCore import QRectF, Qt
        from PySide6.QtGui import QColor, QFont, QImage, QPainter

        network = self.run.network_at(index)
        epoch = self.run.checkpoints[index].epoch
        image = QImage(self.width, self.height, QImage.Format.Format_RGB888)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            side = int(self.width * 0.36)
            net_width = self.width - side
            painter.save()
            paint_network(painter, network, self.image_shape, None, net_width, self.height)
            painter.restore()
            font = QFont()
            font.setPixelSize(max(12, self.height // 30))
            painter.setFont(font)
            painter.setPen(QColor(40, 40, 40))
            title = f"{self.run.name} · epoch {epoch}"
            painter.drawText(QRectF(net_width, 8, side - 8, 40), Qt.AlignmentFlag.AlignRight, title)
            half = (self.height - 56) // 2
            if self.data is not None:
                self._map(painter, network, QRectF(net_width + 8, 48, side - 16, half - 8))
                curve = QRectF(net_width + 8, 56 + half, side - 16, half - 8)
            else:
                curve = QRectF(net_width + 8, 48, side - 16, self.height - 64)
            self._curve(painter, curve, epoch)
        finally:
            painter.end()
        array = np.frombuffer(image.constBits(), np.uint8).reshape(self.height, image.bytesPerLine())
        return array[:, : 3 * self.width].reshape(self.height, self.width, 3).copy()

    def _curve(self, painter, rect, epoch: int) -> None:
        """The run's loss (log scale) up to `epoch`, the rest faint, axes labelled."""
        from PySide6.QtCore import QPointF, Qt
        from PySide6.QtGui import QColor, QPen, QPolygonF

        painter.setPen(QColor(120, 120, 120))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
        label = rect.adjusted(4, 2, -4, -2)
        painter.drawText(label, Qt.AlignmentFlag.AlignLeft, "loss (log scale)")
        painter.drawText(label, Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignRight, "epoch")
        positive = self.losses > 0
        if positive.sum() < 2:
            return
        x, y = self.epochs[positive], np.log10(self.losses[positive])
        x0, x1 = x.min(), max(x.max(), x.min() + 1)
        y0, y1 = y.min(), max(y.max(), y.min() + 1e-9)
        inner = rect.adjusted(8, 22, -8, -22)

        def points(xs, ys):
            px = inner.left() + (xs - x0) / (x1 - x0) * inner.width()
            py = inner.bottom() - (ys - y0) / (y1 - y0) * inner.height()
            return QPolygonF([QPointF(a, b) for a, b in zip(px.tolist(), py.tolist(), strict=True)])

        painter.setPen(QPen(QColor(200, 200, 200), 1.5))
        painter.drawPolyline(points(x, y))
        done = x <= epoch
        if done.sum() >= 2:
            painter.setPen(QPen(QColor(8, 119, 189), 2.5))
            painter.drawPolyline(points(x[done], y[done]))

    def _map(self, painter, network, rect) -> None:
        """The decision map over the data's plane, the data points on top."""
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QColor, QImage

        from nnviz.app.plots.colours import (
            class_colour,
            class_probabilities,
            diverging_colours,
            probability_colours,
        )
        from nnviz.app.plots.decision_map import plane_bounds, plane_grid

        assert self.data is not None, "the map is drawn for two-feature data only"
        bounds = plane_bounds(self.data.x)
        grid = plane_grid(bounds, MAP_RESOLUTION)
        scaler = self.project.scaler
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = network.forward(grid if scaler is None else scaler.transform(grid))
        if self.data.task == "classification":
            rgba = probability_colours(class_probabilities(outputs))
        else:
            rgba = diverging_colours(outputs[:, 0])
        rgba = np.ascontiguousarray(rgba.reshape(MAP_RESOLUTION, MAP_RESOLUTION, 4)[::-1])
        image = QImage(
            rgba.data, MAP_RESOLUTION, MAP_RESOLUTION, 4 * MAP_RESOLUTION, QImage.Format.Format_RGBA8888
        )
        side = min(rect.width(), rect.height())
        square = QRectF(rect.left() + (rect.width() - side) / 2, rect.top(), side, side)
        painter.drawImage(square, image)
        x0, x1, y0, y1 = bounds
        rows = np.linspace(0, len(self.data.x) - 1, min(len(self.data.x), 600)).astype(int)
        for row in rows.tolist():
            px = square.left() + (self.data.x[row, 0] - x0) / (x1 - x0) * side
            py = square.bottom() - (self.data.x[row, 1] - y0) / (y1 - y0) * side
            label = self.data.y[row]
            colour = (
                class_colour(int(np.ravel(label)[0])) if self.data.task == "classification" else (60, 60, 60)
            )
            painter.setBrush(QColor(*colour))
            painter.setPen(QColor("white"))
            painter.drawEllipse(QRectF(px - 2.5, py - 2.5, 5, 5))


class _Gif:
    """Frames into an animated GIF with Pillow: an adaptive palette per frame, looping forever."""

    def __init__(self, fps: int) -> None:
        try:
            from PIL import Image
        except ImportError:
            raise ReplayError("GIF replays need Pillow: pip install pillow") from None
        self._image = Image
        self.duration = round(1000 / fps)
        self.frames: list[Any] = []

    def add(self, rgb: np.ndarray) -> None:
        self.frames.append(
            self._image.fromarray(rgb, "RGB").quantize(colors=255, dither=self._image.Dither.NONE)
        )

    def write(self, f) -> None:
        first, *rest = self.frames
        first.save(f, format="GIF", save_all=True, append_images=rest, duration=self.duration, loop=0)


class _Mp4:
    """Frames into an H.264 MP4 with PyAV (FFmpeg inside its wheel)."""

    def __init__(self, fps: int, width: int, height: int) -> None:
        try:
            import av
        except ImportError:
            raise ReplayError("MP4 replays need PyAV: pip install av") from None
        self._av = av
        self.buffer = io.BytesIO()
        self.container = av.open(self.buffer, "w", format="mp4")
        self.stream = self.container.add_stream("libx264", rate=fps)
        self.stream.width, self.stream.height, self.stream.pix_fmt = width, height, "yuv420p"

    def add(self, rgb: np.ndarray) -> None:
        frame = self._av.VideoFrame.from_ndarray(rgb, format="rgb24")
        for packet in self.stream.encode(frame):
            self.container.mux(packet)

    def write(self, f) -> None:
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.container.close()
        f.write(self.buffer.getvalue())
