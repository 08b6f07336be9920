"""Presentation mode (View menu, F5): for a lecture on a projector.

Fonts of every panel, the canvas's text and lines, and the plots' fonts, curves and axes grow by the chosen
factor (×1.25, ×1.5 or ×2, remembered); the docks a lecture does not need (the editors, the data and training
settings, the insight views) are hidden, so the canvas and what it explains get the room. Leaving the mode
puts back the fonts, the pens and the exact dock arrangement the user had.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QByteArray, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QFont, QKeySequence, QPen
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QMenu, QWidget
from shiboken6 import isValid

from nnviz.app.canvas.widget import NetworkCanvas

SCALES = (1.25, 1.5, 2.0)
DEFAULT_SCALE = 1.5
SCALE_KEY = "view/presentation_scale"
STEP_DOCK_WIDTH = 300  # px at ×1: the step-through buttons, two rows of three
#: what a lecture keeps on screen besides the canvas (whose input column shows the sample): the output,
#: the steps and their maths, and while training the loss and the decision map
LECTURE_DOCKS = ("output", "step_through", "math", "loss", "decision_map")


class PresentationMode(QObject):
    """The View menu's presentation toggle and size choice, and what entering and leaving change."""

    def __init__(self, window: QMainWindow, canvas: NetworkCanvas) -> None:
        super().__init__(window)
        self.window, self.canvas = window, canvas
        self.action = QAction("&Presentation mode", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("F5"))  # as slide shows start
        self.action.setStatusTip("Larger text and lines, only the docks a lecture needs")
        self.action.toggled.connect(self.set_active)
        saved = QSettings().value(SCALE_KEY, DEFAULT_SCALE, type=float)
        self.scale = saved if isinstance(saved, float) and saved in SCALES else DEFAULT_SCALE
        self.size_menu = QMenu("Presentation &size", window)
        group = QActionGroup(self)
        for scale in SCALES:
            choice = group.addAction(f"×{scale:g}")
            choice.setCheckable(True)
            choice.setChecked(scale == self.scale)
            choice.setStatusTip(f"Text and lines {scale:g} times their size in presentation mode")
            choice.triggered.connect(lambda _=False, scale=scale: self.set_scale(scale))
        self.size_menu.addActions(group.actions())
        self._saved: tuple[QByteArray, QFont] | None = None  # dock state and font before the mode
        self._pens: dict[pg.PlotDataItem | pg.AxisItem, QPen] = {}  # each scaled curve's and axis's own pen
        self._fonts: dict[QWidget, QFont] = {}  # each widget with a font of its own (the maths), as it was

    @property
    def active(self) -> bool:
        return self._saved is not None

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        w = self.window
        if on:
            self._saved = (w.saveState(), QApplication.font())
            docks = {dock.objectName(): dock for dock in w.findChildren(QDockWidget)}
            for name, dock in docks.items():
                if name not in LECTURE_DOCKS:
                    dock.hide()
            self._apply(self.scale)
            # room for the larger step buttons; the maths and the loss share the rest of the row
            width = round(STEP_DOCK_WIDTH * self.scale)
            w.resizeDocks([docks["step_through"]], [width], Qt.Orientation.Horizontal)
        else:
            assert self._saved is not None, "leaving the mode: entering it saved these"
            state, font = self._saved
            self._saved = None
            self._apply(1.0, font)
            QApplication.sendPostedEvents()  # widgets take the font (a posted event) before docks are sized
            w.restoreState(state)
        self.action.setChecked(on)

    def set_scale(self, scale: float) -> None:
        """Choose the size (remembered); applied at once while the mode is on."""
        self.scale = scale
        QSettings().setValue(SCALE_KEY, scale)
        if self.active:
            self._apply(scale)

    def _apply(self, scale: float, font: QFont | None = None) -> None:
        if font is None:
            assert self._saved is not None, "only the active mode scales from the saved font"
            font = QFont(self._saved[1])
            font.setPointSizeF(font.pointSizeF() * scale)
        QApplication.setFont(font)
        self._scale_own_fonts(scale)
        self.canvas.set_scale(scale)
        self._scale_curves(scale)

    def _scale_own_fonts(self, scale: float) -> None:
        """Widgets that set a font of their own do not follow the application's font: theirs grow too, and
        are given back as they were."""
        for widget in self.window.findChildren(QWidget):
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont) and widget not in self._fonts:
                self._fonts[widget] = QFont(widget.font())
        for widget, own in list(self._fonts.items()):
            if not isValid(widget):  # a panel rebuilt its fields meanwhile (a new network)
                del self._fonts[widget]
                continue
            font = QFont(own)
            if own.pointSizeF() > 0:
                font.setPointSizeF(own.pointSizeF() * scale)
            else:
                font.setPixelSize(round(own.pixelSize() * scale))
            widget.setFont(font)
        if scale == 1.0:
            self._fonts.clear()

    def _scale_curves(self, scale: float) -> None:
        """Thicker plot curves and axes: each curve's and axis's own pen, widened (its colour and style
        kept), so the back row sees the axes as well as the curves."""
        for view in self.window.findChildren(pg.GraphicsView):
            for item in view.scene().items():
                if isinstance(item, pg.PlotDataItem) and item.opts.get("pen") is not None:
                    own = self._pens.setdefault(item, pg.mkPen(item.opts["pen"]))
                elif isinstance(item, pg.AxisItem):
                    own = self._pens.setdefault(item, QPen(item.pen()))
                else:
                    continue
                pen = QPen(own)
                pen.setWidthF(max(own.widthF(), 1.0) * scale)
                item.setPen(pen if scale != 1.0 else own)
        if scale == 1.0:
            self._pens.clear()
