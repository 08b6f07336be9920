"""One class-colour mapping in every view: class k looks the same in the data preview, the painter, the
decision map (points and regions), the confusion matrix and the canvas's signed scale."""

import numpy as np
from PySide6.QtGui import QColor

from nnviz.app.canvas.palette import CanvasPalette
from nnviz.app.panels.data_painter import DataPainter
from nnviz.app.panels.data_preview import DataPreview
from nnviz.app.plots.colours import MAX_TINT, WHITE, class_colour, class_hex
from nnviz.app.plots.confusion_matrix import ConfusionGrid
from nnviz.app.plots.decision_map import DecisionMap
from nnviz.core.datasets.base import Dataset
from nnviz.core.network import Network

CLASSES = 4
X = np.array([[-0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [0.5, -0.5]])
Y = np.arange(CLASSES)


def _rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def test_every_view_colours_class_k_alike(qtbot):
    expected = [class_colour(k) for k in range(CLASSES)]

    preview = DataPreview()
    qtbot.addWidget(preview)
    preview.show_data(Dataset(X, Y, "classification", ["x1", "x2"], name="points"))
    assert [_rgb(p.brush().color()) for p in preview.scatter.points()] == expected

    painter = DataPainter()
    qtbot.addWidget(painter)
    painter.resize(400, 460)
    painter.classes.setValue(CLASSES)
    for k in range(CLASSES):
        painter.canvas.add_point(X[k], k)
    image = painter.canvas.grab().toImage()
    painted = [_rgb(image.pixelColor(painter.canvas.to_pixel(xy).toPoint())) for xy in X]
    assert painted == expected

    decision = DecisionMap()
    qtbot.addWidget(decision)
    decision.set_data(X, Y, "classification")
    assert [_rgb(p.brush().color()) for p in decision.train_points.points()] == expected
    # regions: a network certain of class k everywhere tints the map towards class k's colour
    for k in range(CLASSES):
        biases = np.full(CLASSES, -20.0)
        biases[k] = 20.0
        net = Network([np.zeros((CLASSES, 2))], [biases], ["softmax"])
        decision.set_network(net)
        pixel = decision.image.image[0, 0, :3].astype(float)
        assert np.allclose(pixel, WHITE + (np.array(expected[k]) - WHITE) * MAX_TINT, atol=1)

    grid = ConfusionGrid()
    qtbot.addWidget(grid)
    grid.resize(320, 320)
    grid.set_counts(np.eye(CLASSES, dtype=np.int64) * 5, [str(k) for k in range(CLASSES)])
    image = grid.grab().toImage()
    for along in ("row", "column"):
        swatches = [_rgb(image.pixelColor(grid.swatch_rect(k, along).center())) for k in range(CLASSES)]
        assert swatches == expected

    light = CanvasPalette.light()  # the canvas's signed scale: negative is class 0's side, positive class 1's
    assert (light.negative, light.positive) == (expected[0], expected[1])


def test_on_the_dark_canvas_the_class_hues_stay(qtbot):
    dark = CanvasPalette.dark_scheme()
    for side, k in (("negative", 0), ("positive", 1)):
        hue = QColor(*getattr(dark, side)).hue()
        assert abs(hue - QColor(*class_colour(k)).hue()) <= 3


def test_the_decision_map_has_a_legend_for_its_colour_scale(qtbot):
    decision = DecisionMap()
    qtbot.addWidget(decision)
    decision.set_data(X, Y, "classification", class_names=["rose", "lotus"])
    key = decision.key.text()
    for k, name in enumerate(["rose", "lotus", "2", "3"]):
        assert f"color:{class_hex(k)}" in key
        assert name in key
    decision.set_data(X, np.array([-2.0, 0.0, 1.0, 0.5]), "regression")
    key = decision.key.text()
    assert f"color:{class_hex(0)}" in key
    assert f"color:{class_hex(1)}" in key
    assert "2" in key  # the scale's ends, ±2


def test_neuron_maps_and_output_bars_use_the_same_class_sides(qtbot, session):
    """An output sure of class 1 everywhere: its map in the canvas circle and in the Neuron maps dock is
    class 1's colour; class k's bar in the output panel is class k's colour."""
    from nnviz.app.canvas.neuron_maps import MAP_RESOLUTION, NeuronMapCache
    from nnviz.app.panels.output_panel import OutputPanel
    from nnviz.app.plots.decision_map import NeuronMaps
    from nnviz.core.feature_plane import plane_grid

    net = Network([np.zeros((2, 2)), np.zeros((1, 2))], [np.array([9.0, -9.0]), np.array([20.0])],
                  ["tanh", "sigmoid"])  # fmt: skip
    cache = NeuronMapCache()
    cache.set_inputs(plane_grid((-1, 1, -1, 1), MAP_RESOLUTION))
    light = CanvasPalette.light()
    brushes = cache.brushes(net, light)
    output = brushes[2][0].textureImage().pixelColor(3, 3)
    assert _rgb(output) == class_colour(1)
    hidden = [_rgb(b.textureImage().pixelColor(3, 3)) for b in brushes[1]]
    assert hidden == [class_colour(1), class_colour(0)]  # tanh +1 and −1: the two ends of the same scale

    dock = NeuronMaps()
    qtbot.addWidget(dock)
    dock.set_plane((-1.0, 1.0, -1.0, 1.0))
    dock.set_network(net)
    tinted = [item.image[0, 0, :3].astype(float) for item in dock.images[0]]
    for pixel, k in zip(tinted, (1, 0), strict=True):
        assert np.allclose(pixel, WHITE + (np.array(class_colour(k)) - WHITE) * MAX_TINT, atol=1)

    panel = OutputPanel(session)  # the classic example: two outputs, no class names
    qtbot.addWidget(panel)
    assert panel.bars.opts["brushes"][0].color().name() == QColor(*class_colour(1)).name()
    session.set_project(_two_class_project())
    assert [b.color().name() for b in panel.bars.opts["brushes"]] == [class_hex(0), class_hex(1)]


def _two_class_project():
    from nnviz.core.dataset_ref import inline_reference
    from nnviz.core.document import Project

    data = Dataset(X, np.array([0, 1, 0, 1]), "classification", ["x1", "x2"], class_names=["a", "b"])
    net = Network.create([2, 3, 2], "tanh", "softmax", seed=0)
    return Project(network=net, dataset=inline_reference(data))
