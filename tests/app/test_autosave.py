"""Autosave and architecture edits: the recovery file keeps the new shape; a new window restores it."""

from PySide6.QtWidgets import QMessageBox

from nnviz.app import architecture_commands as commands
from nnviz.app import main as app_main
from nnviz.app.autosave import recovery_path
from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.core.document import load_project
from nnviz.core.examples import load_example


def test_architecture_edit_is_recovered_in_the_next_window(qtbot, window, session, monkeypatch):
    commands.insert_hidden_layer(session, 1, 5, "relu")
    commands.add_neuron(session, 2)
    edited = session.network.copy()
    window.autosaver.save_now()
    assert load_project(recovery_path()).network.sizes == [2, 5, 3, 2]
    window.autosaver.timer.stop()  # as if the process died here: the recovery file stays

    next_window = MainWindow(Session(load_example("classic")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Open)
    app_main.offer_recovery(next_window)
    restored = next_window.session.network
    assert restored.describe() == edited.describe()
    for w, v in zip(restored.weights, edited.weights, strict=True):
        assert (w == v).all()
    assert next_window.isWindowModified()
    assert next_window.project_ui.architecture.summary.text().startswith("2-5-3-2")
    next_window.session.undo_stack.setClean()  # closing must not ask; its worker threads end with it
    next_window.close()
    next_window.deleteLater()
