"""The window's architecture dock and File ▸ Export: edits saved, reopened, and exported files readable."""

import numpy as np
import pytest
from PySide6.QtWidgets import QDockWidget, QMessageBox

from nnviz.app.edits import architecture as commands
from nnviz.core.document import load_project


def test_export_menu_sits_in_the_file_menu(window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions() if a.menu()}
    assert window.project_ui.export_menu.menuAction() in menus["File"].actions()
    assert window.findChild(QDockWidget, "architecture").toggleViewAction() in menus["View"].actions()


def test_architecture_edit_saved_and_reopened(window, session, tmp_path):
    commands.insert_hidden_layer(session, 1, 3, "relu")
    assert "*" in window.windowTitle() or window.isWindowModified()
    path = str(tmp_path / "edited.nnviz")
    assert window._write(path)
    saved = session.network.copy()
    commands.add_neuron(session, 1)
    assert window.load(path)
    assert session.network.sizes == saved.sizes
    for w, v in zip(session.network.weights, saved.weights, strict=True):
        np.testing.assert_array_equal(w, v)
    assert load_project(path).network.describe() == saved.describe()


def test_exported_onnx_runs_like_the_window_network(window, session, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    path = str(tmp_path / "m.onnx")
    assert window.project_ui.export_to(2, path)
    run = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = np.array([[0.2, -0.7], [1.0, 0.5]])
    np.testing.assert_allclose(
        run.run(None, {"x": x.astype(np.float32)})[0], session.network.forward(x), rtol=1e-5
    )


def test_weights_npz_export(window, session, tmp_path):
    path = str(tmp_path / "w.npz")
    assert window.project_ui.export_to(0, path)
    np.testing.assert_array_equal(np.load(path)["W0"], session.network.weights[0])


def test_missing_history_is_explained_not_raised(window, session, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    session.project.history = None
    assert not window.project_ui.export_to(1, str(tmp_path / "h.csv"))
    assert "no training history" in shown[0]


IMAGE_EXPORT = 3  # "Network image as drawn…"


def test_network_image_png_is_the_canvas_as_drawn(window, tmp_path):
    from PySide6.QtGui import QImage

    path = str(tmp_path / "net.png")
    assert window.project_ui.export_to(IMAGE_EXPORT, path)
    saved, shown = QImage(path), window.canvas.grab().toImage()
    assert (saved.width(), saved.height()) == (shown.width(), shown.height())
    assert saved.convertToFormat(shown.format()) == shown


def test_network_image_svg_draws_the_canvas_as_vectors(window, session, tmp_path):
    import xml.etree.ElementTree as ET

    path = tmp_path / "net.svg"
    assert window.project_ui.export_to(IMAGE_EXPORT, str(path))
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == f"0 0 {window.canvas.width()} {window.canvas.height()}"
    tags = [element.tag.rsplit("}", 1)[-1] for element in root.iter()]
    assert tags.count("circle") >= sum(session.network.sizes)  # every neuron
    assert "polyline" in tags  # the edges as lines
    assert "text" in tags  # labels and values as text
    assert "image" not in tags  # vectors, not a bitmap


def test_an_image_export_to_an_unknown_format_is_explained(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    assert not window.project_ui.export_to(IMAGE_EXPORT, str(tmp_path / "net.bmp"))
    assert ".png or .svg" in shown[0]
