"""The course shipped with nnviz: resources/lessons/NN-slug.nnlesson, in the order of their numbers.

Read through importlib.resources so they are found in a source tree, an installed wheel and a frozen app.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from nnviz.lessons.format import SUFFIX


def builtin_lesson_paths() -> list[Path]:
    """The built-in lesson files, sorted by their number (the file names start with it)."""
    folder = resources.files("nnviz.resources") / "lessons"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(SUFFIX))
