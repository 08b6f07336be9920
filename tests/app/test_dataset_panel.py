"""The data panel starts a project from a built-in set and counts the samples of each class."""

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
