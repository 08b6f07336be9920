"""The lessons in the window: the Lessons menu, the lesson panel, goals checked live (docs/lessons.md)."""
