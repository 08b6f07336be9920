"""Autosave and architecture edits: the recovery file keeps the new shape; a new window restores it."""

import pytest
from PySide6.QtWidgets import QMessageBox

from nnviz.app import main as app_main
from nnviz.app.edits import architecture as commands
from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.core.document import load_project
from nnviz.core.examples import load_example


def test_architecture_edit_is_recovered_in_the_next_window(qtbot, window, session, monkeypatch):
    commands.insert_hidden_layer(session, 1, 5, "relu")
    commands.add_neuron(session, 2)
    edited = session.network.copy()
    window.autosaver.save_now()
    assert load_project(window.autosaver.path).network.sizes == [2, 5, 3, 2]
    _die(window)

    next_window = MainWindow(Session(load_example("classic")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Open)
    app_main.offer_recovery(next_window)
    restored = next_window.session.network
    assert restored.describe() == edited.describe()
    for w, v in zip(restored.weights, edited.weights, strict=True):
        assert (w == v).all()
    assert next_window.isWindowModified()
    assert next_window.architecture_panel.summary.text().startswith("2-5-3-2")
    next_window.session.undo_stack.setClean()  # closing must not ask; its worker threads end with it
    next_window.close()
    next_window.deleteLater()


def _recovered(window):
    return load_project(window.autosaver.path) if window.autosaver.path.exists() else None


def _die(window):
    """As if the window's process died here: no close, no discard; its recovery file stays, its lock goes."""
    window.autosaver.timer.stop()
    window.autosaver.lock.unlock()


def test_unsaved_work_stays_recoverable_through_a_crash(qtbot, window, session, monkeypatch):
    """The real Autosaver on a short interval: reshaping the network never removes the recovery file, a
    fresh one follows within the interval, and after a simulated crash the next window restores the work."""
    window.autosaver.timer.setInterval(50)
    session.edit_weight(0, 0, 0, 4.5)
    assert _recovered(window).network.weights[0][0, 0] == 4.5  # written as the document became modified
    commands.insert_hidden_layer(session, 1, 3, "tanh")
    assert window.autosaver.path.exists()  # a network change with unsaved work keeps the file
    qtbot.waitUntil(lambda: _recovered(window).network.sizes == [2, 3, 2, 2], timeout=5000)
    session.edit_bias(0, 1, -2.25)
    qtbot.waitUntil(lambda: _recovered(window).network.biases[0][1] == -2.25, timeout=5000)
    edited = session.network.copy()
    _die(window)

    next_window = MainWindow(Session(load_example("classic")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Open)
    app_main.offer_recovery(next_window)
    restored = next_window.session.network
    assert restored.sizes == [2, 3, 2, 2]
    for w, v in zip(restored.weights + restored.biases, edited.weights + edited.biases, strict=True):
        assert (w == v).all()
    assert next_window.autosaver.path.exists()  # the restored work is still unsaved, so still recoverable
    assert not window.autosaver.path.exists()  # ... in the window that has it now
    next_window.session.undo_stack.setClean()
    assert not next_window.autosaver.path.exists()
    next_window.close()
    next_window.deleteLater()


def test_the_recovery_file_goes_only_when_the_work_is_saved_or_discarded(
    window, session, tmp_path, monkeypatch
):
    session.edit_weight(0, 0, 0, 1.5)
    assert window.autosaver.path.exists()
    assert window._write(str(tmp_path / "saved.nnviz"))
    assert not window.autosaver.path.exists()  # saved
    session.edit_weight(0, 0, 0, 2.5)
    assert window.autosaver.path.exists()
    window.undo_action.trigger()
    assert not window.autosaver.path.exists()  # undone back to the saved state
    session.edit_weight(0, 0, 0, 3.5)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    window.project_ui.new_action.trigger()
    assert _recovered(window).network.weights[0][0, 0] == 3.5  # kept: the user did not let it go
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Discard)
    window.project_ui.new_action.trigger()
    assert not window.autosaver.path.exists()  # deliberately discarded


def test_imported_data_comes_back_with_the_recovered_work(window, session, tmp_path, monkeypatch):
    from PySide6.QtCore import QTimer

    from nnviz.app.dialogs.csv_import import CsvImportDialog

    path = tmp_path / "downloads" / "pairs.csv"
    path.parent.mkdir()
    path.write_text("p,q,r\n" + "".join(f"{i},{i * i % 7},{i % 2}\n" for i in range(20)))
    dialog = CsvImportDialog(str(path), window)
    QTimer.singleShot(0, dialog.start_import)
    assert window.project_ui.import_csv(dialog)
    imported = session.dataset
    _die(window)

    next_window = MainWindow(Session(load_example("classic")))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Open)
    app_main.offer_recovery(next_window)
    recovered = next_window.session.dataset
    assert recovered is not None, next_window.session.data_note
    assert (recovered.x == imported.x).all()
    assert (recovered.y == imported.y).all()
    next_window.session.undo_stack.setClean()
    next_window.close()
    next_window.deleteLater()


@pytest.fixture
def write_threads(monkeypatch):
    """The threads the recovery file is written on, in order (the writes still happen)."""
    import threading

    from nnviz.app.files import recovery_write

    threads, write = [], recovery_write.atomic_write_text

    def spy(*args, **kwargs):
        threads.append(threading.current_thread())
        write(*args, **kwargs)

    monkeypatch.setattr(recovery_write, "atomic_write_text", spy)
    return threads


def test_the_periodic_save_is_written_off_the_gui_thread(qtbot, window, session, write_threads):
    """With a long training history the write takes 75 ms: on the GUI thread it stalled the window."""
    import threading

    threads = write_threads
    session.edit_weight(0, 0, 0, 4.5)  # becoming modified: written at once, here
    assert threads == [threading.main_thread()]
    session.edit_weight(0, 0, 0, 5.5)
    window.autosaver.timer.setInterval(20)
    qtbot.waitUntil(lambda: len(threads) > 1, timeout=5000)
    window.autosaver.wait()
    assert threads[1] is not threading.main_thread()
    assert _recovered(window).network.weights[0][0, 0] == 5.5
    window.autosaver.timer.stop()


def test_saving_while_a_background_write_runs_leaves_no_recovery_file(window, session, tmp_path, monkeypatch):
    """The removal waits for the write under way, which would otherwise recreate the file after it."""
    import threading

    from nnviz.app.files import recovery_write

    release, write = threading.Event(), recovery_write.atomic_write_text
    session.edit_weight(0, 0, 0, 4.5)
    held = lambda *a, **k: release.wait(5) and write(*a, **k)  # noqa: E731
    monkeypatch.setattr(recovery_write, "atomic_write_text", held)
    window.autosaver._save_in_background()  # now blocked in its thread
    threading.Timer(0.2, release.set).start()
    assert window._write(str(tmp_path / "saved.nnviz"))
    window.autosaver.wait()  # the write has finished either way
    assert not window.autosaver.path.exists()


def test_a_large_network_is_written_by_a_process_of_its_own(window, session, monkeypatch, write_threads):
    """At 1.86M weights the JSON of the recovery file is 2 s of CPU: on a thread of the window's process it
    held the GIL, and the window's frames took 100-900 ms while it ran."""
    from nnviz.app.files import autosave

    monkeypatch.setattr(autosave, "BACKGROUND_PARAMETERS", 0)  # as if this network were that large
    session.edit_weight(0, 0, 0, 4.5)  # becoming modified: written at once
    window.autosaver.wait()
    assert _recovered(window).network.weights[0][0, 0] == 4.5
    session.edit_weight(0, 0, 0, 5.5)
    window.autosaver._save_in_background()  # the periodic save
    session.edit_weight(0, 0, 0, 6.5)  # an edit while it is under way does not reach that write
    window.autosaver.wait()
    assert _recovered(window).network.weights[0][0, 0] == 5.5
    assert write_threads == []  # nothing of this process wrote it
