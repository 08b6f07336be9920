"""Show the CSV import dialog on a small generated file, for docs/images/import-dialog.png:
`docs/capture.sh docs/images/import-dialog.png --size 900x640 --
python docs/import_dialog_screenshot.py`.
"""

import sys
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication

from nnviz.app.dialogs.csv_import import CsvImportDialog

app = QApplication(sys.argv[:1])
rng = np.random.default_rng(3)
path = Path(tempfile.mkdtemp()) / "flowers.csv"
rows = ["sepal_length,sepal_width,petal_length,sample_id,species"]
for i in range(60):
    kind = i % 3
    length, width, petal = rng.normal([5.0 + kind, 3.4 - 0.3 * kind, 1.5 + 2 * kind], 0.3)
    rows.append(
        f"{length:.1f},{width:.1f},{petal:.1f},{1000 + i},{('setosa', 'versicolor', 'virginica')[kind]}"
    )
path.write_text("\n".join(rows) + "\n")
dialog = CsvImportDialog(str(path))
dialog.role_boxes[3].setCurrentText("ignore")
dialog.move(10, 10)
dialog.resize(860, 600)
dialog.show()
sys.exit(app.exec())
