"""Help → About nnviz: version, licence, and the licences of the components a frozen build bundles.

The component list mirrors THIRD_PARTY_LICENSES.md (which adds the LGPL compliance notes); versions are
read at run time, so the dialog tells the truth about the build that is running.
"""

import platform
import sys
from dataclasses import dataclass
from html import escape

import numpy
import pyqtgraph
import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

import nnviz


@dataclass(frozen=True)
class Component:
    """One bundled third-party component, as listed to the user."""

    name: str
    version: str
    licence: str
    url: str


def bundled_components() -> list[Component]:
    """The runtime components of nnviz, with the versions actually loaded in this process."""
    return [
        Component("Python", platform.python_version(), "Python Software Foundation License 2.0",
                  "https://www.python.org/"),
        Component("Qt", qVersion(), "GNU LGPL v3", "https://www.qt.io/"),
        Component("PySide6 / Shiboken6", PySide6.__version__, "GNU LGPL v3",
                  "https://www.qt.io/qt-for-python"),
        Component("NumPy", numpy.__version__, "BSD 3-Clause (OpenBLAS: BSD 3-Clause)", "https://numpy.org/"),
        Component("pyqtgraph", pyqtgraph.__version__, "MIT", "https://www.pyqtgraph.org/"),
        Component("8x8 digits data (UCI, E. Alpaydin, C. Kaynak)", "1998", "CC BY 4.0",
                  "https://archive.ics.uci.edu/dataset/80"),
        *_optional_components(),
    ]  # fmt: skip


def _optional_components() -> list[Component]:
    """ONNX export's packages, listed when present (the installers bundle them; a pip install may not
    have them). Versions from the installed metadata: importing onnx here would slow the dialog down."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name, dist, licence, url in (
        ("ONNX", "onnx", "Apache 2.0", "https://onnx.ai/"),
        ("protobuf", "protobuf", "BSD 3-Clause", "https://protobuf.dev/"),
        ("ml_dtypes", "ml_dtypes", "Apache 2.0", "https://github.com/jax-ml/ml_dtypes"),
    ):
        try:
            found.append(Component(name, version(dist), licence, url))
        except PackageNotFoundError:
            continue
    return found


def is_frozen() -> bool:
    """True in a PyInstaller build (the installers), False when run from a Python environment."""
    return bool(getattr(sys, "frozen", False))


def about_html() -> str:
    """The dialog's body: what nnviz is, its licence, and the component table."""
    rows = "".join(
        f"<tr><td>{escape(c.name)}</td><td>{escape(c.version)}</td><td>{escape(c.licence)}</td>"
        f"<td><a href='{escape(c.url)}'>{escape(c.url)}</a></td></tr>"
        for c in bundled_components()
    )
    build = "installer build (components bundled)" if is_frozen() else "Python environment"
    return (
        f"<h2>nnviz {escape(nnviz.__version__)}</h2>"
        "<p>See and touch a neural network.</p>"
        "<p>Copyright © 2026 nnviz developers. Released under the <b>MIT licence</b>.</p>"
        f"<p>Running from: {build}.</p>"
        "<h3>Third-party components</h3>"
        "<table cellpadding='3'><tr><th align='left'>Component</th><th align='left'>Version</th>"
        f"<th align='left'>Licence</th><th align='left'>Source</th></tr>{rows}</table>"
        "<p>Installer builds also contain the PyInstaller bootloader (GPL v2 with the bootloader exception) "
        "and the GCC runtime libraries of NumPy (GPL v3 with the runtime library exception). Qt and PySide6 "
        "are unmodified shared libraries that can be replaced; see THIRD_PARTY_LICENSES.md.</p>"
    )


class AboutDialog(QDialog):
    """A modal dialog with the application icon, the about text and a Close button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About nnviz")
        self.setWindowIcon(QIcon(application_icon_path()))
        self.resize(640, 460)
        icon = QLabel()
        icon.setPixmap(QIcon(application_icon_path()).pixmap(64, 64))
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(icon, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def application_icon_path() -> str:
    """The SVG master icon shipped in the nnviz.resources package."""
    from importlib.resources import files

    return str(files("nnviz.resources") / "icons" / "nnviz.svg")


def show_about(parent: QWidget | None = None) -> None:
    """Show the About dialog modally (Help → About nnviz)."""
    AboutDialog(parent).exec()
