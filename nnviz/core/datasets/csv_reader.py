"""CSV loading in blocks: fast, memory-lean, cancellable, and precise about what is wrong where.

Each block of whole lines is checked for the header's width (one count per line) and parsed by NumPy's C
`loadtxt`; the Python-level slow path runs only to *locate* a problem the fast path detected, so a clean
file never pays for per-cell checks. Rows are written into a preallocated array sized from the first block
(grown in place if the estimate was short, trimmed in place at the end), so a large file is never held
twice: only the text of one block and the final arrays are alive at once.

Sizes are bounded before they cost memory: a line longer than MAX_LINE_BYTES, more than MAX_CLASSES distinct
class labels, a label or column name longer than MAX_NAME_CHARS or more feature columns than a layer can
have are refused with the limit in the message, while reading, not after. Only regular files are read
(`open_regular`), and messages quote as little of the file as names the problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from nnviz.core.datasets.base import MAX_CLASSES, MAX_NAME_CHARS, Dataset, DatasetError
from nnviz.core.input_file import open_regular
from nnviz.core.network import MAX_NEURONS_PER_LAYER
from nnviz.core.number_input import read_float

CHUNK_BYTES = 1 << 22
#: a row of 10,000 features (the widest input layer) at up to ~800 characters each
MAX_LINE_BYTES = 8 << 20
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
        self.data: np.ndarray = np.empty((0, columns), dtype=dtype)
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


def _quoted(text: str | bytes, limit: int = 40) -> str:
    """A piece of the file for a message: repr'd and cut to `limit` characters."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _clean(cell: str) -> str:
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        cell = cell[1:-1]
    return cell


def _parse_header(line: bytes, path: str, targets: list[str], ignore: list[str]) -> tuple[bytes, _Columns]:
    text = _decode(line.removeprefix(b"\xef\xbb\xbf"), f"{path}, line 1")
    delimiter = next((d for d in _DELIMITERS if d.decode() in text), b",")
    names = [_clean(n) for n in text.rstrip("\r").split(delimiter.decode())]
    if len(names) > MAX_NEURONS_PER_LAYER + 1:
        raise DatasetError(
            f"{path}, line 1: {len(names)} columns; at most {MAX_NEURONS_PER_LAYER} features can be inputs"
        )
    long = next((n for n in names if len(n) > MAX_NAME_CHARS), None)
    if long is not None:
        raise DatasetError(
            f"{path}, line 1: a column name of {len(long)} characters ({_quoted(long)}); "
            f"at most {MAX_NAME_CHARS} are allowed"
        )
    if any(not n for n in names):
        raise DatasetError(f"{path}, line 1: the header has an empty column name")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise DatasetError(f"{path}, line 1: duplicate column name(s): {_listing(duplicated)}")
    if not targets:
        raise DatasetError(f"{path}: choose at least one target column")
    for name in targets + ignore:
        if name not in names and len(names) == 1:  # not quoted back: it may be any file's first line
            raise DatasetError(
                f"{path}, line 1: no column named {_quoted(name)}, and one column only: the first line "
                "must name the columns, separated by , ; or tab"
            )
        if name not in names:
            raise DatasetError(f"{path}: no column named {_quoted(name)} (columns: {_listing(names)})")
    target_idx = [names.index(n) for n in targets]
    features = [i for i, n in enumerate(names) if n not in targets and n not in ignore]
    if not features:
        raise DatasetError(f"{path}: no feature columns left after targets and ignored columns")
    return delimiter, _Columns(names, features, target_idx)


def _listing(names: list[str], count: int = 8) -> str:
    """The first `count` names, each cut short, for a message."""
    shown = [n if len(n) <= 20 else n[:20] + "…" for n in names[:count]]
    return ", ".join(shown) + (f", … ({len(names)} in all)" if len(names) > count else "")


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

    def width_problem(self, lines: list[bytes], first_line: int) -> DatasetError | None:
        """The first non-blank line of the block whose cell count is not the header's."""
        width = len(self.cols.names)
        for offset, line in enumerate(lines):
            cells = line.count(self.delimiter) + 1
            if line and cells != width:
                return DatasetError(f"{self._where(first_line + offset)}: {cells} cells, expected {width}")
        return None

    def locate_problem(self, lines: list[bytes], first_line: int) -> DatasetError:
        """Slow path: find the first bad line/cell in a block the fast path rejected (a wrong width anywhere
        in the block first: the label column is not known before every line has the header's width)."""
        width_problem = self.width_problem(lines, first_line)
        if width_problem is not None:
            return width_problem
        numeric = [c for c in self.cols.features + self.cols.targets if c != self.cols.label]
        for offset, line in enumerate(lines):
            if not line:
                continue
            cells = line.split(self.delimiter)
            for c in numeric + ([self.cols.label] if self.cols.label is not None else []):
                text = _clean(_decode(cells[c], self._where(first_line + offset, c)))
                if not text:
                    return DatasetError(f"{self._where(first_line + offset, c)}: empty cell")
                if c == self.cols.label:
                    continue
                try:
                    value = read_float(text)
                except ValueError:
                    hint = "; ignore the column, or make it the target" if c in self.cols.features else ""
                    return DatasetError(
                        f"{self._where(first_line + offset, c)}: not a number: {_quoted(text)}{hint}"
                    )
                if not np.isfinite(value):
                    return DatasetError(
                        f"{self._where(first_line + offset, c)}: {_quoted(text)} is not finite"
                    )
        return DatasetError(f"{self.path}, lines {first_line}-{first_line + len(lines) - 1}: malformed rows")

    def rows(self, block: bytes, first_line: int) -> tuple[list[bytes], list[bytes]]:
        """(non-blank rows, all lines) of a block, after checking every row has the header's width."""
        lines = block.replace(b"\r", b"").split(b"\n")
        rows = [line for line in lines if line] if b"" in lines else lines
        if rows and {line.count(self.delimiter) for line in rows} != {len(self.cols.names) - 1}:
            raise self.locate_problem(lines, first_line)  # it names the first line of another width
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
        assert k is not None, "only a target column of class indices is checked"
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
        assert c is not None, "only a class-label column has label codes"
        cells = [row.split(delimiter)[c].strip().strip(b'"') for row in rows]
        unique, inverse = np.unique(np.array(cells, dtype=object), return_inverse=True)
        if len(unique) and unique[0] == b"":
            raise self.locate_problem(lines, first_line)
        long = next((u for u in unique if len(u) > MAX_NAME_CHARS), None)
        if long is not None:
            line = first_line + lines.index(rows[cells.index(long)])
            raise DatasetError(
                f"{self._where(line, c)}: a class label of {len(long)} bytes ({_quoted(long)}); "
                f"at most {MAX_NAME_CHARS} are allowed"
            )
        codes = np.array([self.labels.setdefault(u, len(self.labels)) for u in unique], dtype=np.int64)
        if len(self.labels) > MAX_CLASSES:
            raise DatasetError(
                f"{self.path}, lines {first_line}-{first_line + len(lines) - 1}: more than {MAX_CLASSES} "
                f"different class labels in column {self.cols.names[c]!r}; at most {MAX_CLASSES} classes "
                "are supported (is it a numeric target, or an identifier to ignore?)"
            )
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


def _too_long(path: str, line_no: int) -> DatasetError:
    return DatasetError(
        f"{path}, line {line_no}: longer than {MAX_LINE_BYTES >> 20} MiB; at most {MAX_LINE_BYTES >> 20} MiB "
        "a line are read (is it a CSV table?)"
    )


def _blocks(
    handle: BinaryIO, size: int, first_line: int, path: str, cancel: Callable[[], bool] | None
) -> Iterator[tuple[bytes, int, int]]:
    """(block of whole lines, number of its first line, bytes consumed so far).

    Each read is `size` bytes and only the new bytes are searched for a line end, so a long line costs
    linear time; one longer than MAX_LINE_BYTES is refused as soon as that many bytes of it have been read
    (when `size` <= MAX_LINE_BYTES). `cancel` is polled before every read, within a long line too."""
    carry = b""
    line_no = first_line
    consumed = 0
    while True:
        if cancel is not None and cancel():
            raise LoadCancelled(f"{path}: loading cancelled")
        chunk = handle.read(size)
        consumed += len(chunk)
        if not chunk:
            if carry.strip():
                yield carry, line_no, consumed
            return
        cut = chunk.rfind(b"\n")
        if cut < 0:
            carry += chunk
            if len(carry) > MAX_LINE_BYTES:
                raise _too_long(path, line_no)
            continue
        if len(carry) + chunk.find(b"\n") > MAX_LINE_BYTES:
            raise _too_long(path, line_no)
        block, carry = carry + chunk[:cut], chunk[cut + 1 :]
        yield block, line_no, consumed
        line_no += block.count(b"\n") + 1


def load_csv(
    path: str | os.PathLike[str],
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
        handle = open_regular(name)  # closed in the finally below, across a generator
        total = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        raise DatasetError(f"{name}: cannot read: {exc.strerror or exc}") from None
    try:
        header = handle.readline(MAX_LINE_BYTES + 1)
        if len(header) > MAX_LINE_BYTES:
            raise _too_long(name, 1)
        if not header.strip():
            raise DatasetError(f"{name}: the file is empty (a header line is required)")
        delimiter, cols = _parse_header(header.rstrip(b"\r\n"), name, _as_names(targets), _as_names(ignore))
        parser = _BlockParser(name, delimiter, cols)
        x = _GrowingArray(len(cols.features))
        y: _GrowingArray | None = None
        chunk_bytes = min(chunk_bytes, total + 1)  # read(n) allocates n bytes at once, even for a small file
        for block, first_line, consumed in _blocks(handle, chunk_bytes, 2, name, cancel):
            rows, lines = parser.rows(block, first_line)
            if not rows:  # only blank lines so far
                continue
            if y is None:
                parser.detect_label_column(rows)
                if classes is not None and cols.label is None and len(cols.targets) == 1:
                    cols.classes = classes
                estimate = int(len(rows) * total / max(len(header) + consumed, 1) * 1.05) + 16
                x.reserve(estimate)
                y = _GrowingArray(1 if cols.label is not None else len(cols.targets), _target_dtype(cols))
                y.reserve(estimate)
            numeric_targets = cols.targets if cols.label is None else []
            # the labels first: their size checks come before the parser holds a long line as numbers
            codes = None if cols.label is None else parser.label_codes(rows, lines, first_line)
            values = parser.numbers(rows, cols.features + numeric_targets, lines, first_line)
            x.append(values[:, : len(cols.features)])
            if cols.classes is not None:
                y.append(parser.check_class_indices(values[:, -1], lines, first_line)[:, None])
            else:
                y.append(values[:, len(cols.features) :] if codes is None else codes[:, None])
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
