"""File ▸ Export ▸ Training replay…: a run as an animated GIF or an MP4, made off the GUI thread.

The frames are those of `nnviz replay` (files/replay.py, the one encoder): the network, its decision map and
the loss curve, one frame per checkpoint. The export runs in a QThread with a copy of what it reads (the run's
checkpoint list as it is now: training may go on meanwhile); each frame reports progress, and Cancel is
checked between frames (cooperative: nothing is written when cancelled).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nnviz.app.files.replay import MAX_FPS, MAX_SIZE, MIN_SIZE, ReplayError, replay_to_file
from nnviz.core.atomic_file import WriteError

FORMATS = (("Animated GIF (.gif)", ".gif"), ("MP4 video (.mp4)", ".mp4"))


class ReplayWorker(QObject):
    """Writes one replay in its thread; `progress(done, total)` after each frame."""

    progress = Signal(int, int)
    #: payload: frames written
    finished = Signal(int)
    #: payload: why the replay could not be made
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, job: dict[str, Any]) -> None:
        super().__init__()
        self.job = job
        self.stop = threading.Event()

    @Slot()
    def run(self) -> None:
        try:
            frames = replay_to_file(**self.job, on_frame=self._on_frame)
        except (ReplayError, WriteError, OSError, ValueError) as exc:
            self.failed.emit(str(exc))
        else:
            if self.stop.is_set():
                self.cancelled.emit()
            else:
                self.finished.emit(frames)
        finally:
            self.thread().quit()

    def _on_frame(self, done: int, total: int) -> bool:
        self.progress.emit(done, total)
        return not self.stop.is_set()


class ReplayExportDialog(QDialog):
    """Choose the run, format, size, frame rate and file; Export shows progress, Cancel stops it."""

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export training replay")
        self.session = session
        self.runs = [r for r in session.project.runs if r.checkpoints]
        self.run_box = QComboBox()
        self.run_box.addItems([f"{r.name} ({len(r.checkpoints)} checkpoints)" for r in self.runs])
        self.run_box.setCurrentIndex(len(self.runs) - 1)
        self.format_box = QComboBox()
        for text, suffix in FORMATS:
            self.format_box.addItem(text, suffix)
        self.width_box = self._spin(MIN_SIZE, MAX_SIZE, 960, " px")
        self.height_box = self._spin(MIN_SIZE, MAX_SIZE, 540, " px")
        self.fps_box = self._spin(1, MAX_FPS, 5, " frames/s")
        self.fps_box.setToolTip("Each checkpoint is one frame")
        folder = os.path.dirname(session.path) if session.path else os.path.expanduser("~")
        self.path = QLineEdit(os.path.join(folder, "replay.gif"))
        self.progress = QProgressBar()
        self.progress.setFormat("frame %v of %m")
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setEnabled(bool(self.runs))
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form())
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.format_box.currentIndexChanged.connect(self._on_format_changed)
        if not self.runs:
            self.message.setText("This project has no training runs yet: train it first (Play), then export.")
        self._thread: QThread | None = None
        self.worker: ReplayWorker | None = None

    def _form(self) -> QFormLayout:
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        size = QHBoxLayout()
        size.addWidget(self.width_box)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_box)
        form = QFormLayout()
        form.addRow("Run:", self.run_box)
        form.addRow("Format:", self.format_box)
        form.addRow("Size:", size)
        form.addRow("Frame rate:", self.fps_box)
        form.addRow("File:", where)
        return form

    @staticmethod
    def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setValue(value)
        box.setSuffix(suffix)
        return box

    def _on_format_changed(self) -> None:
        """The file name's ending follows the format."""
        root, _ = os.path.splitext(self.path.text())
        self.path.setText(root + self.format_box.currentData())

    def _browse(self) -> None:
        suffix = self.format_box.currentData()
        path, _ = QFileDialog.getSaveFileName(self, "Export replay", self.path.text(), f"*{suffix}")
        if path:
            self.path.setText(path if path.lower().endswith(suffix) else path + suffix)

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def export(self) -> None:
        """Start writing the replay in a thread of its own."""
        run = self.runs[self.run_box.currentIndex()]
        run = dataclasses.replace(run, checkpoints=list(run.checkpoints), history=dict(run.history))
        job = {
            "project": dataclasses.replace(self.session.project, runs=[run]),
            "run": run,
            "out_path": self.path.text(),
            "fps": self.fps_box.value(),
            "width": self.width_box.value(),
            "height": self.height_box.value(),
            "data": self.session.dataset,
        }
        self.worker = worker = ReplayWorker(job)
        self._thread = thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        thread.finished.connect(worker.deleteLater)
        self.progress.setRange(0, len(run.checkpoints))
        self.progress.setValue(0)
        self.progress.show()
        self.message.setText("")
        self._set_busy(True)
        thread.start()

    def _set_busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        for box in (self.run_box, self.format_box, self.width_box, self.height_box, self.fps_box, self.path):
            box.setEnabled(not busy)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)

    def _on_finished(self, frames: int) -> None:
        self._set_busy(False)
        self.message.setText(f"Wrote {frames} frames to {self.path.text()}")
        self.export_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")

    def _on_failed(self, why: str) -> None:
        self._set_busy(False)
        self.progress.hide()
        self.message.setText(f"Could not export the replay: {why}")

    def _on_cancelled(self) -> None:
        self._set_busy(False)
        self.progress.hide()
        self.message.setText("Cancelled: nothing was written.")

    def reject(self) -> None:
        """Cancel: stops an export under way (at the next frame) and waits for it; else closes."""
        if self.busy and self.worker is not None and self._thread is not None:
            self.worker.stop.set()
            self._thread.wait()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self.busy and self.worker is not None and self._thread is not None:  # closed mid-export
            self.worker.stop.set()
            self._thread.wait()
        super().done(result)


def export_replay(window: Any) -> None:
    """File ▸ Export ▸ Training replay…"""
    dialog = ReplayExportDialog(window.session, window)
    dialog.exec()
