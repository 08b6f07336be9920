"""The main window's architecture editor dock and File ▸ Export menu, installed by one call.

Kept out of main_window.py so the window gains these with two lines; the dock shares the inspector's column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMenu, QMessageBox

from nnviz.app.panels.architecture_panel import ArchitecturePanel
from nnviz.app.session import Session
from nnviz.core import export

# (menu text, file filter, default suffix, writer(session, path))
_EXPORTS: tuple[tuple[str, str, str, Callable[[Session, str], None]], ...] = (
    ("Weights as NPZ…", "NumPy archive (*.npz)", ".npz", lambda s, p: export.save_weights_npz(s.network, p)),
    (
        "Training history as CSV…",
        "CSV table (*.csv)",
        ".csv",
        lambda s, p: export.save_history_csv(s.project.history or {}, p),
    ),
    ("Model as ONNX…", "ONNX model (*.onnx)", ".onnx", lambda s, p: export.save_onnx(s.network, p)),
)


class ProjectUi:
    """What `install_project_ui` added, for tests and for the window to reach."""

    def __init__(self, window: QMainWindow, session: Session) -> None:
        self.window, self.session = window, session
        self.architecture = ArchitecturePanel(session)
        self.dock = QDockWidget("Architecture", window)
        self.dock.setObjectName("architecture")
        self.dock.setWidget(self.architecture)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        inspector = window.findChild(QDockWidget, "inspector")
        if inspector is not None:
            window.tabifyDockWidget(inspector, self.dock)
            inspector.raise_()
        self.export_menu = QMenu("&Export", window)
        self.export_actions = [
            self.export_menu.addAction(text, lambda *_, i=i: self.export_dialog(i))
            for i, (text, *_rest) in enumerate(_EXPORTS)
        ]
        self._add_to_menus(window)

    def _add_to_menus(self, window: QMainWindow) -> None:
        """Export goes above the File menu's last separator (before Quit); the dock into View."""
        menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions() if a.menu()}
        file_menu = menus.get("File")
        if file_menu is not None:
            separators = [a for a in file_menu.actions() if a.isSeparator()]
            file_menu.insertMenu(separators[-1] if separators else None, self.export_menu)
        if "View" in menus:
            menus["View"].addAction(self.dock.toggleViewAction())

    def export_dialog(self, which: int) -> None:
        text, pattern, suffix, _ = _EXPORTS[which]
        path, _ = QFileDialog.getSaveFileName(self.window, text.rstrip("…"), "", pattern)
        if path:
            self.export_to(which, path if path.endswith(suffix) else path + suffix)

    def export_to(self, which: int, path: str) -> bool:
        """Write export `which` to `path`; a failure is explained in a message box, never a traceback."""
        try:
            _EXPORTS[which][3](self.session, path)
        except (export.ExportError, OSError, ValueError) as exc:
            QMessageBox.warning(self.window, "Export failed", f"Could not export to {path}:\n{exc}")
            return False
        self.window.statusBar().showMessage(f"exported {path}", 5000)
        return True


def install_project_ui(window: QMainWindow, session: Session) -> Any:
    """Add the architecture dock and File ▸ Export to `window` (after its menus exist)."""
    return ProjectUi(window, session)
