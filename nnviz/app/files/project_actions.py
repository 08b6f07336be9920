"""File ▸ New / New from example / Revert / Open Recent / Import data (CSV, NPZ, IDX) / Export, and files
dropped on the window.

`ProjectActions` makes the actions and menus; the window places them in its File menu (it owns the menus'
order). What they do to the document goes through the window's public `load` and `confirm_discard`, handed
in with the canvas (exported as drawn).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox
from shiboken6 import isValid

from nnviz.app.canvas.widget import NetworkCanvas
from nnviz.app.dialogs.csv_import import CsvImportDialog
from nnviz.app.edits.data import use_data
from nnviz.app.files.recent_files import RecentFiles
from nnviz.app.files.render import save_canvas
from nnviz.app.files.replay_dialog import export_replay
from nnviz.app.files.view_state import apply_view, capture_view
from nnviz.app.session import Session
from nnviz.core import export
from nnviz.core.dataset_ref import class_count
from nnviz.core.datasets.base import DatasetError
from nnviz.core.datasets.builtin import BUILTINS
from nnviz.core.datasets.files import is_idx, load_idx_images, load_npz
from nnviz.core.datasets.projects import default_project
from nnviz.core.document import DocumentError, Project
from nnviz.core.examples import DEFAULT, example_title, list_examples, load_example

# (menu text, file filters, suffixes (the first is the default), writer(actions, path)); tests use the order
_EXPORTS: tuple[tuple[str, str, tuple[str, ...], Callable[[ProjectActions, str], object]], ...] = (
    (
        "Weights as NPZ…",
        "NumPy archive (*.npz)",
        (".npz",),
        lambda a, p: export.export_project(a.session.project, p, ".npz"),
    ),
    (
        "Training history as CSV…",
        "CSV table (*.csv)",
        (".csv",),
        lambda a, p: export.export_project(a.session.project, p, ".csv"),
    ),
    (
        "Model as ONNX…",
        "ONNX model (*.onnx)",
        (".onnx",),
        lambda a, p: export.export_project(a.session.project, p, ".onnx"),
    ),
    (
        "Network image as drawn…",
        "PNG image (*.png);;SVG drawing (*.svg)",
        (".png", ".svg"),
        lambda a, p: save_canvas(a.canvas, p),
    ),
)


class ProjectActions:
    """The File menu's project and data actions of one main window, and its drop target. The window puts
    `new_action`, `examples_menu`, `revert_action`, `recent.menu`, `import_csv_action` and `export_menu`
    in its File menu."""

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        canvas: NetworkCanvas,
        confirm_discard: Callable[[], bool],
        load: Callable[[str], bool],
    ) -> None:
        """`confirm_discard()` asks about unsaved work before the document is replaced; `load(path)` opens a
        project file as File ▸ Open does."""
        self.window = window
        self.session: Session = session  # annotated: _EXPORTS, above the class, reads these two
        self.canvas: NetworkCanvas = canvas
        self.confirm_discard, self.load = confirm_discard, load
        self.export_menu = QMenu("&Export", window)
        self.export_actions = [
            self.export_menu.addAction(text, lambda *_, i=i: self.export_dialog(i))
            for i, (text, *_rest) in enumerate(_EXPORTS)
        ]
        self.export_menu.addSeparator()
        self.replay_action = self.export_menu.addAction("Training &replay…", lambda: export_replay(window))
        self.import_csv_action = QAction("&Import data (CSV, NPZ, IDX)…", window)
        self.import_csv_action.triggered.connect(self.import_csv_dialog)
        self.recent = RecentFiles(QSettings(), self._open_recent, window)
        session.network_changed.connect(lambda: self.recent.add(session.path))
        self.new_action = QAction("&New", window)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setStatusTip(f"A new project from the {DEFAULT!r} example")
        self.new_action.triggered.connect(lambda: self.new_from_example(DEFAULT))
        self.examples_menu = QMenu("New from &example", window)
        self.examples_menu.aboutToShow.connect(self._fill_examples_menu)
        self.revert_action = QAction("Re&vert", window)
        self.revert_action.setStatusTip("Throw away the unsaved changes and reload the saved file")
        self.revert_action.triggered.connect(self.revert)
        session.undo_stack.cleanChanged.connect(self._update_revert)
        session.network_changed.connect(self._update_revert)
        self._update_revert()
        self.drops = _DropFilter(self, window)
        window.setAcceptDrops(True)
        window.installEventFilter(self.drops)
        if session.project.view:  # `nnviz FILE`: once the window has its size
            QTimer.singleShot(0, self.restore_view)

    def write(self, path: str) -> str:
        """Save the project with the window's view state to `path` (the window's Save and Save As); returns
        what was done to keep its data readable from there ("" if nothing). Raises DocumentError, OSError."""
        self.session.project.view = capture_view(self.window)
        return self.session.save(path)

    def restore_view(self) -> None:
        """Show the opened project as saved: zoom and pan, selection, step, loss plot axis and scale."""
        apply_view(self.window, self.session.project.view)

    def _open_recent(self, path: str) -> None:
        if self.confirm_discard():
            self.load(path)

    # -- New from example, Revert ----------------------------------------------------------------------------
    def _fill_examples_menu(self) -> None:
        """Filled when first shown: the shipped examples, then each built-in set's ready-to-train project."""
        if not self.examples_menu.isEmpty():
            return
        self.examples_menu.addSection("Examples")
        for name in list_examples():
            title = example_title(name)
            action = self.examples_menu.addAction(title or name, partial(self.new_from_example, name))
            action.setData(("example", name))
        self.examples_menu.addSection("Built-in datasets")
        for name, spec in BUILTINS.items():
            action = self.examples_menu.addAction(name, partial(self.new_from_builtin, name))
            action.setToolTip(spec.description)
            action.setStatusTip(spec.description)
            action.setData(("builtin", name))
        self.examples_menu.setToolTipsVisible(True)

    def new_from_example(self, name: str) -> bool:
        """An untitled copy of a shipped example (after the unsaved-changes question); it starts unmodified:
        nothing is lost by closing it, the menu makes it again."""
        return self._new(lambda: load_example(name), name, modified=False)

    def new_from_builtin(self, name: str) -> bool:
        """The built-in set's default project (untitled; unsaved, like a project from the data panel)."""
        return self._new(lambda: default_project(name), name, modified=True)

    def _new(self, make: Callable[[], Project], name: str, modified: bool) -> bool:
        if not self.confirm_discard():
            return False
        try:
            project = make()
        except (DocumentError, DatasetError, OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Cannot create the project", f"{name}:\n{exc}")
            return False
        self.session.set_project(project, None)
        if modified:
            self.session.undo_stack.resetClean()
        return True

    def _update_revert(self, *_: Any) -> None:
        if not isValid(self.revert_action):  # a session that outlives its window still signals
            return
        self.revert_action.setEnabled(bool(self.session.path) and not self.session.undo_stack.isClean())

    def revert(self) -> bool:
        """Reload the saved file, throwing away the changes since, once the user has confirmed it."""
        path = self.session.path
        if not path or self.session.undo_stack.isClean():
            return False
        answer = QMessageBox.question(
            self.window,
            "Revert",
            f"Throw away the unsaved changes and reload {os.path.basename(path)}?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard and self.load(path)

    def import_csv_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import data", "", IMPORT_FILTERS)
        if path:
            self.import_data(path)

    def csv_dialog(self, path: str) -> CsvImportDialog:
        """The import dialog for `path`; a numeric class column is read as the open network's classes."""
        return CsvImportDialog(path, self.window, class_count(self.session.network, self.session.loss_name))

    def import_data(self, path: str) -> bool:
        """A CSV opens the import dialog; an NPZ archive or IDX images (with the labels file beside them)
        become the project's data at once, as one undo step, the network resized to them."""
        if path.lower().endswith(".npz") or is_idx(path):
            return self.load_data_file(path)
        return self.import_csv(self.csv_dialog(path))

    def import_csv(self, dialog: CsvImportDialog) -> bool:
        """Run the import dialog; on success its data becomes the project's, as one undo step."""
        if not dialog.exec() or dialog.dataset is None:
            return False
        data = dialog.dataset
        reference: dict[str, Any] = {
            "kind": "file",
            "path": os.path.abspath(dialog.path),
            "targets": dialog.columns("target"),
            "ignore": dialog.columns("ignore"),
            "task": data.task,
        }
        if data.class_names:
            reference["class_names"] = list(data.class_names)
        use_data(self.session, data, dialog.scaler, reference, f"import {os.path.basename(dialog.path)}")
        return True

    def open_dropped(self, path: str) -> bool:
        """A dropped project opens (after the unsaved-changes question), a lesson with its project (which
        asks the same); data is imported (`import_data`)."""
        if path.lower().endswith(".nnlesson"):
            return self.load(path)  # the window's load, handed in
        if path.lower().endswith(".nnviz"):
            return self.confirm_discard() and self.load(path)
        return self.import_data(path)

    def load_data_file(self, path: str) -> bool:
        """An NPZ archive or IDX images as the project's data (one undo step); a failure is explained."""
        try:
            data = load_npz(path) if path.lower().endswith(".npz") else load_idx_images(path)
        except (DatasetError, OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Cannot load data", f"{path}:\n{exc}")
            return False
        reference: dict[str, Any] = {"kind": "file", "path": os.path.abspath(path), "task": data.task}
        if data.class_names:
            reference["class_names"] = list(data.class_names)
        use_data(self.session, data, None, reference, f"import {os.path.basename(path)}")
        return True

    def export_dialog(self, which: int) -> None:
        text, patterns, suffixes, _ = _EXPORTS[which]
        path, chosen = QFileDialog.getSaveFileName(self.window, text.rstrip("…"), "", patterns)
        if path:
            if not path.lower().endswith(suffixes):  # the suffix of the chosen filter, else the default
                path += next((x for x in suffixes if f"*{x}" in chosen), suffixes[0])
            self.export_to(which, path)

    def export_to(self, which: int, path: str) -> bool:
        """Write export `which` to `path`; a failure is explained in a message box, never a traceback."""
        try:
            _EXPORTS[which][3](self, path)
        except (export.ExportError, OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Export failed", f"Could not export to {path}:\n{exc}")
            return False
        self.window.statusBar().showMessage(f"exported {path}", 5000)
        return True


#: what a file dropped on the window does, by suffix (and IDX files by `is_idx`)
DROP_SUFFIXES = (".nnviz", ".nnlesson", ".csv", ".tsv", ".txt", ".npz")
IMPORT_FILTERS = (
    "Data files (*.csv *.tsv *.txt *.npz *-ubyte *-ubyte.gz *.idx *.idx.gz);;CSV table (*.csv *.tsv *.txt);;"
    "NumPy archive (*.npz);;IDX images, MNIST's format (*-ubyte *-ubyte.gz *.idx *.idx.gz)"
)


def dropped_path(event: QDropEvent) -> str | None:
    """The one local file of a drag whose suffix the window knows, else None (the drag is refused)."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
    if len(paths) == 1 and (paths[0].lower().endswith(DROP_SUFFIXES) or is_idx(paths[0])):
        return paths[0]
    return None


class _DropFilter(QObject):
    """Drops land on whichever child is under the cursor and bubble up; the window's filter takes them."""

    def __init__(self, ui: ProjectActions, parent: QObject) -> None:
        super().__init__(parent)
        self.ui = ui

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Drag enter, drag move and drop events are all QDropEvents: a known file is accepted, and dropped
        it is opened."""
        if isinstance(event, QDropEvent) and (path := dropped_path(event)) is not None:
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self.ui.open_dropped(path)
            return True
        return super().eventFilter(watched, event)
