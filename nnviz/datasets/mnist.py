"""MNIST handwritten digits (LeCun, Cortes, Burges; CC BY-SA 3.0): 60,000 train + 10,000 test.

The pixels are kept once, as the `uint8` arrays the files hold (47 MB for the training set);
the float features a model consumes are made on demand, one batch at a time, so the 188 MB
float32 copy of the whole set never has to exist.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nnviz.datasets.base import Dataset, DatasetError, _check_pair
from nnviz.datasets.idx import read_idx

if TYPE_CHECKING:
    from nnviz.datasets.download import Progress

MNIST_CREDIT = (
    "MNIST handwritten digits by Yann LeCun, Corinna Cortes and Christopher J. C. Burges, "
    "CC BY-SA 3.0"
)
"""Due wherever MNIST, or a model trained on it, is shown."""

_SHA256SUMS = """
ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte
65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5  train-labels-idx1-ubyte
0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7  t10k-images-idx3-ubyte
ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2  t10k-labels-idx1-ubyte
"""
MNIST_FILES: dict[str, str] = {
    f"{name}.gz": digest for digest, name in map(str.split, _SHA256SUMS.strip().splitlines())
}
"""The four standard file names and the SHA-256 of their *decompressed* content."""

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
_SPLITS = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def to_unit(pixels: np.ndarray) -> np.ndarray:
    """Grey levels 0…255 → float32 in [0, 1]: `x = pixels / 255`, the scaling models train on."""
    return np.divide(pixels, np.float32(255), dtype=np.float32)


class ImageDataset(Dataset):
    """A `Dataset` of grey images stored as `uint8 (n, height, width)`.

    `.x` and `.batch()` give what a model consumes, `float32 (rows, height·width)` in [0, 1],
    converted on each call (only the requested rows for `.batch`); `.images` is the stored array.

    Args:
        images: `uint8 (n, height, width)`.
        labels: `(n,)` integer classes.
        name: shown in the UI and in reprs.
        n_classes: the number of classes of the whole problem (10 digits), so a subset that
            happens to miss a class still reports it; default: `max(labels) + 1`.
    """

    __slots__ = ("_images", "_n_classes")

    def __init__(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        name: str = "images",
        *,
        n_classes: int | None = None,
    ) -> None:
        self._setup(np.array(images, copy=True), np.array(labels, copy=True), name, n_classes)

    @classmethod
    def _adopt(
        cls, images: np.ndarray, labels: np.ndarray, name: str, n_classes: int | None
    ) -> ImageDataset:
        """Build without copying arrays that nobody else holds (fresh or file-backed)."""
        dataset = object.__new__(cls)
        dataset._setup(images, labels, name, n_classes)
        return dataset

    def _setup(
        self, images: np.ndarray, labels: np.ndarray, name: str, n_classes: int | None
    ) -> None:
        if images.dtype != np.uint8 or images.ndim != 3:
            raise DatasetError(
                f"{name}: images must be uint8 (n, height, width), "
                f"got {images.dtype} {images.shape}"
            )
        flat = images.reshape(len(images), -1)
        _check_pair(flat, labels, name)
        labels = labels.astype(np.int64, copy=False)
        if n_classes is not None and len(labels) and labels.max() >= n_classes:
            raise DatasetError(f"{name}: label {labels.max()} but only {n_classes} classes")
        for array in (images, flat, labels):
            array.flags.writeable = False
        object.__setattr__(self, "_images", images)
        object.__setattr__(self, "_x", flat)
        object.__setattr__(self, "_y", labels)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_n_classes", n_classes)

    @property
    def x(self) -> np.ndarray:
        """All rows as float32 `(n, height·width)` in [0, 1]; a new read-only array per call."""
        x = to_unit(self._x)
        x.flags.writeable = False
        return x

    @property
    def images(self) -> np.ndarray:
        """The stored read-only `uint8 (n, height, width)` pixels."""
        return self._images

    @property
    def image_shape(self) -> tuple[int, int]:
        return self._images.shape[1], self._images.shape[2]

    @property
    def n_features(self) -> int:
        return self._x.shape[1]

    @property
    def n_classes(self) -> int:
        return self._n_classes if self._n_classes is not None else super().n_classes

    def batch(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        indices = np.asarray(indices)
        return to_unit(self._x[indices]), self._y[indices]

    def subset(self, indices: np.ndarray, name: str | None = None) -> ImageDataset:
        indices = np.asarray(indices)
        images, labels = self._images[indices], self._y[indices]
        return ImageDataset._adopt(images, labels, name or self.name, self._n_classes)

    def __repr__(self) -> str:
        height, width = self.image_shape
        return (
            f"ImageDataset({self.name!r}, {len(self)} × {height}×{width}, {self.n_classes} classes)"
        )


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/nnviz/mnist`, falling back to `~/.cache/nnviz/mnist`."""
    try:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except (RuntimeError, KeyError) as error:  # no home directory (e.g. a bare service user)
        raise DatasetError(
            "there is no home folder for the MNIST cache: set XDG_CACHE_HOME to a writable "
            "folder, or NNVIZ_DATA_DIR to a folder that holds the MNIST files"
        ) from error
    return Path(base) / "nnviz" / "mnist"


def find_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Path | None:
    """The first of `data_dir`, `$NNVIZ_DATA_DIR`, the cache dir that holds all four files."""
    for candidate in (data_dir, os.environ.get("NNVIZ_DATA_DIR"), None):
        folder = _cache(cache_dir) if candidate is None else Path(candidate).expanduser()
        if _holds_mnist(folder):
            return folder
    return None


def _holds_mnist(folder: Path) -> bool:
    try:
        return all((folder / name).is_file() for name in MNIST_FILES)
    except OSError:  # e.g. no permission to look inside: then it holds nothing we can read
        return False


def fetch_mnist(
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    mirrors: tuple[str, ...] | list[str] | None = None,
    progress: Progress | None = None,
) -> Path:
    """Download the files missing from the cache dir, verified by content hash; return the dir.

    Raises:
        DatasetError: a file could not be downloaded intact; says how to provide the files.
    """
    from nnviz.datasets.download import download, make_folder  # network code loads on demand

    cache = _cache(cache_dir)
    try:
        make_folder(cache)
    except DatasetError as error:
        raise DatasetError(
            f"MNIST cannot be downloaded: {error}. Or set XDG_CACHE_HOME to a writable folder "
            "(the cache is $XDG_CACHE_HOME/nnviz/mnist), or NNVIZ_DATA_DIR to a folder that "
            f"holds the four files {', '.join(MNIST_FILES)}"
        ) from error
    missing = [name for name in MNIST_FILES if not (cache / name).is_file()]
    for i, name in enumerate(missing, start=1):
        try:
            download(
                name,
                MNIST_MIRRORS if mirrors is None else mirrors,
                cache,
                sha256=MNIST_FILES[name],
                progress=_numbered(progress, i, len(missing)),
            )
        except DatasetError as error:
            raise DatasetError(
                f"MNIST is not available locally and the download failed: {error}\n"
                f"To provide the files yourself, get the four files {', '.join(MNIST_FILES)} and "
                f"either set the environment variable NNVIZ_DATA_DIR to the folder that holds "
                f"them, or copy them into {cache}"
            ) from error
    return cache


def load_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    mirrors: tuple[str, ...] | list[str] | None = None,
) -> tuple[ImageDataset, ImageDataset]:
    """The MNIST `(train, test)` sets, from disk if present, else downloaded once into the cache.

    Looks for the four `.gz` files in `data_dir`, then `$NNVIZ_DATA_DIR`, then `cache_dir`
    (default `default_cache_dir()`); if none has them all, downloads the missing ones into the
    cache from `mirrors` (default `MNIST_MIRRORS`; `[]` forbids the network).

    Downloads are verified by the SHA-256 of their content. Files found on disk are only checked
    for structure (IDX header, byte count, 28×28 shape, labels 0-9): hashing 55 MB on every load
    would cost more than the load itself, and we write no marker files next to the user's data.

    Args:
        limit: keep the first `limit` images of each split (only those are decompressed).
        progress: `progress(done_bytes, total_bytes, message)` during downloads.
    """
    folder = find_mnist(data_dir, cache_dir=cache_dir)
    if folder is None:
        folder = fetch_mnist(cache_dir, mirrors=mirrors, progress=progress)
    return _load_split(folder, "train", limit), _load_split(folder, "test", limit)


def _cache(cache_dir: str | os.PathLike[str] | None) -> Path:
    return Path(cache_dir).expanduser() if cache_dir else default_cache_dir()


def _numbered(progress: Progress | None, i: int, n: int) -> Progress | None:
    if progress is None:
        return None
    return lambda done, total, message: progress(done, total, f"{message} ({i}/{n})")


def _load_split(folder: Path, split: str, limit: int | None) -> ImageDataset:
    image_file, label_file = (folder / name for name in _SPLITS[split])
    images = read_idx(image_file, limit=limit)
    labels = read_idx(label_file, limit=limit)
    if images.shape[1:] != (28, 28):
        raise DatasetError(f"{image_file}: expected 28×28 images, got shape {images.shape}")
    if labels.ndim != 1:
        raise DatasetError(f"{label_file}: expected a 1-D label file, got shape {labels.shape}")
    if len(images) != len(labels):
        raise DatasetError(f"{folder}: {len(images)} {split} images but {len(labels)} labels")
    if len(labels) and labels.max() > 9:
        raise DatasetError(f"{label_file}: label {labels.max()} is not a digit 0-9")
    return ImageDataset._adopt(images, labels, f"mnist-{split}", n_classes=10)
