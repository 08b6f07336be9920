"""nnviz: see and touch a neural network.

This module must stay import-light: `nnviz --version` reads `__version__` without importing NumPy or Qt.
"""

__version__ = "0.1.0"
