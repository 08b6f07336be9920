"""A widget held by PaintLater paints in a later turn of the event loop than the change, not in the next."""

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from nnviz.app.paint_later import PaintLater


class Counting(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, event) -> None:
        self.paints += 1


@pytest.fixture
def widget(qtbot):
    """Shown, and painted once."""
    widget = Counting()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.paints > 0)
    return widget


def test_a_held_widget_paints_once_the_loop_has_turned(qtbot, widget):
    before = widget.paints
    later = PaintLater(widget)
    later.hold()
    later.hold()  # a second change in the same turn: one paint still
    widget.update()
    QCoreApplication.sendPostedEvents()  # what Qt does first in the next turn: no paint yet
    assert widget.paints == before
    assert not widget.updatesEnabled()
    qtbot.waitUntil(lambda: widget.paints > before)
    assert widget.updatesEnabled()


def test_a_widget_not_held_paints_in_the_next_turn(widget):
    """The behaviour PaintLater changes: otherwise the paint comes with the posted events."""
    before = widget.paints
    widget.update()
    QCoreApplication.sendPostedEvents()
    assert widget.paints > before
