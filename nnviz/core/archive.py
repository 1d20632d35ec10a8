"""A model file's zip archive, read as if from a stranger: sized from headers before inflating.

`np.load` trusts the archive: it parses the whole zip directory, inflates each member in full
and allocates whatever shape an `.npy` header claims. Here each step is decided from metadata:

    zip end record   → member count, directory size          (before the directory is parsed)
    zip directory    → each member's declared unpacked size  (before anything is inflated)
    .npy header      → dtype and shape, handed to a check    (before the data is read)

and the data is read with a bounded read, so a member that unpacks to more than it declared
cannot allocate more either. Only float and text dtypes exist here: no pickle, no objects.
"""

from __future__ import annotations

import io
import math
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import IO

import numpy as np

from nnviz.core import limits

Check = Callable[[np.dtype, tuple[int, ...]], None]
"""`check(dtype, shape)` raises ModelFileError for an array the caller does not want."""

_END_RECORD = struct.Struct("<4s4H2LH")  # the zip "end of central directory" record
_END_SIGNATURE, _ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
_DIRECTORY_BYTES = 1024 * limits.MODEL_MEMBERS  # a directory entry is ~60 bytes for our names
_ARRAY_KINDS = "fU"  # floats for parameters, unicode text for the record


class ModelFileError(ValueError):
    """A model file that cannot be loaded: truncated, foreign, too large, or not matching its
    record."""


def open_archive(content: bytes) -> zipfile.ZipFile:
    """The zip, once its end record promises a directory small enough to parse."""
    if not content.startswith(b"PK"):
        raise ModelFileError("not an nnviz model file: expected a .npz archive")
    end = _end_record_offset(content)
    if end is None:
        raise ModelFileError("the file is truncated or damaged: its zip directory is missing")
    _, _, _, _, entries, directory_size, _, _ = _END_RECORD.unpack_from(content, end)
    if content[max(end - 20, 0) : end].startswith(_ZIP64_LOCATOR) or entries == 0xFFFF:
        raise ModelFileError("not an nnviz model file: it is a zip64 archive, no model needs one")
    if entries > limits.MODEL_MEMBERS or directory_size > _DIRECTORY_BYTES:
        raise ModelFileError(
            f"not an nnviz model file: the archive lists {entries:,} members in a "
            f"{directory_size:,}-byte directory; a model has at most {limits.MODEL_MEMBERS}"
        )
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error) as err:
        raise ModelFileError(f"the file is truncated or damaged ({err})") from err


def _end_record_offset(content: bytes) -> int | None:
    """Where `zipfile` will find the end record: the last 22 bytes when the archive has no
    comment, else the last signature in the final 64 KB."""
    size = _END_RECORD.size
    if content[-size : -size + 4] == _END_SIGNATURE and content[-2:] == b"\0\0":
        return len(content) - size
    start = max(len(content) - (1 << 16) - size, 0)
    found = content.rfind(_END_SIGNATURE, start)
    return found if 0 <= found <= len(content) - size else None


def archive_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Members by array name, after checking their number and declared unpacked sizes."""
    infos = archive.infolist()
    if len(infos) > limits.MODEL_MEMBERS:
        raise ModelFileError(
            f"not an nnviz model file: {len(infos):,} members; a model has at most "
            f"{limits.MODEL_MEMBERS}"
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.MODEL_UNPACKED_BYTES:
        raise ModelFileError(
            f"the archive would unpack to {unpacked / limits.MB:,.0f} MB; a model unpacks to "
            f"at most {limits.MODEL_UNPACKED_BYTES // limits.MB} MB"
        )
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename.removesuffix(".npy")
        if name in members:
            raise ModelFileError(f"not an nnviz model file: member {name!r} appears twice")
        members[name] = info
    return members


def read_array(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, check: Check
) -> np.ndarray:
    """One `.npy` member: its header read and passed to `check` (which raises ModelFileError
    for a dtype or shape it does not want), the byte count checked, then exactly the bytes
    the header declares read."""
    try:
        with archive.open(info) as member:
            dtype, found, fortran, nbytes = _array_header(member, name)
            check(dtype, found)
            if member.tell() + nbytes != info.file_size:
                raise ModelFileError(
                    f"{name}: its header promises {nbytes:,} bytes of data, but the member holds "
                    f"{info.file_size - member.tell():,}"
                )
            data = member.read(nbytes)
            if len(data) != nbytes or member.read(1):
                raise ModelFileError(f"the file is truncated or damaged: {name} is incomplete")
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as err:
        raise ModelFileError(f"the file is truncated or damaged ({name}: {err})") from err
    except (NotImplementedError, RuntimeError) as err:  # unknown compression, encryption
        raise ModelFileError(f"not an nnviz model file: {name}: {err}") from err
    array = np.frombuffer(data, dtype=dtype).reshape(found, order="F" if fortran else "C")
    if dtype.kind == "f" and not np.isfinite(array).all():
        raise ModelFileError(f"{name}: values must be finite floats")
    return array


def _array_header(member: IO[bytes], name: str) -> tuple[np.dtype, tuple[int, ...], bool, int]:
    """`(dtype, shape, fortran_order, data bytes)` from a `.npy` header, data left unread."""
    try:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise ValueError(f".npy format version {version} is not one nnviz writes")
    except (ValueError, SyntaxError, TypeError, EOFError) as err:
        raise ModelFileError(
            f"not an nnviz model file: {name} is not a NumPy array ({err})"
        ) from err
    if any(n < 0 for n in shape):
        raise ModelFileError(f"not an nnviz model file: {name} has the shape {shape}")
    if dtype.kind not in _ARRAY_KINDS or dtype.hasobject:
        raise ModelFileError(
            f"not an nnviz model file: {name} holds {dtype} values, neither floats nor text"
        )
    return dtype, shape, fortran, math.prod(shape) * dtype.itemsize
