"""Model files: `.npz` arrays plus a JSON architecture record. Data only, never code.

Layout: `architecture` holds JSON text `{"format": "nnviz-model", "version": 1, "output": …,
"dtype": …, "layers": [layer.config(), …], "metadata": {…}}`; `param_0`, `param_1`, … hold the
parameter values in `model.parameters()` order.

A model file may come from anyone, so loading decides from metadata before it spends memory:
the archive's structure and every array's header first (`nnviz.core.archive`), then the JSON
record's size and nesting depth before it is parsed, then layer count, units and parameters
before any layer is built, and that the layers fit together (`chain_shapes`) before a single
weight is read. Limits: `nnviz.core.limits` (`describe("model")`).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from typing import IO

import numpy as np

from nnviz.core import limits
from nnviz.core.activations import ACTIVATIONS
from nnviz.core.archive import Check, ModelFileError, archive_members, open_archive, read_array
from nnviz.core.layers import Dense, Dropout, Layer, chain_shapes
from nnviz.core.model import IMAGE_LAYERS, Sequential

FORMAT, VERSION = "nnviz-model", 1

LAYERS: dict[str, type[Layer]] = {"Dense": Dense, "Dropout": Dropout, **ACTIVATIONS, **IMAGE_LAYERS}

_ESCAPES = re.compile(r"\\.")
_STRINGS = re.compile(r'"[^"]*"')


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
    with open_archive(content) as archive:
        members = archive_members(archive)
        if "architecture" not in members:
            raise ModelFileError(
                "this .npz has no 'architecture' record: it was not saved by nnviz"
            )
        text = read_array(archive, members["architecture"], "architecture", _check_record)
        record = _parse_record(str(text[()]))
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
            p.value[...] = read_array(archive, members[f"param_{i}"], p.name, _shape(p))
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


def _check_record(dtype: np.dtype, shape: tuple[int, ...]) -> None:
    if dtype.kind != "U" or shape != ():
        raise ModelFileError("not an nnviz model file: its 'architecture' is not one text")
    if dtype.itemsize // 4 > limits.MODEL_RECORD_CHARS:
        raise ModelFileError(
            f"the architecture record has {dtype.itemsize // 4:,} characters; at most "
            f"{limits.MODEL_RECORD_CHARS:,}"
        )


def _shape(p) -> Check:
    """A check that the array is `p`'s shape (its dtype is a float: `_array_header` saw to it)."""

    def check(dtype: np.dtype, shape: tuple[int, ...]) -> None:
        if shape != p.value.shape:
            raise ModelFileError(
                f"{p.name}: the file has shape {shape}, the architecture needs {p.value.shape}"
            )
        if dtype.kind != "f":
            raise ModelFileError(f"{p.name}: values must be finite floats, not {dtype}")

    return check


# --- the record ---------------------------------------------------------------------------


def _parse_record(text: str) -> dict:
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
