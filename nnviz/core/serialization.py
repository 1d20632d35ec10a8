"""Model files: `.npz` arrays plus a JSON architecture record. Data only, never code.

Layout: `architecture` holds JSON text `{"format": "nnviz-model", "version": 1, "output": …,
"dtype": …, "layers": [layer.config(), …], "metadata": {…}}`; `param_0`, `param_1`, … hold the
parameter values in `model.parameters()` order. Loading uses `allow_pickle=False` and checks
every shape against the architecture before anything is built.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import IO

import numpy as np

from nnviz.core.activations import ACTIVATIONS
from nnviz.core.layers import Dense, Dropout, Layer
from nnviz.core.model import IMAGE_LAYERS, Sequential

FORMAT, VERSION = "nnviz-model", 1
MAX_BYTES = 50_000_000

LAYERS: dict[str, type[Layer]] = {"Dense": Dense, "Dropout": Dropout, **ACTIVATIONS, **IMAGE_LAYERS}


class ModelFileError(ValueError):
    """A model file that cannot be loaded: truncated, foreign, or not matching its record."""


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
    if isinstance(file, bytes | bytearray):
        file = io.BytesIO(file)
    arrays = _read_npz(file)
    record = _read_record(arrays)
    model = _build(record)
    params = model.parameters()
    expected = {f"param_{i}" for i in range(len(params))}
    found = set(arrays) - {"architecture"}
    if found != expected:
        raise ModelFileError(
            f"the file holds {len(found)} parameter arrays but its architecture needs "
            f"{len(expected)}: it does not match its own record"
        )
    for i, p in enumerate(params):
        value = arrays[f"param_{i}"]
        if value.shape != p.value.shape:
            raise ModelFileError(
                f"{p.name}: the file has shape {value.shape}, the architecture needs "
                f"{p.value.shape}"
            )
        if not np.issubdtype(value.dtype, np.floating) or not np.isfinite(value).all():
            raise ModelFileError(f"{p.name}: values must be finite floats")
        p.value[...] = value
    return model, record.get("metadata", {})


def _read_npz(file) -> dict[str, np.ndarray]:
    content = _read_bytes(file)
    if not content.startswith(b"PK"):
        raise ModelFileError("not an nnviz model file: expected a .npz archive")
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (zipfile.BadZipFile, EOFError) as err:
        raise ModelFileError(f"the file is truncated or damaged ({err})") from err
    except (ValueError, OSError) as err:
        raise ModelFileError(f"not an nnviz model file: {err}") from err
    for key, value in arrays.items():
        if not isinstance(value, np.ndarray):
            raise ModelFileError(f"not an nnviz model file: member {key!r} is not an array")
    return arrays


def _read_bytes(file) -> bytes:
    try:
        if isinstance(file, str | os.PathLike):
            size = os.path.getsize(file)
            if size > MAX_BYTES:
                raise ModelFileError(f"the file is {size / 1e6:.0f} MB; a model is at most 50 MB")
            with open(file, "rb") as handle:
                return handle.read()
        content = file.read(MAX_BYTES + 1)
    except FileNotFoundError as err:
        raise ModelFileError(f"no such model file: {err.filename}") from err
    if len(content) > MAX_BYTES:
        raise ModelFileError("the file is larger than 50 MB; a model is smaller")
    return content


def _read_record(arrays: dict[str, np.ndarray]) -> dict:
    if "architecture" not in arrays:
        raise ModelFileError("this .npz has no 'architecture' record: it was not saved by nnviz")
    try:
        record = json.loads(str(arrays["architecture"]))
    except json.JSONDecodeError as err:
        raise ModelFileError(f"the architecture record is not valid JSON: {err}") from err
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ModelFileError("the architecture record is not an nnviz model record")
    if record.get("version") != VERSION:
        raise ModelFileError(
            f"model format version {record.get('version')!r}; this nnviz reads {VERSION}"
        )
    return record


def _build(record: dict) -> Sequential:
    try:
        dtype = np.dtype(record["dtype"])
        if dtype not in (np.float32, np.float64):
            raise ModelFileError(f"unsupported dtype {dtype}")
        layers = [_layer(dict(cfg), dtype) for cfg in record["layers"]]
        return Sequential(layers, output=record["output"])
    except ModelFileError:
        raise
    except (KeyError, TypeError, ValueError) as err:
        raise ModelFileError(f"the architecture record is malformed: {err!r}") from err


def _layer(cfg: dict, dtype: np.dtype) -> Layer:
    kind = cfg.pop("type")
    if kind not in LAYERS:
        raise ModelFileError(f"unknown layer type {kind!r} in the architecture record")
    cls = LAYERS[kind]
    if issubclass(cls, Dense) or getattr(cls, "has_dtype", False):
        return cls(**cfg, initializer="zeros", dtype=dtype)
    return cls(**cfg)
