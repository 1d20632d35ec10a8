"""Fetch a file from the first mirror that serves it intact, and never leave half a file behind.

The bytes stream into a temporary file next to the destination; only after the byte count and
the SHA-256 check pass is it renamed into place with `os.replace`, which is atomic on one file
system. Any failure (refused connection, dropped connection, wrong content) deletes the temporary
file and moves on to the next mirror.

The hash is taken over the *decompressed* content: mirrors gzip the same data with different
settings, so the `.gz` bytes differ while the data inside is identical.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Sequence
from http.client import HTTPException
from pathlib import Path
from urllib.parse import urlsplit

from nnviz.datasets.base import DatasetError

Progress = Callable[[int, int | None, str], None]
"""`progress(done_bytes, total_bytes or None if unknown, message)`, e.g. bound to a progress bar."""

CHUNK_SIZE = 1 << 16
USER_AGENT = "nnviz-dataset-downloader"


def download(
    filename: str,
    mirrors: Sequence[str],
    dest_dir: str | os.PathLike[str],
    *,
    sha256: str,
    progress: Progress | None = None,
    timeout: float = 30.0,
) -> Path:
    """Download `filename` from the first of `mirrors` that delivers the expected content.

    Args:
        filename: the file's name, appended to each mirror's base URL.
        mirrors: base URLs (`https://host/path/`), tried in order.
        dest_dir: where the verified file lands (created if missing).
        sha256: expected SHA-256 (hex) of the decompressed content (of the raw bytes if the
            server sends something that is not gzip).
        progress: called with `(done_bytes, total_bytes, message)` as the bytes arrive.
        timeout: seconds to wait for a connection or for the next bytes.

    Returns:
        The path of the verified file, `dest_dir / filename`.

    Raises:
        DatasetError: no mirror delivered the file intact; the message lists each failure.
    """
    dest_dir = make_folder(dest_dir)
    failures = []
    for url in (base.rstrip("/") + "/" + filename for base in mirrors):
        try:
            return _fetch(url, dest_dir / filename, sha256, progress, timeout)
        except (OSError, HTTPException, DatasetError) as error:
            failures.append(f"{url}: {error}")
    tried = "\n  ".join(failures) or "no mirrors given"
    raise DatasetError(f"could not download {filename}:\n  {tried}")


def make_folder(folder: str | os.PathLike[str]) -> Path:
    """`folder`, created with its parents if missing; DatasetError saying which folder and why
    when that is impossible (a file in the way, no permission, a read-only disk)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        blocker = next((p for p in (folder, *folder.parents) if p.is_file()), None)
        why = f"{blocker} is a file, not a folder" if blocker else error.strerror or str(error)
        raise DatasetError(
            f"cannot create the folder {folder}: {why}. Move that out of the way or choose "
            "another folder"
        ) from error
    return folder


def content_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's content, decompressed first if it is gzip."""
    digest = hashlib.sha256()
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw, mode="rb") if gzipped else raw
        try:
            while chunk := stream.read(CHUNK_SIZE):
                digest.update(chunk)
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise DatasetError(f"corrupt gzip data ({error})") from error
    return digest.hexdigest()


def _fetch(url: str, dest: Path, sha256: str, progress: Progress | None, timeout: float) -> Path:
    if urlsplit(url).scheme not in ("http", "https"):
        raise DatasetError("only http(s) URLs are supported")
    message = f"Downloading {dest.name} from {urlsplit(url).netloc}"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(request, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            if progress:
                progress(done, total, message)
            while chunk := resp.read(CHUNK_SIZE):
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total, message)
        if total is not None and done != total:
            raise DatasetError(f"connection closed after {done} of {total} bytes")
        if (actual := content_sha256(tmp)) != sha256:
            raise DatasetError(f"content SHA-256 is {actual}, expected {sha256}")
        tmp.chmod(0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest
