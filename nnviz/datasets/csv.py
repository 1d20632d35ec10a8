"""Read a user's 2-D dataset from CSV: a header row, two numeric features and a label column.

Files users hand us are data, so every way a file can be wrong ends in a `DatasetError` that
says where: rows are numbered like a spreadsheet (the header is row 1). The file is read as a
stream with every limit of `nnviz.core.limits` checked on the way (size first, then each row's
length before the csv module splits it, then rows and classes as they come), so a huge or
hostile file stops at its first excess instead of being parsed whole.
"""

from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path
from typing import IO

import numpy as np

from nnviz.core import limits
from nnviz.datasets.base import Dataset, DatasetError

_LABEL_NAMES = ("y", "label")


def from_csv(
    file: str | os.PathLike[str] | bytes | IO[bytes] | IO[str], name: str | None = None
) -> Dataset:
    """Load a CSV as a `Dataset` named `name` (default: the file's stem, else "csv").

    Columns: exactly three (`x1, x2, label` in that order, whatever the header says), or any
    number with a header naming `x1`, `x2` and `y` (or `label`), case-insensitive.

    Labels decide the task. Integer values (`1`, `1.0`) are classes and must be `0 … k-1`,
    each present; text labels become classes `0 … k-1` in sorted order. Any non-integer
    number makes a regression target of shape `(n, 1)`.

    Limits (`nnviz.core.limits.describe("csv")`): `CSV_BYTES`, `CSV_ROWS` data rows,
    `CSV_CLASSES` classes, `CSV_ROW_CHARS` per row, `CSV_FIELD_CHARS` per cell.

    Args:
        file: a path, the raw bytes, or a binary/text file object (e.g. Streamlit's
            `UploadedFile`). Text must be UTF-8 (a leading BOM is fine).
    """
    data, default_name = _read(file)
    lines = _Lines(_stream(data))
    try:
        header, columns, x, labels = _scan(lines)
    except UnicodeDecodeError:
        raise _not_utf8(data) from None
    return Dataset(x, _targets(labels, header[columns[2]]), name or default_name)


def _scan(lines: _Lines) -> tuple[list[str], tuple[int, int, int], np.ndarray, list]:
    """Header, label columns, features and `(row, label)` pairs, checked row by row."""
    reader = csv.reader(lines)
    header: list[str] | None = None
    columns = (0, 1, 2)
    x = np.empty((limits.CSV_ROWS, 2))
    labels: list[tuple[int, str]] = []
    texts: set[str] = set()
    while True:
        try:
            row = next(reader, None)
        except csv.Error as err:
            raise DatasetError(f"row {reader.line_num}: not readable as CSV ({err})") from None
        if row is None:
            break
        lines.row_chars = 0
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        _check_cells(row, line)
        if header is None:
            header = [cell.strip() for cell in row]
            columns = _columns(header)
            continue
        if len(labels) == limits.CSV_ROWS:
            raise DatasetError(
                f"the CSV file has more than {limits.CSV_ROWS:,} data rows; "
                f"use at most {limits.CSV_ROWS:,}"
            )
        if len(row) != len(header):
            raise DatasetError(f"row {line} has {len(row)} columns; the header has {len(header)}")
        x[len(labels)] = [_number(row[c], line, header[c]) for c in columns[:2]]
        label = row[columns[2]].strip()
        labels.append((line, label))
        if not _is_float(label):
            texts.add(label)
            if len(texts) > limits.CSV_CLASSES:
                raise DatasetError(
                    f"row {line}, column {header[columns[2]]!r}: {label!r} would be class "
                    f"{len(texts)}; a dataset has at most {limits.CSV_CLASSES} classes"
                )
    if header is None:
        raise DatasetError("the CSV file is empty")
    if not labels:
        raise DatasetError("the CSV file has a header but no data rows")
    return header, columns, x[: len(labels)], labels


class _Lines:
    """The text's lines for `csv.reader`, refused before the csv module builds cells from them:
    a row (which quoted newlines can spread over several lines) longer than `CSV_ROW_CHARS`,
    or more than `CSV_LINES` lines. The reading loop resets `row_chars` after each row."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.count = 0
        self.row_chars = 0
        self.row_start = 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(limits.CSV_ROW_CHARS + 1)
        if not line:
            raise StopIteration
        self.count += 1
        if not self.row_chars:
            self.row_start = self.count
        self.row_chars += len(line)
        if self.row_chars > limits.CSV_ROW_CHARS:
            raise DatasetError(
                f"row {self.row_start} is longer than {limits.CSV_ROW_CHARS:,} characters; a row "
                "holds one point (x1, x2, label)"
            )
        if self.count > limits.CSV_LINES:
            raise DatasetError(
                f"the CSV file has more than {limits.CSV_LINES:,} lines; use at most "
                f"{limits.CSV_ROWS:,} data rows"
            )
        return line


def _check_cells(row: list[str], line: int) -> None:
    longest = max(map(len, row))
    if longest > limits.CSV_FIELD_CHARS:
        raise DatasetError(
            f"row {line} has a cell of {longest:,} characters; a cell holds at most "
            f"{limits.CSV_FIELD_CHARS:,}"
        )


def _read(file: str | os.PathLike[str] | bytes | IO[bytes] | IO[str]) -> tuple[bytes | str, str]:
    """The file's content, at most `CSV_BYTES` of it, and a default dataset name."""
    if isinstance(file, bytes | bytearray | memoryview):
        data, name = bytes(file), "csv"
    elif isinstance(file, str | os.PathLike):
        _check_size(os.path.getsize(file))
        with open(file, "rb") as handle:
            data, name = handle.read(limits.CSV_BYTES + 1), Path(file).stem
    else:
        size = getattr(file, "size", None)
        if isinstance(size, int):
            _check_size(size)
        data = file.read(limits.CSV_BYTES + 1)
        name = Path(str(getattr(file, "name", None) or "csv")).stem
    if len(data) > limits.CSV_BYTES:
        raise DatasetError(
            f"the CSV file is larger than {limits.CSV_BYTES // limits.MB} MB, the most nnviz reads"
        )
    return data, name


def _check_size(size: int) -> None:
    if size > limits.CSV_BYTES:
        raise DatasetError(
            f"the CSV file is {size / limits.MB:.1f} MB; nnviz reads at most "
            f"{limits.CSV_BYTES // limits.MB} MB"
        )


def _stream(data: bytes | str) -> IO[str]:
    if isinstance(data, str):
        return io.StringIO(data, newline="")
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def _not_utf8(data: bytes | str) -> DatasetError:
    """Where the first byte that is not UTF-8 sits (only called after decoding failed)."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        row = data.count(b"\n", 0, err.start) + 1
        return DatasetError(
            f"the CSV file is not UTF-8 text: byte 0x{data[err.start]:02x} on row {row} "
            "cannot be decoded; save it as 'CSV UTF-8'"
        )
    return DatasetError("the CSV file is not UTF-8 text; save it as 'CSV UTF-8'")


def _columns(header: list[str]) -> tuple[int, int, int]:
    lower = [cell.lower() for cell in header]
    label = next((lower.index(n) for n in _LABEL_NAMES if n in lower), None)
    if "x1" in lower and "x2" in lower and label is not None:
        return lower.index("x1"), lower.index("x2"), label
    if all(_is_float(cell) for cell in header):
        raise DatasetError("row 1 holds numbers, not a header; add a first row such as x1,x2,y")
    if len(header) == 3:
        return 0, 1, 2
    hint = " (is it separated by ';' or tabs instead of commas?)" if len(header) == 1 else ""
    raise DatasetError(
        f"the header has {len(header)} columns {header}; expected 3 columns (x1, x2, label) "
        f"or columns named x1, x2 and y (or label){hint}"
    )


def _is_float(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _number(cell: str, line: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise DatasetError(
            f"row {line}, column {column!r}: {cell.strip()!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise DatasetError(
            f"row {line}, column {column!r}: {cell.strip()!r} is not a finite number "
            "(NaN or infinity)"
        )
    return value


def _targets(labels: list[tuple[int, str]], column: str) -> np.ndarray:
    numeric = [_is_float(cell) for _, cell in labels]
    if not any(numeric):
        index = {name: i for i, name in enumerate(sorted({cell for _, cell in labels}))}
        y = np.array([index[cell] for _, cell in labels])
    elif not all(numeric):
        line, cell = labels[numeric.index(False)]
        raise DatasetError(
            f"row {line}, column {column!r}: {cell!r} is not a number, but other labels are"
        )
    else:
        y = np.array([_number(cell, line, column) for line, cell in labels])
        if not np.all(y == np.round(y)):
            return y[:, None]
    if np.all(y == y[0]):
        raise DatasetError(
            f"column {column!r}: every row has the label {labels[0][1]!r}; "
            "need at least two classes"
        )
    if y.min() < 0:
        line, cell = labels[int(y.argmin())]
        raise DatasetError(f"row {line}, column {column!r}: class label {cell} is negative")
    present = np.unique(y)
    if len(present) > limits.CSV_CLASSES:
        raise DatasetError(
            f"column {column!r} has {len(present):,} different class labels; a dataset has at "
            f"most {limits.CSV_CLASSES} classes (a regression target needs a non-integer value)"
        )
    if present[-1] >= len(present):
        missing = int(np.flatnonzero(present != np.arange(len(present)))[0])
        raise DatasetError(
            f"column {column!r}: class labels must be 0 … k-1 with every class present, "
            f"but label {missing} never appears (a regression target needs a non-integer value)"
        )
    return y.astype(np.int64)
