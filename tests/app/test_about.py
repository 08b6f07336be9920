"""Help → About: the dialog names the version, the MIT licence and every bundled component's licence."""

import numpy
import PySide6
from PySide6.QtWidgets import QDialogButtonBox

import nnviz
from nnviz.app.window.about import AboutDialog, bundled_components


def test_about_names_version_licence_and_components(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert f"nnviz {nnviz.__version__}" in text
    assert "MIT licence" in text
    for component in bundled_components():
        assert component.name in text
        assert component.licence in text
    assert PySide6.__version__ in text
    assert numpy.__version__ in text
    assert "LGPL" in text


def test_about_shows_the_application_icon(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert not dialog.windowIcon().isNull()


def test_close_button_rejects_the_dialog(qtbot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=2000):
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()
    assert not dialog.isVisible()
