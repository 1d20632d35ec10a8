"""Model files: `.npz` arrays plus a JSON architecture record. Data only, never code.

Layout: `architecture` holds JSON text `{"format": "nnviz-model", "version": 1, "output": …,
"dtype": …, "layers": [layer.config(), …], "metadata": {…}}`; `param_0`, `param_1`, … hold the
parameter values in `model.parameters()` order.

A model file may come from anyone, so loading decides from headers before it spends memory:

    zip end record   → member count, directory size          (before the directory is parsed)
    zip directory    → each member's declared unpacked size  (before anything is inflated)
    .npy headers     → dtype and shape of every array        (before its data is read)
    JSON record      → size, nesting depth; layer count, units, parameters (before any layer
                       is built), and that the layers fit together (`chain_shapes`)

Every array is then read with a bounded read, so a member that unpacks to more than it
declared cannot allocate more either. No pickle, ever: only float and text dtypes are accepted.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import struct
import zipfile
import zlib
from typing import IO

import numpy as np

from nnviz.core import limits
from nnviz.core.activations import ACTIVATIONS
from nnviz.core.layers import Dense, Dropout, Layer, chain_shapes
from nnviz.core.model import Sequential

FORMAT, VERSION = "nnviz-model", 1

LAYERS: dict[str, type[Layer]] = {"Dense": Dense, "Dropout": Dropout, **ACTIVATIONS}

_END_RECORD = struct.Struct("<4s4H2LH")  # the zip "end of central directory" record
_END_SIGNATURE, _ZIP64_LOCATOR = b"PK\x05\x06", b"PK\x06\x07"
_DIRECTORY_BYTES = 1024 * limits.MODEL_MEMBERS  # a directory entry is ~60 bytes for our names
_ARRAY_KINDS = "fU"  # floats for parameters, unicode text for the record
_ESCAPES = re.compile(r"\\.")
_STRINGS = re.compile(r'"[^"]*"')


class ModelFileError(ValueError):
    """A model file that cannot be loaded: truncated, foreign, too large, or not matching its
    record."""


def register_layer(cls: type[Layer]) -> type[Layer]:
    """Make a layer type loadable (use as a class decorator next to the layer's definition)."""
    LAYERS[cls.__name__] = cls
    return cls


def save_model(
    model: Sequential, file: str | os.PathLike | IO[bytes], metadata: dict | None = None
) -> None:
    """Write `model` (and JSON-able `metadata`, e.g. how it was trained) to `file`."""
    record = {
        "format": FORMAT,
        "version": VERSION,
        "output": model.output,
        "dtype": str(model.dtype),
        "layers": [layer.config() for layer in model.layers],
        "metadata": metadata or {},
    }
    arrays = {f"param_{i}": p.value for i, p in enumerate(model.parameters())}
    np.savez(file, architecture=np.array(json.dumps(record)), **arrays)


def model_bytes(model: Sequential, metadata: dict | None = None) -> bytes:
    """The model file's content, e.g. for a download button."""
    buffer = io.BytesIO()
    save_model(model, buffer, metadata)
    return buffer.getvalue()


def load_model(file: str | os.PathLike | IO[bytes] | bytes) -> Sequential:
    """Read a model written by `save_model`; any problem raises `ModelFileError` saying which."""
    model, _ = load_model_with_metadata(file)
    return model


def load_model_with_metadata(file) -> tuple[Sequential, dict]:
    """`(model, metadata)` from a model file; `ModelFileError` for anything wrong with it."""
    content = _read_bytes(file)
    with _open_archive(content) as archive:
        members = _members(archive)
        if "architecture" not in members:
            raise ModelFileError(
                "this .npz has no 'architecture' record: it was not saved by nnviz"
            )
        record = _parse_record(_read_array(archive, members["architecture"], "architecture"))
        model = _build(record)
        params = model.parameters()
        expected = {f"param_{i}" for i in range(len(params))}
        found = set(members) - {"architecture"}
        if found != expected:
            raise ModelFileError(
                f"the file holds {len(found)} parameter arrays but its architecture needs "
                f"{len(expected)}: it does not match its own record"
            )
        for i, p in enumerate(params):
            p.value[...] = _read_array(archive, members[f"param_{i}"], p.name, p.value.shape)
    metadata = record.get("metadata", {})
    return model, metadata if isinstance(metadata, dict) else {}


# --- bytes and archive --------------------------------------------------------------------


def _read_bytes(file) -> bytes:
    too_large = f"a model file is at most {limits.MODEL_BYTES // limits.MB} MB"
    if isinstance(file, bytes | bytearray | memoryview):
        content = bytes(file)
    else:
        try:
            if isinstance(file, str | os.PathLike):
                size = os.path.getsize(file)
                if size > limits.MODEL_BYTES:
                    raise ModelFileError(f"the file is {size / limits.MB:.0f} MB; {too_large}")
                with open(file, "rb") as handle:
                    content = handle.read(limits.MODEL_BYTES + 1)
            else:
                content = file.read(limits.MODEL_BYTES + 1)
        except FileNotFoundError as err:
            raise ModelFileError(f"no such model file: {err.filename}") from err
        except OSError as err:
            raise ModelFileError(f"cannot read the model file: {err}") from err
    if len(content) > limits.MODEL_BYTES:
        raise ModelFileError(
            f"the file is larger than {limits.MODEL_BYTES // limits.MB} MB; {too_large}"
        )
    return content


def _open_archive(content: bytes) -> zipfile.ZipFile:
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


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
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


def _read_array(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    shape: tuple[int, ...] | None = None,
) -> np.ndarray:
    """One `.npy` member: header checked (dtype, `shape` when given, byte count), then exactly
    the bytes it declares."""
    try:
        with archive.open(info) as member:
            dtype, found, fortran, nbytes = _array_header(member, name)
            if shape is not None and found != shape:
                raise ModelFileError(
                    f"{name}: the file has shape {found}, the architecture needs {shape}"
                )
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
    if dtype.kind not in _ARRAY_KINDS or dtype.hasobject:
        raise ModelFileError(
            f"not an nnviz model file: {name} holds {dtype} values, neither floats nor text"
        )
    return dtype, shape, fortran, math.prod(shape) * dtype.itemsize


# --- the record ---------------------------------------------------------------------------


def _parse_record(array: np.ndarray) -> dict:
    if array.dtype.kind != "U" or array.shape != ():
        raise ModelFileError("not an nnviz model file: its 'architecture' is not one text")
    text = str(array[()])
    if len(text) > limits.MODEL_RECORD_CHARS:
        raise ModelFileError(
            f"the architecture record has {len(text):,} characters; at most "
            f"{limits.MODEL_RECORD_CHARS:,}"
        )
    depth = _nesting_depth(text)
    if depth > limits.MODEL_RECORD_DEPTH:
        raise ModelFileError(
            f"the architecture record is nested {depth} levels deep; at most "
            f"{limits.MODEL_RECORD_DEPTH}"
        )
    try:
        record = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise ModelFileError(f"the architecture record is not valid JSON: {err}") from err
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ModelFileError("the architecture record is not an nnviz model record")
    if record.get("version") != VERSION:
        raise ModelFileError(
            f"model format version {record.get('version')!r}; this nnviz reads {VERSION}"
        )
    return record


def _nesting_depth(text: str) -> int:
    """The deepest `[`/`{` nesting of JSON text, found without parsing it.

    Escapes go first, then strings (so brackets inside them do not count); what is left is
    bracket running sums, whose maximum is the depth. Linear in the text's length.
    """
    skeleton = _STRINGS.sub("", _ESCAPES.sub("", text))
    brackets = np.frombuffer(re.sub(r"[^\[\]{}]", "", skeleton).encode("ascii"), dtype=np.uint8)
    if not len(brackets):
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


def _build(record: dict) -> Sequential:
    """The model of `record`, sized from the record before any layer is built."""
    configs = record.get("layers")
    if not isinstance(configs, list) or not configs:
        raise ModelFileError("the architecture record has no list of layers")
    if len(configs) > limits.MODEL_LAYERS:
        raise ModelFileError(
            f"the model has {len(configs):,} layers; at most {limits.MODEL_LAYERS} "
            "(activations and dropout included)"
        )
    counts = [_parameter_count(i, cfg) for i, cfg in enumerate(configs)]
    weighted = sum(n > 0 for n in counts)
    if weighted > limits.MODEL_WEIGHT_LAYERS:
        raise ModelFileError(
            f"the model has {weighted} layers with weights; at most {limits.MODEL_WEIGHT_LAYERS}"
        )
    if sum(counts) > limits.MODEL_PARAMETERS:
        raise ModelFileError(
            f"the model has {sum(counts):,} parameters; at most {limits.MODEL_PARAMETERS:,}"
        )
    try:
        dtype = np.dtype(record["dtype"])
        if dtype not in (np.float32, np.float64):
            raise ModelFileError(f"unsupported dtype {dtype}")
        layers = [_layer(dict(cfg), dtype) for cfg in configs]
        model = Sequential(layers, output=record["output"])
    except ModelFileError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFileError(f"the architecture record is malformed: {err!r}") from err
    _check_shapes(layers)
    return model


def _parameter_count(i: int, cfg: object) -> int:
    kind = cfg.get("type") if isinstance(cfg, dict) else None
    if not isinstance(kind, str):
        raise ModelFileError(f"layer {i + 1} of the architecture record has no type")
    if kind not in LAYERS:
        raise ModelFileError(f"unknown layer type {kind!r} in the architecture record")
    try:
        return LAYERS[kind].parameter_count(cfg)
    except (KeyError, TypeError, ValueError) as err:
        detail = f"{err} is missing" if isinstance(err, KeyError) else err
        raise ModelFileError(f"layer {i + 1} ({kind}): {detail}") from err


def _layer(cfg: dict, dtype: np.dtype) -> Layer:
    cls = LAYERS[cfg.pop("type")]
    if issubclass(cls, Dense) or getattr(cls, "has_dtype", False):
        return cls(**cfg, initializer="zeros", dtype=dtype)
    return cls(**cfg)


def _check_shapes(layers: list[Layer]) -> None:
    """Every layer takes what the one before it gives, and no output is too large."""
    try:
        shapes = chain_shapes(layers)
    except ValueError as err:
        raise ModelFileError(f"the layers do not fit together: {err}") from err
    for i, shape in enumerate(shapes[1:]):
        if math.prod(shape) > limits.MODEL_SAMPLE_VALUES:
            raise ModelFileError(
                f"layer {i + 1} {layers[i]!r} outputs {math.prod(shape):,} values per sample; "
                f"at most {limits.MODEL_SAMPLE_VALUES:,}"
            )
