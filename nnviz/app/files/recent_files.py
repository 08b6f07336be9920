"""File ▸ Open Recent: the last projects opened or saved, remembered across runs in QSettings."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu, QWidget

KEY = "recent_files"
LIMIT = 8


class RecentFiles:
    """Most recent first, without duplicates; files that have disappeared are dropped when listed."""

    def __init__(self, settings: QSettings, open_path: Callable[[str], object], parent: QWidget) -> None:
        self.settings, self.open_path = settings, open_path
        self.menu = QMenu("Open &Recent", parent)
        self.menu.aboutToShow.connect(self.fill_menu)
        self.fill_menu()

    def paths(self) -> list[str]:
        stored = self.settings.value(KEY, [])
        paths = [stored] if isinstance(stored, str) else stored if isinstance(stored, list) else []
        return [p for p in paths if isinstance(p, str) and os.path.isfile(p)]

    def add(self, path: str | None) -> None:
        if path:
            path = os.path.abspath(path)
            others = [p for p in self.paths() if p != path]
            self.settings.setValue(KEY, [path, *others][:LIMIT])
            self.fill_menu()

    def fill_menu(self) -> None:
        self.menu.clear()
        for path in self.paths():
            self.menu.addAction(os.path.basename(path), partial(self.open_path, path)).setToolTip(path)
        if self.menu.isEmpty():
            self.menu.addAction("(none yet)").setEnabled(False)
