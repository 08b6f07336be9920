"""Toolbar and menu icons: the desktop's icon theme where it has one, else Qt's own standard icons, so a
button never shows text alone on a system without an icon theme (Windows, macOS, a bare Linux)."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

SP = QStyle.StandardPixmap
#: icon name -> (freedesktop theme name, Qt standard pixmap)
ICONS = {
    "open": ("document-open", SP.SP_DialogOpenButton),
    "save": ("document-save", SP.SP_DialogSaveButton),
    "undo": ("edit-undo", SP.SP_ArrowBack),
    "redo": ("edit-redo", SP.SP_ArrowForward),
    "fit": ("zoom-fit-best", SP.SP_TitleBarMaxButton),
    "step": ("go-next", SP.SP_MediaSeekForward),
    "layer": ("go-last", SP.SP_MediaSkipForward),
    "end": ("go-bottom", SP.SP_ArrowDown),
    "back": ("go-previous", SP.SP_MediaSeekBackward),
    "reset": ("go-first", SP.SP_MediaSkipBackward),
    "play": ("media-playback-start", SP.SP_MediaPlay),
    "batch": ("media-seek-forward", SP.SP_ArrowRight),
    "epoch": ("media-skip-forward", SP.SP_MediaSkipForward),
    "reinitialise": ("view-refresh", SP.SP_BrowserReload),
}


def icon(name: str) -> QIcon:
    theme, standard = ICONS[name]
    return QIcon.fromTheme(theme, QApplication.style().standardIcon(standard))
