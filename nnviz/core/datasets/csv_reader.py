"""CSV loading in blocks: fast, memory-lean, cancellable, and precise about what is wrong where.

Each block of whole lines is checked for the header's width (one count per line) and parsed by NumPy's C
`loadtxt`; the Python-level slow path runs only to *locate* a problem the fast path detected, so a clean
file never pays for per-cell checks. Rows are written into a preallocated array sized from the first block
(grown in place if the estimate was short, trimmed in place at the end), so a large file is never held
twice: only the text of one block and the final arrays are alive at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.core.datasets.base import Dataset, DatasetError

CHUNK_BYTES = 1 << 22
_DELIMITERS = (b",", b";", b"\t")


class LoadCancelled(DatasetError):
    """The user cancelled a load through the `cancel` callback; nothing was returned."""


@dataclass
class _Columns:
    """Which header positions are features, targets (numeric or one class-label column) or ignored."""

    names: list[str]
    features: list[int]
    targets: list[int]
    label: int | None = None  # the one non-numeric target column, if any
    classes: int | None = None  # K when the one numeric target column holds class indices 0..K-1


class _GrowingArray:
    """A 2-D float array filled block by block; grows and trims with realloc rather than copies."""

    def __init__(self, columns: int, dtype: type = np.float64) -> None:
        self.data = np.empty((0, columns), dtype=dtype)
        self.rows = 0

    def reserve(self, rows: int) -> None:
        if rows > len(self.data):
            self.data.resize((rows, self.data.shape[1]), refcheck=False)

    def append(self, block: np.ndarray) -> None:
        end = self.rows + len(block)
        if end > len(self.data):
            self.reserve(max(end, int(len(self.data) * 1.25) + 1024))
        self.data[self.rows : end] = block
        self.rows = end

    def finish(self) -> np.ndarray:
        self.data.resize((self.rows, self.data.shape[1]), refcheck=False)
        return self.data


def _as_names(value: str | Sequence[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DatasetError(f"{where}: not valid UTF-8 text") from None


def _clean(cell: str) -> str:
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        cell = cell[1:-1]
    return cell


def _parse_header(line: bytes, path: str, targets: list[str], ignore: list[str]) -> tuple[bytes, _Columns]:
    text = _decode(line.removeprefix(b"\xef\xbb\xbf"), f"{path}, line 1")
    delimiter = next((d for d in _DELIMITERS if d.decode() in text), b",")
    names = [_clean(n) for n in text.rstrip("\r").split(delimiter.decode())]
    if any(not n for n in names):
        raise DatasetError(f"{path}, line 1: the header has an empty column name")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DatasetError(f"{path}, line 1: duplicate column name(s): {', '.join(duplicated)}")
    if not targets:
        raise DatasetError(f"{path}: choose at least one target column")
    for name in targets + ignore:
        if name not in names:
            raise DatasetError(f"{path}: no column named {name!r} (columns: {', '.join(names)})")
    target_idx = [names.index(n) for n in targets]
    features = [i for i, n in enumerate(names) if n not in targets and n not in ignore]
    if not features:
        raise DatasetError(f"{path}: no feature columns left after targets and ignored columns")
    return delimiter, _Columns(names, features, target_idx)


class _BlockParser:
    """Turns blocks of complete lines into feature rows, numeric targets and class-label codes."""

    def __init__(self, path: str, delimiter: bytes, columns: _Columns) -> None:
        self.path = path
        self.delimiter = delimiter
        self.cols = columns
        self.labels: dict[bytes, int] = {}

    def _where(self, line_no: int, column: int | None = None) -> str:
        where = f"{self.path}, line {line_no}"
        return where if column is None else f"{where}, column {self.cols.names[column]!r}"

    def locate_problem(self, lines: list[bytes], first_line: int) -> DatasetError:
        """Slow path: find the first bad line/cell in a block the fast path rejected."""
        width = len(self.cols.names)
        numeric = [c for c in self.cols.features + self.cols.targets if c != self.cols.label]
        for offset, line in enumerate(lines):
            if not line:
                continue
            cells = line.split(self.delimiter)
            if len(cells) != width:
                return DatasetError(
                    f"{self._where(first_line + offset)}: {len(cells)} cells, expected {width}"
                )
            for c in numeric + ([self.cols.label] if self.cols.label is not None else []):
                text = _clean(_decode(cells[c], self._where(first_line + offset, c)))
                if not text:
                    return DatasetError(f"{self._where(first_line + offset, c)}: empty cell")
                if c == self.cols.label:
                    continue
                try:
                    value = float(text)
                except ValueError:
                    hint = "; ignore the column, or make it the target" if c in self.cols.features else ""
                    return DatasetError(
                        f"{self._where(first_line + offset, c)}: not a number: {text[:40]!r}{hint}"
                    )
                if not np.isfinite(value):
                    return DatasetError(f"{self._where(first_line + offset, c)}: {text!r} is not finite")
        return DatasetError(f"{self.path}, lines {first_line}-{first_line + len(lines) - 1}: malformed rows")

    def rows(self, block: bytes, first_line: int) -> tuple[list[bytes], list[bytes]]:
        """(non-blank rows, all lines) of a block, after checking every row has the header's width."""
        lines = block.replace(b"\r", b"").split(b"\n")
        rows = [line for line in lines if line] if b"" in lines else lines
        if {line.count(self.delimiter) for line in rows} != {len(self.cols.names) - 1}:
            raise self.locate_problem(lines, first_line)
        return rows, lines

    def column_is_numeric(self, rows: list[bytes], column: int) -> bool:
        try:
            self._parse(rows, [column])
        except ValueError:
            return False
        return True

    def detect_label_column(self, rows: list[bytes]) -> None:
        """A target column whose first block is not all numbers holds class labels."""
        for c in self.cols.targets:
            if self.column_is_numeric(rows, c):
                continue
            if len(self.cols.targets) > 1:
                raise DatasetError(
                    f"{self.path}: target {self.cols.names[c]!r} holds class labels; a class-label target "
                    "must be the only target"
                )
            self.cols.label = c

    def check_class_indices(self, values: np.ndarray, lines: list[bytes], first_line: int) -> np.ndarray:
        """The numeric target column as class indices; the first value that is not an integer in
        0..classes-1 is reported with its line."""
        k = self.cols.classes
        bad = (values != np.round(values)) | (values < 0) | (values >= k)
        if not bad.any():
            return values.astype(np.int64)
        row = int(np.flatnonzero(bad)[0])
        offset = [i for i, line in enumerate(lines) if line][row]
        column = self.cols.targets[0]
        text = _clean(_decode(lines[offset].split(self.delimiter)[column], self.path))
        raise DatasetError(
            f"{self._where(first_line + offset, column)}: {text[:40]!r} is not a class index "
            f"(a whole number from 0 to {k - 1}: the network has {k} outputs)"
        )

    def _parse(self, rows: list[bytes], columns: list[int]) -> np.ndarray:
        return np.loadtxt(
            rows,
            dtype=np.float64,
            delimiter=self.delimiter.decode(),
            comments=None,
            quotechar='"',
            usecols=columns,
            ndmin=2,
            encoding="latin-1",
        )

    def numbers(
        self, rows: list[bytes], columns: list[int], lines: list[bytes], first_line: int
    ) -> np.ndarray:
        try:
            values = self._parse(rows, columns)
        except ValueError:
            raise self.locate_problem(lines, first_line) from None
        if len(values) != len(rows) or not np.isfinite(values).all():
            raise self.locate_problem(lines, first_line)
        return values

    def label_codes(self, rows: list[bytes], lines: list[bytes], first_line: int) -> np.ndarray:
        c, delimiter = self.cols.label, self.delimiter
        column = np.array([row.split(delimiter)[c].strip().strip(b'"') for row in rows], dtype=object)
        unique, inverse = np.unique(column, return_inverse=True)
        if len(unique) and unique[0] == b"":
            raise self.locate_problem(lines, first_line)
        codes = np.array([self.labels.setdefault(u, len(self.labels)) for u in unique], dtype=np.int64)
        return codes[inverse.reshape(-1)]

    def class_names(self, codes: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Class names sorted; the codes renumbered to match."""
        named = {
            _decode(raw, f"{self.path}: class label {raw[:40]!r}"): code for raw, code in self.labels.items()
        }
        names = sorted(named)
        remap = np.empty(len(names), dtype=np.int64)
        for new, name in enumerate(names):
            remap[named[name]] = new
        return names, remap[codes]


def _blocks(handle, size: int, first_line: int):
    """(block of whole lines, number of its first line, bytes consumed so far)."""
    carry = b""
    line_no = first_line
    consumed = 0
    while True:
        chunk = handle.read(size)
        consumed += len(chunk)
        if not chunk:
            if carry.strip():
                yield carry, line_no, consumed
            return
        data = carry + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
            continue
        block, carry = data[:cut], data[cut + 1 :]
        yield block, line_no, consumed
        line_no += block.count(b"\n") + 1


def load_csv(
    path: str | os.PathLike,
    targets: str | Sequence[str],
    ignore: str | Sequence[str] = (),
    progress: Callable[[float], object] | None = None,
    cancel: Callable[[], bool] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    classes: int | None = None,
) -> Dataset:
    """A CSV file with a header line as a Dataset (re-exported as `nnviz.core.datasets.files.load_csv`).

    `targets` names the target column(s) (a str is one name); `ignore` names columns to skip; every other
    column is a numeric feature. A single target of non-numeric labels makes a classification set whose
    class names are the sorted labels; numeric targets make a regression set with `y` of shape (n, k), except
    that with `classes` = K a single numeric target holds class indices 0..K-1 (the MNIST CSV's `label`
    for a network of K softmax outputs): a classification set with class names "0".."K-1", where a value
    that is not such an index is an error naming its line.
    The delimiter is `,` (or `;` / tab when the header has no comma). `progress(fraction)` is called after
    each block of `chunk_bytes` is read; `cancel()` is polled between blocks and, when true, stops the load
    with `LoadCancelled` (a `DatasetError`).
    """
    name = os.fspath(path)
    try:
        total = os.path.getsize(name)
        handle = open(name, "rb")  # noqa: SIM115 - closed in the finally below, across a generator
    except OSError as exc:
        raise DatasetError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        header = handle.readline()
        if not header.strip():
            raise DatasetError(f"{name}: the file is empty (a header line is required)")
        delimiter, cols = _parse_header(header.rstrip(b"\r\n"), name, _as_names(targets), _as_names(ignore))
        parser = _BlockParser(name, delimiter, cols)
        x = _GrowingArray(len(cols.features))
        y: _GrowingArray | None = None
        for block, first_line, consumed in _blocks(handle, chunk_bytes, 2):
            if cancel is not None and cancel():
                raise LoadCancelled(f"{name}: loading cancelled")
            rows, lines = parser.rows(block, first_line)
            if y is None:
                parser.detect_label_column(rows)
                if classes is not None and cols.label is None and len(cols.targets) == 1:
                    cols.classes = classes
                estimate = int(len(rows) * total / max(len(header) + consumed, 1) * 1.05) + 16
                x.reserve(estimate)
                y = _GrowingArray(1 if cols.label is not None else len(cols.targets), _target_dtype(cols))
                y.reserve(estimate)
            numeric_targets = cols.targets if cols.label is None else []
            values = parser.numbers(rows, cols.features + numeric_targets, lines, first_line)
            x.append(values[:, : len(cols.features)])
            if cols.classes is not None:
                y.append(parser.check_class_indices(values[:, -1], lines, first_line)[:, None])
            elif cols.label is None:
                y.append(values[:, len(cols.features) :])
            else:
                y.append(parser.label_codes(rows, lines, first_line)[:, None])
            if progress is not None:
                progress(min(1.0, (len(header) + consumed) / max(total, 1)))
    finally:
        handle.close()
    if y is None:
        raise DatasetError(f"{name}: no data rows after the header")
    return _dataset(name, parser, x.finish(), y.finish())


def _target_dtype(cols: _Columns) -> type:
    return np.int64 if cols.label is not None or cols.classes is not None else np.float64


def _dataset(path: str, parser: _BlockParser, x: np.ndarray, y: np.ndarray) -> Dataset:
    cols = parser.cols
    feature_names = [cols.names[i] for i in cols.features]
    target_names = [cols.names[i] for i in cols.targets]
    stem = os.path.splitext(os.path.basename(path))[0]
    if cols.classes is not None:
        names = [str(k) for k in range(cols.classes)]
        return Dataset(x, y[:, 0], "classification", feature_names, target_names, names, name=stem)
    if cols.label is None:
        return Dataset(x, y, "regression", feature_names, target_names, name=stem)
    class_names, codes = parser.class_names(y[:, 0])
    return Dataset(x, codes, "classification", feature_names, target_names, class_names, name=stem)
