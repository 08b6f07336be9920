"""How far a student got in each lesson, kept in QSettings between runs: the step they were at and whether
they finished the lesson. Built-in lessons are keyed by their file name (stable across installs and
versions), lessons of one's own by their absolute path."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings

from nnviz.lessons.builtin import builtin_lesson_paths

GROUP = "lessons"


def _key(path: str | Path) -> str:
    path = Path(path).resolve()
    if path in {p.resolve() for p in builtin_lesson_paths()}:
        return f"{GROUP}/{path.stem}"
    return f"{GROUP}/file-{hashlib.sha1(str(path).encode()).hexdigest()[:16]}"


def resume_step(path: str | Path, n_steps: int) -> int:
    """Where the lesson reopens: the step the student was at, or the first once they had reached the last."""
    step = QSettings().value(f"{_key(path)}/step", 0, type=int)
    return step if isinstance(step, int) and 0 <= step < n_steps - 1 else 0


def finished(path: str | Path) -> bool:
    return bool(QSettings().value(f"{_key(path)}/finished", False, type=bool))


def record(path: str | Path, step: int, n_steps: int) -> None:
    """The student is at `step` (from 0) of `n_steps`; reaching the last step finishes the lesson."""
    settings = QSettings()
    settings.setValue(f"{_key(path)}/step", step)
    if step == n_steps - 1:
        settings.setValue(f"{_key(path)}/finished", True)
