import gzip
import struct

import numpy as np
import pytest

from nnviz.datasets import DatasetError
from nnviz.datasets.idx import encode_idx, read_idx

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --- the real files ---------------------------------------------------------------------------


@pytest.mark.mnist
def test_real_images_have_mnist_shape_and_mean(mnist_dir):
    train = read_idx(mnist_dir / "train-images-idx3-ubyte.gz")
    test = read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz")
    assert train.shape == (60000, 28, 28)
    assert test.shape == (10000, 28, 28)
    assert train.dtype == test.dtype == np.uint8
    assert round(float(train.mean()), 3) == 33.318
    assert not train.flags.writeable


@pytest.mark.mnist
@pytest.mark.parametrize(
    ("name", "counts"),
    [("train-labels-idx1-ubyte.gz", TRAIN_COUNTS), ("t10k-labels-idx1-ubyte.gz", TEST_COUNTS)],
)
def test_real_labels_count_per_class(mnist_dir, name, counts):
    labels = read_idx(mnist_dir / name)
    assert labels.shape == (sum(counts),)
    assert labels.dtype == np.uint8
    assert np.bincount(labels, minlength=10).tolist() == counts


@pytest.mark.mnist
def test_limit_reads_the_first_rows(mnist_dir):
    path = mnist_dir / "t10k-images-idx3-ubyte.gz"
    head = read_idx(path, limit=7)
    assert head.shape == (7, 28, 28)
    np.testing.assert_array_equal(head, read_idx(path)[:7])
    assert read_idx(path, limit=10**9).shape == (10000, 28, 28)


@pytest.mark.mnist
def test_raw_and_gzipped_bytes_parse_the_same(mnist_dir):
    packed = (mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()
    np.testing.assert_array_equal(read_idx(gzip.decompress(packed)), read_idx(packed))


@pytest.fixture
def labels_copy(mnist_dir):
    """The decompressed t10k labels (10,008 bytes): a real file to damage."""
    return gzip.decompress((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes())


@pytest.mark.mnist
def test_truncated_gzip_copy_is_rejected_by_name(mnist_dir, tmp_path):
    packed = (mnist_dir / "t10k-images-idx3-ubyte.gz").read_bytes()
    bad = tmp_path / "t10k-images-idx3-ubyte.gz"
    bad.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(DatasetError, match="cannot read") as info:
        read_idx(bad)
    assert str(bad) in str(info.value)


@pytest.mark.mnist
def test_truncated_idx_copy_reports_the_byte_counts(labels_copy, tmp_path):
    bad = tmp_path / "labels.gz"
    bad.write_bytes(gzip.compress(labels_copy[:-8]))
    with pytest.raises(DatasetError, match=r"truncated.*10000 data bytes, found 9992") as info:
        read_idx(bad)
    assert str(bad) in str(info.value)


@pytest.mark.mnist
def test_wrong_magic_copy_is_rejected(labels_copy, tmp_path):
    bad = tmp_path / "labels"
    bad.write_bytes(labels_copy[:3] + b"\x02" + labels_copy[4:])
    with pytest.raises(DatasetError, match="magic number 2050, expected 2051") as info:
        read_idx(bad)
    assert str(bad) in str(info.value)


@pytest.mark.mnist
def test_garbage_copy_is_rejected(labels_copy, tmp_path):
    rng = np.random.default_rng(0)
    bad = tmp_path / "garbage.gz"
    bad.write_bytes(b"<html>" + rng.bytes(len(labels_copy)))
    with pytest.raises(DatasetError, match="not an IDX file") as info:
        read_idx(bad)
    assert str(bad) in str(info.value)


# --- synthetic files: every check of the header ------------------------------------------------


def test_hand_built_file_parses():
    data = bytes(range(24))
    raw = struct.pack(">BBBBIII", 0, 0, 8, 3, 2, 3, 4) + data
    images = read_idx(raw)
    assert images.shape == (2, 3, 4)
    np.testing.assert_array_equal(images.ravel(), np.arange(24))


def test_encode_idx_round_trips():
    array = np.random.default_rng(1).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    np.testing.assert_array_equal(read_idx(gzip.compress(encode_idx(array))), array)
    labels = np.arange(10, dtype=np.uint8)
    assert encode_idx(labels)[:8] == b"\x00\x00\x08\x01\x00\x00\x00\x0a"


def test_encode_idx_refuses_non_bytes():
    with pytest.raises(DatasetError, match="uint8"):
        encode_idx(np.zeros((2, 2), dtype=np.float32))


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"", "too short for an IDX header"),
        (b"\x00\x00\x08", "too short for an IDX header"),
        (b"\x00\x00\x0d\x01\x00\x00\x00\x01\x00\x00\x00\x00", r"element type 0x0d"),
        (b"\x00\x00\x08\x02\x00\x00\x00\x01\x00\x00\x00\x01\x07", "magic number 2050"),
        (b"\x00\x00\x08\x03\x00\x00\x00\x01", "truncated inside the header"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x03\x01\x02", "truncated: header"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x01\x01\x02", "has trailing bytes"),
        (b"\x00\x00\x08\x03\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", "implausible"),
    ],
)
def test_bad_headers_are_rejected(raw, problem):
    with pytest.raises(DatasetError, match=problem):
        read_idx(raw, name="sample.idx")
    with pytest.raises(DatasetError, match=f"sample.idx: .*{problem}"):
        read_idx(gzip.compress(raw), name="sample.idx")


def test_corrupt_gzip_stream_is_a_dataset_error():
    packed = bytearray(gzip.compress(encode_idx(np.arange(200, dtype=np.uint8))))
    packed[12:20] = b"\xff" * 8
    with pytest.raises(DatasetError, match="<bytes>: cannot read"):
        read_idx(bytes(packed))


def test_missing_file_is_a_dataset_error(tmp_path):
    with pytest.raises(DatasetError, match="nope.gz"):
        read_idx(tmp_path / "nope.gz")


def test_negative_limit_is_rejected():
    with pytest.raises(DatasetError, match="limit"):
        read_idx(encode_idx(np.zeros(3, dtype=np.uint8)), limit=-1)
