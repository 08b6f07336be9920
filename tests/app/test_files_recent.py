"""File ▸ Open Recent lists saved and opened projects, newest first, and reopens them."""

from nnviz.core.document import Project, save_project
from nnviz.core.network import Network


def _titles(menu):
    return [a.text() for a in menu.actions()]


def test_saved_and_opened_files_are_listed_and_reopen(window, session, tmp_path):
    recent = window.project_ui.recent
    assert _titles(recent.menu) == ["(none yet)"]
    first = tmp_path / "first.nnviz"
    assert window._write(str(first))
    other = tmp_path / "other.nnviz"
    save_project(Project(Network.create([3, 2], seed=0)), other)
    assert window.load(str(other))
    assert _titles(recent.menu) == ["other.nnviz", "first.nnviz"]
    recent.menu.actions()[1].trigger()
    assert session.path == str(first)
    assert session.network.sizes == [2, 2, 2]
    assert _titles(recent.menu) == ["first.nnviz", "other.nnviz"]


def test_a_vanished_file_is_dropped(window, tmp_path):
    gone = tmp_path / "gone.nnviz"
    assert window._write(str(gone))
    gone.unlink()
    window.project_ui.recent.fill_menu()
    assert _titles(window.project_ui.recent.menu) == ["(none yet)"]
