"""Show the data painter with three painted clusters, for docs/images/data-painter.png:
`docs/capture.sh docs/images/data-painter.png --size 520x600 --
python docs/data_painter_screenshot.py`.
"""

from importlib.resources import files

import numpy as np
from PySide6.QtWidgets import QApplication

from nnviz.app.panels.data_painter import DataPainter
from nnviz.app.session import Session
from nnviz.core.document import load_project

app = QApplication([])
session = Session(load_project(str(files("nnviz.resources") / "examples" / "classic.nnviz")))
painter = DataPainter(session)
painter.classes.setValue(3)
rng = np.random.default_rng(1)
for label, centre in enumerate(((-0.5, 0.4), (0.45, 0.35), (0.0, -0.5))):
    for _ in range(40):
        painter.canvas.add_point(np.array(centre) + rng.normal(0, 0.15, 2), label)
painter.current.setValue(2)
painter.resize(520, 600)
painter.show()
app.exec()
