"""Open the real window on the font-digits example with the architecture editor in front, hidden layer 2
selected, for docs/images/architecture-editor.png:
`docs/capture.sh docs/images/architecture-editor.png -- python docs/architecture_screenshot.py`.
"""

import sys

from PySide6.QtWidgets import QApplication, QDockWidget

from nnviz.app.main import start
from nnviz.core.examples import load_example

window = start()
window.session.set_project(load_example("font_digits"))
window.findChild(QDockWidget, "architecture").raise_()
window.architecture_panel.table.selectRow(2)
sys.exit(QApplication.instance().exec())
