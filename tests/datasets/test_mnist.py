import gzip

import numpy as np
import pytest

from nnviz.datasets import MNIST_FILES, Dataset, DatasetError, ImageDataset, load_mnist
from nnviz.datasets.idx import encode_idx

# --- the real files ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return load_mnist(mnist_dir, mirrors=[])


@pytest.mark.mnist
def test_full_load_has_mnist_shapes(mnist):
    train, test = mnist
    assert isinstance(train, Dataset) and isinstance(test, ImageDataset)
    assert train.images.shape == (60000, 28, 28) and train.images.dtype == np.uint8
    assert test.images.shape == (10000, 28, 28)
    assert train.y.shape == (60000,) and train.y.dtype == np.int64
    assert np.bincount(test.y).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert (train.n_features, train.n_classes, train.task) == (784, 10, "multiclass")
    assert (train.name, test.name) == ("mnist-train", "mnist-test")


@pytest.mark.mnist
def test_x_is_float_in_unit_range_made_on_demand(mnist):
    test = mnist[1]
    x = test.x
    assert x.shape == (10000, 784) and x.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0
    np.testing.assert_array_equal(x, test.images.reshape(10000, 784) / np.float32(255))
    assert test.x is not x
    assert not np.shares_memory(x, test.images)


@pytest.mark.mnist
def test_batch_converts_only_the_requested_rows(mnist):
    train = mnist[0]
    x, y = train.batch(np.array([3, 0, 59999]))
    assert x.shape == (3, 784) and x.dtype == np.float32
    np.testing.assert_array_equal(x, train.images[[3, 0, 59999]].reshape(3, -1) / np.float32(255))
    assert y.tolist() == [1, 5, train.y[59999]]


@pytest.mark.mnist
def test_limit_takes_the_first_images_and_is_read_only(mnist_dir, mnist):
    train, test = load_mnist(mnist_dir, limit=50, mirrors=[])
    assert (len(train), len(test)) == (50, 50)
    np.testing.assert_array_equal(train.images, mnist[0].images[:50])
    np.testing.assert_array_equal(test.y, mnist[1].y[:50])
    assert train.n_classes == 10
    for array in (train.images, train.y, train.x):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1
    with pytest.raises(ValueError):
        train.images.flags.writeable = True
    with pytest.raises(AttributeError, match="frozen"):
        train.name = "other"


@pytest.mark.mnist
def test_builtin_hashes_match_the_shipped_sha256sums(mnist_dir):
    sums = dict(line.split()[::-1] for line in (mnist_dir / "SHA256SUMS").read_text().splitlines())
    decompressed = {f"{name}.gz": sha for name, sha in sums.items() if not name.endswith(".gz")}
    assert decompressed == MNIST_FILES


# --- ImageDataset on small arrays -------------------------------------------------------------


def make_images(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n)


def test_image_dataset_copies_its_inputs():
    images, _ = make_images(5)
    labels = np.array([0, 1, 2, 3, 9])
    ds = ImageDataset(images, labels, "digits")
    images[0] = 0
    labels[0] = 7
    assert ds.images[0].any() and ds.y[0] == 0
    assert repr(ds) == "ImageDataset('digits', 5 × 28×28, 10 classes)"


def test_subset_is_an_image_dataset_that_keeps_the_class_count():
    images, _ = make_images(6)
    ds = ImageDataset(images, np.array([0, 1, 2, 0, 1, 2]), "d", n_classes=10)
    sub = ds.subset([4, 1])
    assert isinstance(sub, ImageDataset)
    np.testing.assert_array_equal(sub.images, images[[4, 1]])
    assert sub.y.tolist() == [1, 1]
    assert (sub.n_classes, sub.name, sub.image_shape) == (10, "d", (28, 28))
    assert ImageDataset(images, np.zeros(6, dtype=int)).n_classes == 1


@pytest.mark.parametrize(
    ("images", "labels", "problem"),
    [
        (np.zeros((2, 28, 28), dtype=np.float32), [0, 1], "uint8"),
        (np.zeros((2, 784), dtype=np.uint8), [0, 1], "uint8"),
        (np.zeros((2, 28, 28), dtype=np.uint8), [0, 1, 2], "2 rows but y has 3"),
        (np.zeros((2, 28, 28), dtype=np.uint8), [0, -1], "0, 1, 2"),
        (np.zeros((2, 28, 28), dtype=np.uint8), [0.0, 1.0], "integers"),
        (np.zeros((2, 28, 28), dtype=np.uint8), [0, 10], "label 10 but only 10 classes"),
    ],
)
def test_image_dataset_rejects_bad_input(images, labels, problem):
    with pytest.raises(DatasetError, match=problem):
        ImageDataset(images, np.array(labels), n_classes=10)


# --- where load_mnist looks, with small synthetic MNIST folders -------------------------------


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """No $NNVIZ_DATA_DIR and a cache under tmp_path: the real ~/.cache is never touched."""
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path


def write_mnist(folder, n_train: int, n_test: int = 3, image_shape=(28, 28)):
    folder.mkdir(parents=True)
    rng = np.random.default_rng(n_train)
    for split, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, (n, *image_shape), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        (folder / f"{split}-images-idx3-ubyte.gz").write_bytes(gzip.compress(encode_idx(images)))
        (folder / f"{split}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(encode_idx(labels)))
    return folder


def test_search_order_is_argument_then_env_then_cache(isolated, monkeypatch):
    arg, env = write_mnist(isolated / "arg", 4), write_mnist(isolated / "env", 5)
    write_mnist(isolated / "xdg" / "nnviz" / "mnist", 6)
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(env))
    assert len(load_mnist(arg, mirrors=[])[0]) == 4
    assert len(load_mnist(isolated / "empty", mirrors=[])[0]) == 5
    monkeypatch.delenv("NNVIZ_DATA_DIR")
    assert len(load_mnist(mirrors=[])[0]) == 6
    assert len(load_mnist(cache_dir=arg, mirrors=[])[0]) == 4


def test_corrupt_local_file_is_named(isolated):
    folder = write_mnist(isolated / "data", 4)
    labels = folder / "train-labels-idx1-ubyte.gz"
    labels.write_bytes(gzip.compress(gzip.decompress(labels.read_bytes())[:-1]))
    with pytest.raises(DatasetError, match="train-labels-idx1-ubyte.gz: truncated"):
        load_mnist(folder, mirrors=[])


def test_local_files_must_be_mnist_shaped(isolated):
    folder = write_mnist(isolated / "data", 4, image_shape=(8, 8))
    with pytest.raises(DatasetError, match="train-images-idx3-ubyte.gz: expected 28×28"):
        load_mnist(folder, mirrors=[])
    swapped = write_mnist(isolated / "swapped", 4)
    images, labels = (swapped / name for name in list(MNIST_FILES)[:2])
    labels.write_bytes(images.read_bytes())
    with pytest.raises(DatasetError, match="expected a 1-D label file"):
        load_mnist(swapped, mirrors=[])


def test_label_count_must_match_image_count(isolated):
    folder = write_mnist(isolated / "data", 4)
    short = gzip.compress(encode_idx(np.zeros(3, dtype=np.uint8)))
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(short)
    with pytest.raises(DatasetError, match="4 train images but 3 labels"):
        load_mnist(folder, mirrors=[])


def test_labels_must_be_digits(isolated):
    folder = write_mnist(isolated / "data", 4)
    bad = gzip.compress(encode_idx(np.array([1, 2, 3, 12], dtype=np.uint8)))
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(bad)
    with pytest.raises(DatasetError, match="label 12 is not a digit"):
        load_mnist(folder, mirrors=[])
