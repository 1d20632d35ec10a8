"""Read a user's 2-D dataset from CSV: a header row, two numeric features and a label column.

Files users hand us are data, so every way a file can be wrong ends in a `DatasetError` that
says where: rows are numbered like a spreadsheet (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np

from nnviz.datasets.base import Dataset, DatasetError

MAX_ROWS = 20_000
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

    Args:
        file: a path, the raw bytes, or a binary/text file object (e.g. Streamlit's
            `UploadedFile`). Text must be UTF-8 (a leading BOM is fine).
    """
    text, default_name = _read_text(file)
    rows = [(line, row) for line, row in _rows(text) if any(cell.strip() for cell in row)]
    if not rows:
        raise DatasetError("the CSV file is empty")
    header = [cell.strip() for cell in rows[0][1]]
    columns = _columns(header)
    if len(rows) == 1:
        raise DatasetError("the CSV file has a header but no data rows")
    if len(rows) - 1 > MAX_ROWS:
        raise DatasetError(
            f"the CSV file has more than {MAX_ROWS:,} data rows; use at most {MAX_ROWS:,}"
        )
    x = np.empty((len(rows) - 1, 2))
    labels = []
    for i, (line, row) in enumerate(rows[1:]):
        if len(row) != len(header):
            raise DatasetError(f"row {line} has {len(row)} columns; the header has {len(header)}")
        x[i] = [_number(row[c], line, header[c]) for c in columns[:2]]
        labels.append((line, row[columns[2]].strip()))
    return Dataset(x, _targets(labels, header[columns[2]]), name or default_name)


def _read_text(file: str | os.PathLike[str] | bytes | IO[bytes] | IO[str]) -> tuple[str, str]:
    if isinstance(file, bytes | bytearray):
        data, name = bytes(file), "csv"
    elif isinstance(file, str | os.PathLike):
        data, name = Path(file).read_bytes(), Path(file).stem
    else:
        data, name = file.read(), Path(str(getattr(file, "name", None) or "csv")).stem
    if isinstance(data, str):
        return data, name
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as err:
        row = data.count(b"\n", 0, err.start) + 1
        raise DatasetError(
            f"the CSV file is not UTF-8 text: byte 0x{data[err.start]:02x} on row {row} "
            "cannot be decoded; save it as 'CSV UTF-8'"
        ) from None


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    for row in reader:
        yield reader.line_num, row


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
    if present[-1] >= len(present):
        missing = int(np.flatnonzero(present != np.arange(len(present)))[0])
        raise DatasetError(
            f"column {column!r}: class labels must be 0 … k-1 with every class present, "
            f"but label {missing} never appears (a regression target needs a non-integer value)"
        )
    return y.astype(np.int64)
