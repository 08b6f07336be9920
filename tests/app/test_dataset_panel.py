"""The data panel starts a project from a built-in set and counts the samples of each class."""

import pytest
from PySide6.QtCore import Qt

from nnviz.app.panels.dataset_panel import DatasetPanel, describe_data


def test_built_in_set_becomes_the_project_with_class_counts(qtbot, session):
    panel = DatasetPanel(session, confirm=lambda: True)
    qtbot.addWidget(panel)
    panel.choice.setCurrentText("xor")
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    data = session.dataset
    assert data is not None
    assert session.network.sizes[0] == data.n_features
    counts = [int((data.y == c).sum()) for c in range(2)]
    assert panel.summary.text() == describe_data(data)
    assert all(f": {n}" in panel.summary.text() for n in counts)
    assert sum(counts) == len(data)


def test_declined_confirmation_keeps_the_document(qtbot, session):
    before = session.network.describe()
    panel = DatasetPanel(session, confirm=lambda: False)
    qtbot.addWidget(panel)
    panel.choice.setCurrentText("spiral")
    assert not panel.use_builtin()
    assert session.network.describe() == before


def test_a_new_project_from_a_built_in_set_is_unsaved_work(qtbot, session):
    panel = DatasetPanel(session, confirm=lambda: True)
    qtbot.addWidget(panel)
    assert session.undo_stack.isClean()
    panel.choice.setCurrentText("circle")
    panel.parameters["samples"].control.setValue(120)
    assert panel.use_builtin()
    assert len(session.dataset) == 120
    assert not session.undo_stack.isClean()


def test_parameters_apply_to_the_current_project_as_one_undo_step(qtbot, session):
    panel = DatasetPanel(session, confirm=lambda: pytest.fail("an undoable change needs no question"))
    qtbot.addWidget(panel)
    before_network, before_data = session.network.copy(), session.dataset
    panel.choice.setCurrentText("spiral")
    assert set(panel.parameters) == {"samples", "noise", "features"}
    panel.parameters["samples"].control.setValue(300)
    panel.parameters["noise"].control.setValue(0.25)
    panel.parameters["features"].boxes["x1*x2"].setChecked(True)
    panel.seed.setValue(7)
    qtbot.mouseClick(panel.apply_button, Qt.MouseButton.LeftButton)
    assert len(session.dataset) == 300
    assert session.dataset.n_features == 3
    assert session.network.sizes[0] == 3
    ref = session.project.dataset
    assert (ref["name"], ref["seed"]) == ("spiral", 7)
    assert ref["parameters"] == {"samples": 300, "noise": 0.25, "features": "x1,x2,x1*x2"}
    assert session.undo_stack.count() == 1
    assert not session.undo_stack.isClean()

    session.undo_stack.undo()
    assert session.dataset is before_data
    assert session.network.describe() == before_network.describe()
    for now, then in zip(session.network.weights, before_network.weights, strict=True):
        assert (now == then).all()
    assert session.undo_stack.isClean()
    session.undo_stack.redo()
    assert len(session.dataset) == 300


def test_parameter_ranges_are_enforced_and_bad_choices_explained(qtbot, session):
    panel = DatasetPanel(session, confirm=lambda: True)
    qtbot.addWidget(panel)
    panel.choice.setCurrentText("xor")
    noise = panel.parameters["noise"].control
    noise.setValue(0.9)
    assert noise.value() == 0.5  # the spec's maximum
    samples = panel.parameters["samples"].control
    samples.setValue(1)
    assert samples.value() == 2
    for box in panel.parameters["features"].boxes.values():
        box.setChecked(False)
    before = session.network.describe()
    assert not panel.apply_builtin()
    assert "feature" in panel.error.text()
    assert session.network.describe() == before
    assert session.undo_stack.count() == 0


def test_the_controls_show_the_projects_built_in_data(qtbot, session):
    from nnviz.core.datasets.projects import default_project

    session.set_project(default_project("line", seed=3, noise=0.2, slope=-2.0))
    panel = DatasetPanel(session, confirm=lambda: True)
    qtbot.addWidget(panel)
    assert panel.choice.currentText() == "line"
    assert panel.seed.value() == 3
    assert panel.parameters["noise"].value() == 0.2
    assert panel.parameters["slope"].value() == -2.0
