"""Measure cold start-up to the first painted window, the same way for the frozen and the venv app.

`install()` replaces `QApplication` by a subclass that watches for the first paint of a visible top-level
window; one event-loop turn later (the paint is then flushed to the screen) it prints
`nnviz-startup: first-window` to the file named by NNVIZ_STARTUP_PROBE_FILE (a windowed Windows build has
no stderr) or else to stderr, and with NNVIZ_STARTUP_PROBE=quit it then quits the app. The caller
(packaging/smoke_test.py) times from process spawn to that line, so interpreter start, library loading and
imports are all counted.
"""

import os
import sys

MARKER = "nnviz-startup: first-window"
TRAINED = "nnviz-startup: trained"  # NNVIZ_STARTUP_PROBE=train: Play trained a whole epoch


def install() -> None:
    """Make every QApplication created from now on report its first painted top-level window."""
    from PySide6 import QtWidgets
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaintWatcher(QObject):
        def __init__(self, app: QtWidgets.QApplication) -> None:
            super().__init__(app)
            self._app = app
            self._seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not self._seen
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QtWidgets.QWidget)
                and watched.isWindow()
                and watched.isVisible()
            ):
                self._seen = True
                QTimer.singleShot(0, self._report)
            return False

        def _report(self) -> None:
            _write(MARKER)
            mode = os.environ.get("NNVIZ_STARTUP_PROBE")
            if mode == "train":
                self._train_one_epoch()
            elif mode == "quit":
                self._quit()

        def _train_one_epoch(self) -> None:
            """Press Play in the window (the trainer runs in its own process, started by multiprocessing
            from the frozen binary): reported once a snapshot shows a completed epoch, then quit."""
            window = next(w for w in self._app.topLevelWidgets() if hasattr(w, "training"))
            controller = window.training.controller

            def on_snapshot(snap) -> None:
                if snap.epoch >= 1 and not self._trained:
                    self._trained = True
                    _write(TRAINED)
                    controller.pause()
                    window.session.undo_stack.setClean()  # the trained weights need no "save?" question
                    self._quit()

            self._trained = False
            controller.snapshot_ready.connect(on_snapshot)
            controller.start()

        def _quit(self) -> None:
            # Repeat: a quit() that arrives while start-up still runs a local event loop (before exec())
            # is lost, so keep asking until the main loop runs and ends.
            retry = QTimer(self)
            retry.timeout.connect(self._app.quit)
            retry.start(100)
            self._app.quit()

    class ProbedApplication(QtWidgets.QApplication):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)
            self.installEventFilter(_FirstPaintWatcher(self))

    QtWidgets.QApplication = ProbedApplication


def _write(line: str) -> None:
    path = os.environ.get("NNVIZ_STARTUP_PROBE_FILE")
    if path:
        with open(path, "a", encoding="utf-8") as report:
            report.write(f"{line}\n")
    else:
        print(line, file=sys.stderr, flush=True)
