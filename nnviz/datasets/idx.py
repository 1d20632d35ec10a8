"""The IDX format of the MNIST files, read strictly.

An IDX file is a tiny header followed by raw row-major data::

    bytes 0-1   zero
    byte  2     element type (0x08 = unsigned byte, the only one MNIST uses)
    byte  3     number of dimensions d
    4·d bytes   the dimensions, big-endian uint32
    the rest    prod(dims) elements

so the magic number is `0x0803 = 2051` for images `(n, rows, cols)` and `0x0801 = 2049` for
labels `(n,)`. Every check below turns a truncated download or a foreign file into a
`DatasetError` that names the file, instead of a confusing reshape error later.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import math
import os
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

import numpy as np

from nnviz.core import limits
from nnviz.datasets.base import DatasetError

IDX_IMAGES = 2051
IDX_LABELS = 2049
_GZIP_MAGIC = b"\x1f\x8b"
_UBYTE = 0x08

Source = str | os.PathLike[str] | bytes


def read_idx(source: Source, *, limit: int | None = None, name: str | None = None) -> np.ndarray:
    """Parse an IDX file (gzipped or raw, detected from its first bytes) into a uint8 array.

    Args:
        source: a path, or the file's bytes.
        limit: keep only the first `limit` items along the first axis. Only those bytes are
            decompressed, which makes small subsets fast; the rest of the file is then not read,
            so a truncation past the limit goes unnoticed.
        name: how errors refer to the file (default: the file name, or "<bytes>").

    Returns:
        A read-only `uint8` array of shape `dims` (`(n, 28, 28)` images or `(n,)` labels).

    Raises:
        DatasetError: unreadable, not gzip/IDX, unsupported type, or the byte count does not
            match the header.
    """
    if name is None:
        name = "<bytes>" if isinstance(source, bytes) else os.fspath(source)
    if limit is not None and limit < 0:
        raise DatasetError(f"{name}: limit must be >= 0, got {limit}")
    try:
        with _open(source) as stream:
            dims = _read_header(stream, name)
            rows = dims[0] if limit is None else min(limit, dims[0])
            expected = rows * math.prod(dims[1:])
            if expected > limits.IDX_BYTES:
                raise DatasetError(
                    f"{name}: header {dims} claims {expected:,} bytes, implausible: an IDX file "
                    f"nnviz reads holds at most {limits.IDX_BYTES:,}"
                )
            # one byte more than promised tells "trailing bytes" apart without inflating them
            body = stream.read(expected + 1) if limit is None else stream.read(expected)
    except (OSError, EOFError, zlib.error) as error:
        raise DatasetError(f"{name}: cannot read the file ({error})") from error
    if len(body) != expected:
        found = f"found {len(body)}" if len(body) < expected else "found more"
        problem = "truncated" if len(body) < expected else "has trailing bytes"
        raise DatasetError(
            f"{name}: {problem}: header {dims} promises {expected} data bytes, {found}"
        )
    return np.frombuffer(body, dtype=np.uint8).reshape((rows, *dims[1:]))


def encode_idx(array: np.ndarray) -> bytes:
    """The raw (uncompressed) IDX bytes of a uint8 array; the inverse of `read_idx`."""
    array = np.asarray(array)
    if array.dtype != np.uint8 or not 1 <= array.ndim <= 255:
        raise DatasetError(f"IDX needs a uint8 array with 1+ dims, got {array.dtype} {array.shape}")
    header = struct.pack(f">BBBB{array.ndim}I", 0, 0, _UBYTE, array.ndim, *array.shape)
    return header + np.ascontiguousarray(array).tobytes()


@contextlib.contextmanager
def _open(source: Source) -> Iterator[BinaryIO]:
    with io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb") as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        yield gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw


def _read_header(stream: BinaryIO, name: str) -> tuple[int, ...]:
    head = stream.read(4)
    if len(head) < 4:
        raise DatasetError(f"{name}: truncated: {len(head)} bytes, too short for an IDX header")
    zero, dtype, ndim = struct.unpack(">HBB", head)
    if zero != 0:
        raise DatasetError(f"{name}: not an IDX file (starts with bytes {head.hex(' ')})")
    if dtype != _UBYTE:
        raise DatasetError(f"{name}: element type {dtype:#04x} is not unsigned byte (0x08)")
    if ndim not in (1, 3):
        raise DatasetError(
            f"{name}: magic number {int.from_bytes(head, 'big')}, expected "
            f"{IDX_IMAGES} (images) or {IDX_LABELS} (labels)"
        )
    packed = stream.read(4 * ndim)
    if len(packed) < 4 * ndim:
        raise DatasetError(f"{name}: truncated inside the header ({ndim} dimensions announced)")
    return struct.unpack(f">{ndim}I", packed)
