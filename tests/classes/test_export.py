"""The class set as MNIST IDX files and CSV: what goes out comes back the same."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from datetime import UTC, datetime

import numpy as np
import pytest

from nnviz.classes import (
    Drawing,
    class_set_csv,
    class_set_idx,
    class_set_zip,
    drawing_arrays,
    idx_file_names,
)
from nnviz.classes.export import CSV_HEADER
from nnviz.datasets.idx import IDX_IMAGES, IDX_LABELS, read_idx

WHEN = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def class_set(n: int, names=("Ada", "Bo")) -> list[Drawing]:
    rng = np.random.default_rng(n)
    return [
        Drawing(
            id=i + 1,
            nickname=names[i % len(names)],
            image=rng.integers(0, 256, (28, 28), dtype=np.uint8),
            label=int(rng.integers(10)),
            prediction=int(rng.integers(10)),
            confidence=float(rng.random()),
            created_at=WHEN,
        )
        for i in range(n)
    ]


def test_arrays_keep_the_order_and_bytes():
    drawings = class_set(5)
    images, labels = drawing_arrays(drawings)
    assert images.shape == (5, 28, 28) and images.dtype == labels.dtype == np.uint8
    for i, drawing in enumerate(drawings):
        np.testing.assert_array_equal(images[i], drawing.image)
        assert labels[i] == drawing.label


@pytest.mark.parametrize("n", [0, 1, 37])
def test_idx_files_round_trip_through_the_mnist_reader(n):
    drawings = class_set(n)
    images_gz, labels_gz = class_set_idx(drawings)
    images, labels = drawing_arrays(drawings)
    np.testing.assert_array_equal(read_idx(images_gz), images)
    np.testing.assert_array_equal(read_idx(labels_gz), labels)
    assert read_idx(images_gz).shape == (n, 28, 28)
    assert int.from_bytes(gzip.decompress(images_gz)[:4], "big") == IDX_IMAGES
    assert int.from_bytes(gzip.decompress(labels_gz)[:4], "big") == IDX_LABELS


def test_the_same_set_gives_the_same_bytes():
    assert class_set_idx(class_set(4)) == class_set_idx(class_set(4))


def test_idx_names_look_like_mnist():
    assert idx_file_names("ABC234") == (
        "class-abc234-images-idx3-ubyte.gz",
        "class-abc234-labels-idx1-ubyte.gz",
    )


def test_csv_round_trips_labels_pixels_and_details():
    drawings = class_set(6, names=("Zoë 名前", 'x,"y"'))
    rows = list(csv.reader(io.StringIO(class_set_csv(drawings).decode("utf-8"))))
    assert rows[0] == CSV_HEADER
    assert rows[0][:2] == ["label", "pixel0"] and rows[0][784] == "pixel783"
    body = rows[1:]
    assert len(body) == 6
    images, labels = drawing_arrays(drawings)
    np.testing.assert_array_equal(
        np.array([r[1:785] for r in body], dtype=np.uint8), images.reshape(6, -1)
    )
    np.testing.assert_array_equal(np.array([r[0] for r in body], dtype=np.uint8), labels)
    for row, drawing in zip(body, drawings, strict=True):
        assert int(row[785]) == drawing.prediction
        assert float(row[786]) == pytest.approx(drawing.confidence, abs=1e-6)
        assert row[787] == drawing.nickname
        assert datetime.fromisoformat(row[788]) == WHEN


@pytest.mark.parametrize("name", ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)"])
def test_csv_nicknames_cannot_become_spreadsheet_formulas(name):
    rows = list(csv.reader(io.StringIO(class_set_csv(class_set(1, names=(name,))).decode())))
    assert rows[1][787] == "'" + name


def test_zip_holds_both_idx_files_and_the_csv():
    drawings = class_set(3)
    archive = zipfile.ZipFile(io.BytesIO(class_set_zip("ABC234", drawings)))
    images_name, labels_name = idx_file_names("ABC234")
    assert sorted(archive.namelist()) == sorted([images_name, labels_name, "class-abc234.csv"])
    assert (archive.read(images_name), archive.read(labels_name)) == class_set_idx(drawings)
    assert archive.read("class-abc234.csv") == class_set_csv(drawings)


def test_export_from_a_real_store(store):
    new = store.create_class()
    store.join(new.code, "Ada")
    pixels = np.linspace(0, 1, 784).reshape(28, 28)
    store.add_drawing(new.code, "Ada", pixels, 4, 9, 0.3)
    images_gz, labels_gz = class_set_idx(store.drawings(new.code, new.teacher_key))
    np.testing.assert_array_equal(read_idx(images_gz)[0], np.rint(pixels * 255).astype(np.uint8))
    assert read_idx(labels_gz).tolist() == [4]
