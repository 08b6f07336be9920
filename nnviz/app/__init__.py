"""The Qt front end (PySide6 + pyqtgraph): one client of nnviz.core."""
