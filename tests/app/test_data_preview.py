"""The data panel's preview: 2-D points as a scatter coloured by class, images as a grid of the first 64,
nothing for other data; the panel's painter button reaches the painter and its data comes back."""

import numpy as np
from PySide6.QtCore import QPoint, Qt

from nnviz.app.panels.data_painter import class_color
from nnviz.app.panels.data_preview import DataPreview, image_grid
from nnviz.app.panels.dataset_panel import DatasetPanel
from nnviz.core.datasets.base import Dataset


def test_two_feature_classes_show_as_coloured_scatter(qtbot, session):
    panel = DatasetPanel(session, confirm=lambda: True)
    qtbot.addWidget(panel)
    panel.choice.setCurrentText("xor")
    panel.use_builtin()
    data = session.dataset
    assert panel.preview.currentIndex() == 1
    points = panel.preview.scatter.points()
    assert len(points) == len(data)
    first = int(data.y.reshape(-1)[0])
    assert points[0].brush().color().name() == class_color(first).name()
    assert {p.brush().color().name() for p in points} == {class_color(c).name() for c in range(2)}


def test_images_show_as_grid_of_first_64(qtbot):
    preview = DataPreview()
    qtbot.addWidget(preview)
    x = np.random.default_rng(0).uniform(size=(100, 64))
    data = Dataset(x, np.arange(100) % 10, "classification", image_shape=(8, 8))
    grid = image_grid(data)
    assert grid.shape == (8 * 9 - 1, 8 * 9 - 1)
    # pixels in 0..1 keep their absolute brightness (0 black, 1 white)
    np.testing.assert_allclose(grid[:8, :8], x[0].reshape(8, 8) * 255, atol=1)
    preview.show_data(data)
    assert preview.currentIndex() == 2
    assert not preview.images.pixmap().isNull()


def test_other_data_has_no_picture(qtbot):
    preview = DataPreview()
    qtbot.addWidget(preview)
    preview.show_data(Dataset(np.zeros((5, 3)), np.zeros(5, dtype=int), "classification"))
    assert preview.currentIndex() == 0
    preview.show_data(None)
    assert preview.currentIndex() == 0


def test_painted_data_comes_back_to_the_panel(qtbot, session):
    panel = DatasetPanel(session, confirm=lambda: True)
    qtbot.addWidget(panel)
    qtbot.mouseClick(panel.paint_button, Qt.MouseButton.LeftButton)
    painter = panel.painter
    qtbot.waitExposed(painter)
    for i in range(6):
        painter.current.setValue(i % 2)
        qtbot.mouseClick(painter.canvas, Qt.MouseButton.LeftButton, pos=QPoint(60 + 20 * i, 100 + 10 * i))
    painter.use_button.click()
    assert len(session.dataset) == 6
    assert panel.preview.currentIndex() == 1
    assert len(panel.preview.scatter.points()) == 6
    assert "0: 3, 1: 3" in panel.summary.text()


def test_a_large_set_is_shown_in_part_and_the_preview_says_which_part(qtbot):
    preview = DataPreview()
    qtbot.addWidget(preview)
    rng = np.random.default_rng(0)
    preview.show_data(Dataset(rng.normal(size=(60_000, 2)), rng.integers(0, 2, 60_000), "classification"))
    assert len(preview.scatter.points()) == 5_000
    assert preview.note == "Showing 5,000 of 60,000 points, evenly spread."
    preview.show_data(Dataset(rng.normal(size=(300, 2)), rng.integers(0, 2, 300), "classification"))
    assert preview.note == "All 300 points."
    images = Dataset(rng.uniform(size=(1000, 64)), np.arange(1000) % 10, "classification", image_shape=(8, 8))
    preview.show_data(images)
    assert preview.note == "The first 64 of 1,000 images."
    preview.show_data(Dataset(np.zeros((5, 3)), np.zeros(5, dtype=int), "classification"))
    assert preview.note == ""
