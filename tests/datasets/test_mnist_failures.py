"""Every way getting MNIST can fail on a server is a DatasetError that says what to do: no raw
OSError, EOFError or zlib.error escapes."""

import gzip
import tracemalloc
import zlib
from pathlib import Path

import numpy as np
import pytest

from nnviz.datasets import DatasetError, load_mnist
from nnviz.datasets import mnist as mnist_module
from nnviz.datasets.download import download, make_folder
from nnviz.datasets.idx import encode_idx, read_idx
from nnviz.datasets.mnist import default_cache_dir, fetch_mnist, find_mnist


@pytest.fixture
def blocked(monkeypatch, tmp_path):
    """A cache home where a *file* named `nnviz` sits where the cache folder should go."""
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "nnviz").write_text("not a folder")
    return tmp_path


def test_a_cache_folder_that_cannot_be_created_says_which_and_what_to_do(blocked):
    for attempt in (lambda: load_mnist(mirrors=["http://127.0.0.1:9/"]), fetch_mnist):
        with pytest.raises(DatasetError) as info:
            attempt()
        message = str(info.value)
        assert f"cannot create the folder {blocked / 'nnviz' / 'mnist'}" in message
        assert f"{blocked / 'nnviz'} is a file, not a folder" in message
        assert "XDG_CACHE_HOME" in message and "NNVIZ_DATA_DIR" in message
        assert "Errno" not in message


def test_download_and_make_folder_refuse_a_blocked_folder(blocked):
    with pytest.raises(DatasetError, match="is a file, not a folder"):
        download("x.gz", ["http://127.0.0.1:9/"], blocked / "nnviz" / "deeper", sha256="0")
    with pytest.raises(DatasetError, match="cannot create the folder"):
        make_folder(blocked / "nnviz")
    assert make_folder(blocked / "fine" / "deep") == blocked / "fine" / "deep"


def test_a_missing_home_folder_is_a_dataset_error(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    with pytest.raises(DatasetError, match="no home folder .* XDG_CACHE_HOME"):
        default_cache_dir()


def test_a_data_folder_that_cannot_be_looked_into_holds_nothing(monkeypatch, tmp_path):
    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_file", refuse)
    assert find_mnist(tmp_path, cache_dir=tmp_path) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda gz: gz[: len(gz) // 2],  # truncated download
        lambda gz: gz[:20] + bytes(len(gz) - 20),  # zeroed body
        lambda gz: gz[:-8] + b"\xff" * 8,  # wrong CRC and length
        lambda gz: b"\x1f\x8b" + b"\xff" * 30,  # a gzip magic and garbage
        lambda gz: b"",  # empty file
    ],
    ids=["truncated", "zeroed", "bad-crc", "garbage", "empty"],
)
def test_corrupt_gzip_files_are_dataset_errors(tmp_path, damage):
    raw = encode_idx(np.random.default_rng(0).integers(0, 256, (50, 28, 28), dtype=np.uint8))
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(damage(gzip.compress(raw)))
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz"):
        read_idx(path)


def test_trailing_data_is_never_inflated(tmp_path):
    """A gzip whose IDX header is honest but which goes on with 200 MB of zeros."""
    raw = encode_idx(np.zeros(10, np.uint8))
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = squeeze.compress(raw) + b"".join(squeeze.compress(bytes(1 << 22)) for _ in range(50))
    path = tmp_path / "labels.gz"
    path.write_bytes(body + squeeze.flush())
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError, match="has trailing bytes"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_a_corrupt_cached_file_is_named_by_load_mnist(tmp_path, monkeypatch):
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    for name in mnist_module.MNIST_FILES:
        (tmp_path / name).write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 20)
    with pytest.raises(DatasetError, match="cannot read the file"):
        load_mnist(tmp_path, mirrors=[])
