"""Modal dialogs of the window (data import)."""
