"""Hostile inputs built on the spot (nothing large is committed): model files, CSVs, pictures.

Each builder streams what it writes, so making a 2 GB zip bomb or a 12000 × 12000 PNG costs the
test a few MB of memory, not the size it declares.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

CHUNK = 1 << 22


# --- model files -------------------------------------------------------------------------


def record(layers: list, *, dtype: str = "float64", output: str = "softmax", **extra) -> dict:
    """An nnviz architecture record around `layers`."""
    return {
        "format": "nnviz-model",
        "version": 1,
        "output": output,
        "dtype": dtype,
        "layers": layers,
        "metadata": {},
        **extra,
    }


def dense(n_in: int, n_out: int, name: str = "L") -> dict:
    return {"type": "Dense", "in_features": n_in, "out_features": n_out, "name": name}


def model_file(arch: dict | str, compressed: bool = False, **arrays: np.ndarray) -> bytes:
    """An `.npz` with `arch` (a record, or raw text) as its architecture and `arrays`."""
    text = arch if isinstance(arch, str) else json.dumps(arch)
    buffer = io.BytesIO()
    save = np.savez_compressed if compressed else np.savez
    save(buffer, architecture=np.array(text), **arrays)
    return buffer.getvalue()


def npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    """Just the `.npy` header of an array of `shape`: what a lying member starts with."""
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)  # magic string included
    return buffer.getvalue()


def huge_npy_header() -> bytes:
    """A 784 → 10 model whose first weight member claims shape (10⁶, 10⁶): 7.28 TiB."""
    arch = json.dumps(record([dense(784, 10)]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("architecture.npy", _npy(np.array(arch)))
        z.writestr("param_0.npy", npy_header((10**6, 10**6)))
        z.writestr("param_1.npy", _npy(np.zeros(10)))
    return buffer.getvalue()


def zip_bomb(path: Path, unpacked: int) -> Path:
    """A valid 2 → 1 model file whose `param_0` really unpacks to about `unpacked` bytes of
    zeros (deflate shrinks zeros about 1000:1: 2 GB fit in 2 MB).

    Built without deflating gigabytes: after a full flush the compressor forgets its history,
    so every 4 MB block of zeros compresses to the same bytes, which are simply repeated.
    """
    arch = _npy(np.array(json.dumps(record([dense(2, 1)], output="sigmoid"))))
    blocks = max(1, unpacked // CHUNK)
    header = npy_header((blocks * CHUNK // 8,))
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = squeeze.compress(header) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(bytes(CHUNK)) + squeeze.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(header)
    zeros = bytes(CHUNK)
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
    size = len(header) + blocks * CHUNK
    packed = len(head) + blocks * len(block) + 2
    members = [
        ("architecture.npy", 0, zlib.crc32(arch), len(arch), len(arch), [arch]),
        ("param_0.npy", 8, crc, packed, size, _repeat(head, block, blocks, squeeze.flush())),
        ("param_1.npy", 0, zlib.crc32(_npy(np.zeros(1))), 136, 136, [_npy(np.zeros(1))]),
    ]
    _write_zip(path, members)
    return path


def _repeat(head: bytes, block: bytes, n: int, tail: bytes):
    yield head
    for _ in range(n):
        yield block
    yield tail


def _write_zip(path: Path, members: list) -> None:
    """A plain zip from `(name, method, crc, packed size, size, chunks)`, written as it goes."""
    directory = []
    with open(path, "wb") as out:
        for name, method, crc, packed, size, chunks in members:
            offset = out.tell()
            fields = (20, 0, method, 0, 0x21, crc, packed, size, len(name), 0)
            out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields) + name.encode())
            for chunk in chunks:
                out.write(chunk)
            entry = (20, *fields, 0, 0, 0, 0, offset)
            directory.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", *entry) + name.encode())
        start = out.tell()
        out.write(b"".join(directory))
        n, length = len(directory), out.tell() - start
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n, n, length, start, 0))


def lying_sizes(unpacked: int = 10_000_000) -> bytes:
    """A 2 → 1 model whose `param_0` really unpacks to `unpacked` bytes, but whose zip
    directory declares just the 16 bytes its header promises."""
    arch = json.dumps(record([dense(2, 1)], output="sigmoid"))
    header = npy_header((2, 1))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("architecture.npy", _npy(np.array(arch)))
        z.writestr("param_0.npy", header + bytes(unpacked))
        z.writestr("param_1.npy", _npy(np.zeros(1)))
    content = bytearray(buffer.getvalue())
    entry = _directory_entry(content, b"param_0.npy")
    struct.pack_into("<L", content, entry + 24, len(header) + 16)
    return bytes(content)


def many_members(n: int) -> bytes:
    """An archive of `n` empty members (each costs a directory entry when parsed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for i in range(n):
            z.writestr(f"m{i}.npy", b"")
    return buffer.getvalue()


def zip64_locator() -> bytes:
    """A small archive with a forged zip64 locator in front of its end record."""
    content = bytearray(model_file(record([dense(2, 1)], output="sigmoid")))
    end = content.rindex(b"PK\x05\x06")
    return bytes(content[:end] + b"PK\x06\x07" + bytes(16) + content[end:])


def _directory_entry(content: bytes | bytearray, name: bytes) -> int:
    start = 0
    while True:
        start = content.index(b"PK\x01\x02", start)
        length = struct.unpack_from("<H", content, start + 28)[0]
        if content[start + 46 : start + 46 + length] == name:
            return start
        start += 4


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


# --- CSV ---------------------------------------------------------------------------------


def csv_rows(n: int, label=lambda i: i % 2) -> bytes:
    """`x1,x2,y` and `n` rows."""
    return ("x1,x2,y\n" + "".join(f"{i},{i},{label(i)}\n" for i in range(n))).encode()


def big_csv(path: Path, size: int) -> Path:
    """A well-formed CSV of about `size` bytes, written in chunks."""
    block = b"0.5,1.5,0\n-1,0.2,1\n" * (CHUNK // 20)
    with open(path, "wb") as out:
        out.write(b"x1,x2,y\n")
        for _ in range(size // len(block) + 1):
            out.write(block)
    return path


# --- pictures ----------------------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares `width × height` grey pixels and holds none: enough to refuse."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        PNG_SIGNATURE
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b""))
        + png_chunk(b"IEND", b"")
    )


def blank_png(path: Path, width: int, height: int) -> Path:
    """A real, complete black `width × height` grey PNG (zeros compress to almost nothing)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    squeeze = zlib.compressobj(9)
    row = bytes(width + 1)  # filter byte 0, then the pixels
    rows_per_chunk = max(1, CHUNK // len(row))
    idat = bytearray()
    for start in range(0, height, rows_per_chunk):
        idat += squeeze.compress(row * min(rows_per_chunk, height - start))
    idat += squeeze.flush()
    with open(path, "wb") as out:
        out.write(PNG_SIGNATURE + png_chunk(b"IHDR", ihdr))
        out.write(png_chunk(b"IDAT", bytes(idat)) + png_chunk(b"IEND", b""))
    return path


def png_with_metadata(kind: bytes, unpacked: int = 2_000_000, after_pixels: bool = False) -> bytes:
    """A small PNG with a zTXt or iCCP chunk that inflates to `unpacked` bytes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.zeros((28, 28), np.uint8)).save(buffer, "PNG")
    png = buffer.getvalue()
    prefix = b"Comment\0\0" if kind == b"zTXt" else b"profile\0\0"
    chunk = png_chunk(kind, prefix + zlib.compress(bytes(unpacked), 9))
    cut = len(png) - 12 if after_pixels else 33  # before IEND, or right after IHDR
    return png[:cut] + chunk + png[cut:]


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is patched to declare `width × height`."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (16, 16)).save(buffer, "JPEG")
    content = bytearray(buffer.getvalue())
    sof = content.index(b"\xff\xc0")
    struct.pack_into(">HH", content, sof + 5, height, width)
    return bytes(content)
