"""Import a CSV file: preview the first rows, give each column a role, choose scaling, load in a thread.

The preview reads only the first lines; the full load runs `load_csv` in a QThread with a progress bar and a
Cancel button, so a file of millions of rows neither freezes the window nor has to be waited out.
"""

from __future__ import annotations

import csv

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nnviz.core.datasets.base import Dataset, DatasetError
from nnviz.core.datasets.files import load_csv
from nnviz.core.input_file import open_regular
from nnviz.core.number_input import read_float
from nnviz.core.scaling import METHODS, Scaler

ROLES = ("feature", "target", "ignore")
PREVIEW_ROWS = 20
BLANK_LINES_SKIPPED = 20  # read this many lines more, so blank lines do not shorten the preview
#: background of a preview row the loader will refuse
PROBLEM_BACKGROUND = QColor("#f4c7c3")
#: bytes read for the preview: the header and rows of a 784-pixel image table fit many times over
PREVIEW_BYTES = 1 << 20
#: columns the dialog offers a role box for (a 28 × 28 image table has 785)
MAX_DIALOG_COLUMNS = 2_000


def read_preview(path: str, rows: int = PREVIEW_ROWS) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, the first `rows` data rows split by the delimiter the loader will use, and the file line
    each row starts on (blank lines are not rows, as for the loader, but they count as lines). Only the
    first PREVIEW_BYTES of the file are read; a header longer than that, or of more than MAX_DIALOG_COLUMNS
    columns, is refused (such a table imports with `nnviz train --data`)."""
    try:
        with open_regular(path) as f:
            head = f.read(PREVIEW_BYTES + 1)
        if not head.strip():
            raise DatasetError(f"{path}: the file is empty (a header line is required)")
        lines = head.removeprefix(b"\xef\xbb\xbf").split(b"\n")
        if len(lines) == 1 and len(head) > PREVIEW_BYTES:
            raise DatasetError(
                f"{path}: the first line is longer than {PREVIEW_BYTES >> 20} MiB; is it a CSV table?"
            )
        wanted = rows + 1 + BLANK_LINES_SKIPPED  # a last line cut by the byte limit is left out
        lines = lines[:wanted] if len(head) <= PREVIEW_BYTES else lines[: min(wanted, len(lines) - 1)]
        text = [line.decode("utf-8").rstrip("\r") for line in lines]
        header = text[0]
        delimiter = "," if "," in header else ";" if ";" in header else "\t"
        if header.count(delimiter) >= MAX_DIALOG_COLUMNS:
            raise DatasetError(
                f"{path}: {header.count(delimiter) + 1} columns; this dialog offers at most "
                f"{MAX_DIALOG_COLUMNS} (import it with nnviz train --data)"
            )
        reader = csv.reader(text, delimiter=delimiter)
        table: list[list[str]] = []
        line_numbers: list[int] = []
        next_line = 1
        for row in reader:
            if row or not table:
                table.append(row)
                line_numbers.append(next_line)
            next_line = reader.line_num + 1
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 text (byte {exc.start}); is it a CSV file?") from None
    except csv.Error as exc:
        raise DatasetError(f"{path}: not a CSV table ({exc})") from None
    return [c.strip() for c in table[0]], table[1 : rows + 1], line_numbers[1 : rows + 1]


def row_problem(row: list[str], width: int, numeric: list[int], names: list[str]) -> str:
    """Why a data row will not load ("" if it will): the wrong number of cells, an empty cell, or text in a
    column that must hold numbers (`numeric`: those columns' indices)."""
    if len(row) != width:
        return f"{len(row)} cells, expected {width}"
    for c in numeric:
        text = row[c].strip()
        if not text:
            return f"column {names[c]!r}: empty cell"
        if not _is_number(text):
            return f"column {names[c]!r}: not a number: {text[:40]!r}"
    return ""


def _preview_or_problem(path: str) -> tuple[list[str], list[list[str]], list[int], str]:
    """read_preview, or no columns and why not: the dialog shows why, and only Cancel is left to press."""
    try:
        header, rows, line_numbers = read_preview(path)
    except (DatasetError, OSError) as exc:
        return [], [], [], str(exc)
    return header, rows, line_numbers, ""


def _is_number(text: str) -> bool:
    try:
        read_float(text)
    except ValueError:
        return False
    return True


class _LoadThread(QThread):
    """Runs load_csv; reports progress in per mille and the result or the error message."""

    progressed = Signal(int)
    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, path: str, targets: list[str], ignore: list[str], classes: int | None) -> None:
        super().__init__()
        self.path, self.targets, self.ignore, self.classes = path, targets, ignore, classes
        self.cancelled = False

    def run(self) -> None:
        try:
            data = load_csv(
                self.path,
                self.targets,
                self.ignore,
                progress=lambda f: self.progressed.emit(int(f * 1000)),
                cancel=lambda: self.cancelled,
                classes=self.classes,
            )
        except (DatasetError, OSError, ValueError) as exc:
            self.failed.emit(str(exc))
        else:
            self.loaded.emit(data)


class CsvImportDialog(QDialog):
    """After `exec()` is accepted: `dataset` (raw features) and `scaler` (fitted with the chosen method).

    `classes` = K (`dataset_ref.class_count` of the open network) reads one numeric target column as class
    indices 0..K-1, as `nnviz train` does."""

    #: the background load ended (loaded, failed or cancelled).
    load_finished = Signal()

    def __init__(self, path: str, parent: QWidget | None = None, classes: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import CSV")
        self.path, self.classes = path, classes
        self.dataset: Dataset | None = None
        self.scaler: Scaler | None = None
        self._thread: _LoadThread | None = None
        self.header, self.rows, self.line_numbers, problem = _preview_or_problem(path)
        self._problem = problem
        self._load_error = ""  # why the last Import failed: shown until the next one
        self.table = QTableWidget(len(self.rows) + 1, len(self.header))
        self.table.setHorizontalHeaderLabels(self.header)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # rows are labelled by their line in the file, the number a load error names
        self.table.setVerticalHeaderLabels(["role"] + [f"line {n}" for n in self.line_numbers])
        self.role_boxes = []
        for c in range(len(self.header)):
            box = QComboBox()
            box.addItems(ROLES)
            box.setCurrentText("target" if c == len(self.header) - 1 else "feature")
            box.currentTextChanged.connect(self._update_summary)
            self.table.setCellWidget(0, c, box)
            self.role_boxes.append(box)
            for r, row in enumerate(self.rows):
                self.table.setItem(r + 1, c, QTableWidgetItem(row[c] if c < len(row) else ""))
        self.scaling = QComboBox()
        self.scaling.addItems(METHODS)
        self.scaling.setCurrentText("standard")
        self.task_label = QLabel()
        self.message = QLabel(problem)
        self.message.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton("Import")
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.start_import)
        self.buttons.rejected.connect(self.cancel)
        form = QFormLayout()
        form.addRow("Feature scaling", self.scaling)
        form.addRow("Detected task", self.task_label)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{path} — first {len(self.rows)} rows; choose each column's role:"))
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(760, 520)
        self._update_summary()

    def columns(self, role: str) -> list[str]:
        return [
            name for name, box in zip(self.header, self.role_boxes, strict=True) if box.currentText() == role
        ]

    def _target_cells(self) -> tuple[list[int], list[str]]:
        """(the target columns, their preview cells)."""
        targets = [self.header.index(name) for name in self.columns("target")]
        return targets, [row[c] for row in self.rows for c in targets if c < len(row)]

    def detected_task(self) -> str | None:
        """As load_csv will decide: one non-numeric target column → classification, numbers → regression,
        unless the network has `classes` outputs for one numeric column of class indices."""
        targets, cells = self._target_cells()
        if not targets:
            return None
        if not all(map(_is_number, cells)):
            return "classification"
        return "classification" if self.classes is not None and len(targets) == 1 else "regression"

    def _numeric_classes(self) -> bool:
        """Whether the one target column holds numbers read as class indices."""
        targets, cells = self._target_cells()
        return self.classes is not None and len(targets) == 1 and all(map(_is_number, cells))

    def first_problem(self) -> str:
        """The first previewed row that will not load with the chosen roles, e.g. `line 5: 2 cells, expected
        3`; its row is highlighted (and any earlier highlight cleared)."""
        numeric = [self.header.index(name) for name in self.columns("feature")]
        if self.detected_task() == "regression":
            numeric += [self.header.index(name) for name in self.columns("target")]
        first = ""
        for r, (row, line) in enumerate(zip(self.rows, self.line_numbers, strict=True)):
            problem = row_problem(row, len(self.header), sorted(numeric), self.header)
            for c in range(len(self.header)):
                item = self.table.item(r + 1, c)
                assert item is not None, "the preview fills every cell of its table"
                item.setBackground(PROBLEM_BACKGROUND if problem else QBrush())
            if problem and not first:
                first = f"line {line}: {problem}"
        return first

    def _update_summary(self) -> None:
        task = self.detected_task()
        n_features = len(self.columns("feature"))
        classes = ""
        if self.classes is not None and self._numeric_classes():
            classes = f", class indices 0..{self.classes - 1}"
        self.task_label.setText(
            f"{task}{classes} ({n_features} features)" if task else "choose at least one target column"
        )
        self.import_button.setEnabled(task is not None and n_features > 0 and self._thread is None)
        if self.header and self._thread is None:
            problem = self.first_problem()
            problem = f"This row will not load — {problem}" if problem else self._problem
            self.message.setText(self._load_error or problem)

    def start_import(self) -> None:
        """Load the whole file in a worker thread; the dialog closes when it is done."""
        self.message.clear()
        self._load_error = ""
        self.progress.setValue(0)
        self.progress.show()
        self._thread = _LoadThread(self.path, self.columns("target"), self.columns("ignore"), self.classes)
        self._thread.progressed.connect(self.progress.setValue)
        self._thread.loaded.connect(self._loaded)
        self._thread.failed.connect(self._failed)
        self._thread.finished.connect(self._finished)
        self.import_button.setEnabled(False)
        self._thread.start()

    def _loaded(self, data: Dataset) -> None:
        self.dataset = data
        self.scaler = Scaler.fit(data.x, self.scaling.currentText())

    def _failed(self, text: str) -> None:
        self._load_error = text
        self.message.setText(text)

    def _finished(self) -> None:
        assert self._thread is not None, "only the thread _load started reports finished"
        self._thread.wait()
        self._thread = None
        self.progress.hide()
        self._update_summary()
        self.load_finished.emit()
        if self.dataset is not None:
            self.accept()

    def cancel(self) -> None:
        """Stop a running load (between blocks) or close the dialog."""
        if self._thread is not None:
            self._thread.cancelled = True
        else:
            self.reject()
