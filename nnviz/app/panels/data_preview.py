"""A look at the data before training: a scatter of 2-D points coloured by class (at most MAX_POINTS, evenly
spread), or a grid of the first 64 images, each saying how much of the data it shows. Anything else (more
features, no image shape) gets no picture, only the panel's counts."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from nnviz.app.plots.axis_range import within_reach
from nnviz.app.plots.colours import class_colour
from nnviz.core.datasets.base import Dataset

#: images shown in the grid (8 × 8), and the most points drawn in the scatter (an even subsample beyond)
GRID_IMAGES = 64
MAX_POINTS = 5000


def image_grid(data: Dataset, count: int = GRID_IMAGES) -> np.ndarray:
    """The first `count` images tiled 8 to a row with a 1-pixel gap, as uint8: pixels in 0..1 keep their
    brightness (so a faint digit looks faint); a wider range is stretched to fit."""
    if data.image_shape is None:
        raise ValueError(f"{data.name}: not a set of images")
    h, w = data.image_shape
    images = within_reach(data.x[:count]).reshape(-1, h, w)  # ±1e308 pixels: a finite stretch
    lo, hi = float(images.min(initial=0.0)), float(images.max(initial=1.0))
    scaled = (images - lo) / (hi - lo if hi > lo else 1.0) * 255
    cols = min(8, len(images))
    rows = -(-len(images) // cols)
    grid = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), 255, dtype=np.uint8)
    for n, image in enumerate(scaled):
        r, c = divmod(n, cols)
        grid[r * (h + 1) : r * (h + 1) + h, c * (w + 1) : c * (w + 1) + w] = image.astype(np.uint8)
    return grid


class DataPreview(QStackedWidget):
    """Page 0: nothing to show; 1: the scatter; 2: the image grid. `show_data` picks the page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(180)
        self.none_label = QLabel("no preview: the data is neither 2-D points nor images")
        self.none_label.setWordWrap(True)
        self.none_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot = pg.PlotWidget()
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.scatter = pg.ScatterPlotItem(size=5, pen=pg.mkPen("#333333", width=0.5))
        self.plot.addItem(self.scatter)
        self.images = QLabel()
        self.images.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # what each picture holds of the data: a large set is shown in part, and the view says which part
        self.scatter_note, self.grid_note = QLabel(), QLabel()
        self.addWidget(self.none_label)
        self.addWidget(_with_note(self.plot, self.scatter_note))
        self.addWidget(_with_note(self.images, self.grid_note))
        self._grid: np.ndarray | None = None

    @property
    def note(self) -> str:
        """The shown page's note on how much of the data it shows ("" on the page without a picture)."""
        return {1: self.scatter_note, 2: self.grid_note}.get(self.currentIndex(), QLabel()).text()

    def show_data(self, data: Dataset | None) -> None:
        if data is not None and len(data) and data.image_shape is not None:
            self._grid = image_grid(data)
            g = self._grid
            image = QImage(g.data, g.shape[1], g.shape[0], g.strides[0], QImage.Format.Format_Grayscale8)
            pixmap = QPixmap.fromImage(image.copy())
            self.images.setPixmap(pixmap.scaled(pixmap.size() * max(1, 200 // max(g.shape))))
            shown = min(len(data), GRID_IMAGES)
            self.grid_note.setText(
                f"The first {shown:,} of {len(data):,} images."
                if shown < len(data)
                else f"All {shown:,} images."
            )
            self.setCurrentIndex(2)
        elif data is not None and len(data) and data.n_features == 2:
            step = max(1, len(data) // MAX_POINTS)
            x = within_reach(data.x[::step])  # ±1e308 features: a range pyqtgraph can measure
            self.scatter_note.setText(
                f"Showing {len(x):,} of {len(data):,} points, evenly spread."
                if step > 1
                else f"All {len(x):,} points."
            )
            if data.task == "classification":
                labels = np.asarray(data.y, dtype=np.int64).reshape(-1)[::step]
                palette = [pg.mkBrush(*class_colour(c)) for c in range(int(labels.max(initial=0)) + 1)]
                brushes = [palette[c] for c in labels]
            else:
                brushes = [pg.mkBrush(*class_colour(1))] * len(x)
            self.scatter.setData(x=x[:, 0], y=x[:, 1], brush=brushes)
            self.plot.autoRange()
            self.setCurrentIndex(1)
        else:
            self.scatter.setData(x=[], y=[])
            self.setCurrentIndex(0)


def _with_note(view: QWidget, note: QLabel) -> QWidget:
    """A page of `view` with a one-line `note` under it."""
    note.setWordWrap(True)
    page = QWidget()
    box = QVBoxLayout(page)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(view, 1)
    box.addWidget(note)
    return page
