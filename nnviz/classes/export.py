"""The class set as files a teacher can take away: MNIST-format IDX and a spreadsheet CSV.

The IDX pair is byte-for-byte the layout of MNIST's own files (see `nnviz.datasets.idx`), so
anything that reads MNIST reads the class's handwriting: `read_idx` gives back the same arrays.
Gzip timestamps are zeroed so the same set always downloads as the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Sequence

import numpy as np

from nnviz.classes.records import Drawing
from nnviz.datasets.idx import encode_idx

PIXELS = 28 * 28
CSV_HEADER = ["label", *(f"pixel{i}" for i in range(PIXELS))] + [
    "prediction",
    "confidence",
    "nickname",
    "created_at",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def drawing_arrays(drawings: Sequence[Drawing]) -> tuple[np.ndarray, np.ndarray]:
    """Images `(n, 28, 28)` uint8 and labels `(n,)` uint8, in the order given."""
    images = np.zeros((len(drawings), 28, 28), dtype=np.uint8)
    for i, drawing in enumerate(drawings):
        images[i] = drawing.image
    labels = np.array([d.label for d in drawings], dtype=np.uint8)
    return images, labels


def idx_file_names(code: str) -> tuple[str, str]:
    """MNIST-style names for the class's images and labels files."""
    prefix = f"class-{code.lower()}"
    return f"{prefix}-images-idx3-ubyte.gz", f"{prefix}-labels-idx1-ubyte.gz"


def class_set_idx(drawings: Sequence[Drawing]) -> tuple[bytes, bytes]:
    """The gzipped IDX images (magic 2051) and labels (magic 2049) of the class set."""
    images, labels = drawing_arrays(drawings)
    return _gzip(encode_idx(images)), _gzip(encode_idx(labels))


def class_set_csv(drawings: Sequence[Drawing]) -> bytes:
    """One row per drawing: `label, pixel0 … pixel783` as in the well-known MNIST CSV, then the
    model's prediction and confidence, the nickname and the UTC time (UTF-8).

    A nickname that starts like a spreadsheet formula (`=`, `+`, `-`, `@`) gets a leading `'`,
    so opening the file in a spreadsheet cannot run it.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for d in drawings:
        writer.writerow(
            [
                d.label,
                *d.image.reshape(-1).tolist(),
                d.prediction,
                f"{d.confidence:.6f}",
                _spreadsheet_safe(d.nickname),
                d.created_at.isoformat(timespec="seconds"),
            ]
        )
    return out.getvalue().encode("utf-8")


def class_set_zip(code: str, drawings: Sequence[Drawing]) -> bytes:
    """One download with the two IDX files and the CSV, named after the class."""
    images, labels = class_set_idx(drawings)
    images_name, labels_name = idx_file_names(code)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(images_name, images)
        archive.writestr(labels_name, labels)
        archive.writestr(f"class-{code.lower()}.csv", class_set_csv(drawings))
    return out.getvalue()


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _spreadsheet_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
