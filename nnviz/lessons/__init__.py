"""Lessons: a guided course inside the app (docs/lessons.md). This package is Qt-free: it reads and checks
lesson files and lists the built-in ones; the window side is `nnviz.app.lessons`."""
