"""Light, dark or the system's colours (View ▸ Theme), remembered across runs.

Everything follows at once: the application palette is replaced (the Fusion style, Qt's default on Linux,
paints from it), the canvas re-reads it on the palette-change event, and every pyqtgraph view gets the
palette's base colour as background and its text colour for axes. "System" restores the palette the
application started with.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")
SETTINGS_KEY = "appearance/theme"


class _State:
    system_palette: QPalette | None = None  # the palette the application started with
    current = "system"


# (role, colour) of the dark palette; the disabled group greys text out
_DARK = (
    (QPalette.ColorRole.Window, "#2b2c2f"),
    (QPalette.ColorRole.WindowText, "#e1e1e1"),
    (QPalette.ColorRole.Base, "#202124"),
    (QPalette.ColorRole.AlternateBase, "#303134"),
    (QPalette.ColorRole.ToolTipBase, "#303134"),
    (QPalette.ColorRole.ToolTipText, "#e1e1e1"),
    (QPalette.ColorRole.PlaceholderText, "#8a8a8a"),
    (QPalette.ColorRole.Text, "#e1e1e1"),
    (QPalette.ColorRole.Button, "#36373a"),
    (QPalette.ColorRole.ButtonText, "#e1e1e1"),
    (QPalette.ColorRole.BrightText, "#ff5252"),
    (QPalette.ColorRole.Light, "#4a4b4f"),
    (QPalette.ColorRole.Midlight, "#3e3f43"),
    (QPalette.ColorRole.Mid, "#2f3033"),
    (QPalette.ColorRole.Dark, "#1a1b1d"),
    (QPalette.ColorRole.Shadow, "#000000"),
    (QPalette.ColorRole.Highlight, "#42a5f5"),
    (QPalette.ColorRole.HighlightedText, "#101010"),
    (QPalette.ColorRole.Link, "#64b5f6"),
)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK:
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


def current_theme() -> str:
    """The theme shown: "system" (the platform decides), "light" or "dark"."""
    return _State.current


def saved_theme() -> str:
    value = QSettings().value(SETTINGS_KEY, "system")
    return value if value in THEMES else "system"


def apply_theme(name: str, remember: bool = True) -> None:
    """Show the application in theme `name` (one of THEMES) and, with `remember`, keep the choice."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    app = QApplication.instance()
    assert isinstance(app, QApplication), "a theme is applied to the running QApplication"
    if _State.system_palette is None:
        _State.system_palette = QPalette(app.palette())
    _State.current = name
    if name == "dark":
        palette = dark_palette()
    elif name == "light":
        fusion = QStyleFactory.create("Fusion")
        palette = fusion.standardPalette() if fusion is not None else QPalette(QColor("#efefef"))
    else:
        palette = QPalette(_State.system_palette)
    app.setPalette(palette)
    _restyle_plots(app, palette)
    if remember:
        QSettings().setValue(SETTINGS_KEY, name)


def _restyle_plots(app: QApplication, palette: QPalette) -> None:
    """New plots take the colours from pyqtgraph's options; the ones on screen are recoloured here."""
    background = QColor(palette.color(QPalette.ColorRole.Base))  # copies: the palette's refer into it
    foreground = QColor(palette.color(QPalette.ColorRole.Text))
    pg.setConfigOptions(background=background, foreground=foreground)
    for widget in app.allWidgets():
        if isinstance(widget, pg.GraphicsView):
            widget.setBackground(background)
            for item in widget.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.setPen(foreground)
                    item.setTextPen(foreground)
                elif isinstance(item, pg.LegendItem):
                    item.setLabelTextColor(foreground)
                elif isinstance(item, pg.LabelItem) and item.opts.get("color") is None:
                    item.setText(item.text)  # a title drawn in the old theme's text colour, redrawn
