"""pyqtgraph views: activation curves and the other plots."""
