"""`nnviz [FILE]`: start the application with a file, or with the default example so there is a network
to look at from the first second."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from nnviz.app.files.autosave import forget, orphaned_recoveries
from nnviz.app.main_window import MainWindow
from nnviz.app.session import Session
from nnviz.app.window.about import application_icon_path
from nnviz.app.window.theme import apply_theme, saved_theme
from nnviz.core.document import DocumentError, Project, load_project
from nnviz.core.examples import DEFAULT, load_example
from nnviz.lessons.format import SUFFIX as LESSON_SUFFIX


def default_project() -> Project:
    return load_example(DEFAULT)


def open_project(path: str | None) -> tuple[Project, str | None, str | None]:
    """(project, its path, an error message): a file that cannot be read gives the default and the reason."""
    if path is None:
        return default_project(), None, None
    try:
        return load_project(path), path, None
    except (DocumentError, OSError, ValueError) as exc:
        return default_project(), None, f"Cannot open {path}:\n{exc}\n\nThe default example is shown instead."


def start(path: str | None = None) -> MainWindow:
    """Set up the application and show the main window on `path` (or the default example); a file that
    cannot be opened is explained in a dialog over the window, once the event loop runs."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("nnviz")
    app.setOrganizationName("nnviz")
    app.setWindowIcon(QIcon(application_icon_path()))
    # The theme chosen last time (View > Theme); plots take its colours instead of pyqtgraph's black.
    apply_theme(saved_theme(), remember=False)
    lesson = path if path is not None and path.endswith(LESSON_SUFFIX) else None
    project, path, error = open_project(None if lesson else path)
    window = MainWindow(Session(project, path))
    window.show()
    if lesson:  # the lesson opens its own project over the default one, once the window runs
        QTimer.singleShot(0, lambda: window.lessons.open_lesson(lesson))
    elif error:
        QTimer.singleShot(0, lambda: QMessageBox.critical(window, "Cannot open project", error))
    elif orphans := orphaned_recoveries():
        QTimer.singleShot(0, lambda: offer_recovery(window, orphans))
    return window


def offer_recovery(window: MainWindow, orphans: list | None = None) -> None:
    """Windows that ended without saving left their work: offer each (newest first) until one is opened
    here as an unsaved document. Work the user keeps for later is offered at the next start."""
    orphans = orphaned_recoveries() if orphans is None else orphans
    buttons = QMessageBox.StandardButton
    for number, (path, lock) in enumerate(orphans, start=1):
        more = f" ({number} of {len(orphans)})" if len(orphans) > 1 else ""
        answer = QMessageBox.question(
            window,
            "Recover unsaved work",
            f"nnviz was closed without saving its last changes{more}. Open the recovered network?\n\n"
            "Discard deletes it; Ignore keeps it to be offered the next time nnviz starts.",
            buttons.Open | buttons.Discard | buttons.Ignore,
        )
        if answer == buttons.Open:
            try:
                window.session.set_project(load_project(path))
            except (DocumentError, OSError) as exc:
                QMessageBox.critical(window, "Cannot recover", f"{path}:\n{exc}")
                lock.unlock()
                continue
            window.session.undo_stack.resetClean()  # unsaved until saved: this window's autosave keeps it
            forget(path, lock)
            for _, other in orphans[number:]:
                other.unlock()
            return
        if answer == buttons.Discard:
            forget(path, lock)
        else:
            lock.unlock()


def run(path: str | None = None) -> int:
    """`nnviz [FILE]`: the window and the event loop; returns the exit code."""
    window = start(path)  # kept referenced while the loop runs
    code = QApplication.exec()
    del window
    return code
