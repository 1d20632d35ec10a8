"""CSV files from strangers: every limit is checked while reading, and stops at the first excess."""

import csv
import io

import pytest

from nnviz.core import limits
from nnviz.datasets import DatasetError, from_csv
from tests.fuzz.crafted import big_csv, csv_rows


def refused(content, message: str) -> str:
    with pytest.raises(DatasetError, match=message) as info:
        from_csv(content)
    return str(info.value)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    path = big_csv(tmp_path / "big.csv", 3_000_000)
    monkeypatch.setattr(limits, "CSV_BYTES", 2_000_000)
    refused(path, r"the CSV file is [34]\.[0-9] MB; nnviz reads at most 2 MB")
    refused(io.BytesIO(path.read_bytes()), "larger than")
    refused(path.read_bytes(), "larger than")
    refused(io.StringIO(path.read_text()), "larger than")


def test_an_upload_that_reports_its_size_is_refused_without_reading():
    class Upload(io.BytesIO):
        size = limits.CSV_BYTES + 1

        def read(self, *args):
            raise AssertionError("read although the size says no")

    refused(Upload(b""), "is 50.0 MB; nnviz reads at most 50 MB")


def test_rows_stop_at_the_limit_without_parsing_the_rest():
    content = csv_rows(limits.CSV_ROWS + 1) + b"1,2,not-a-number-but-never-read\n" * 10
    refused(content, "more than 20,000 data rows")


@pytest.mark.parametrize("n_labels", [51, 5_000])
def test_too_many_text_classes_stop_at_the_first_excess(n_labels):
    content = csv_rows(n_labels, label=lambda i: f"class-{i:05d}")
    message = refused(content, "would be class 51; a dataset has at most 50 classes")
    assert message.startswith("row 52, column 'y': 'class-00050'")


def test_too_many_integer_classes_are_counted():
    refused(csv_rows(5_000, label=lambda i: i), "has 5,000 different class labels; a dataset has")
    fifty = from_csv(csv_rows(200, label=lambda i: i % 50))
    assert fifty.n_classes == 50


def test_regression_targets_are_not_classes():
    data = from_csv(csv_rows(500, label=lambda i: i + 0.5))
    assert data.task == "regression"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x1,x2,y\n1,2," + b"a" * 140_000 + b"\n", "row 2 is longer than 100,000 characters"),
        (b'x1,x2,y\n1,2,"' + b"a" * 200_000 + b'"\n', "row 2 is longer than 100,000"),
        (b"x1,x2,y\n" + b"\0" * 1_000_000, "row 2 is longer than 100,000 characters"),
        (b'x1,x2,y\n1,2,"' + b"a" * 20_000 + b'"\n', "row 2 has a cell of 20,000 characters"),
        (b"x1,x2,y\n1,2,0\n" + b'1,"\n",' * 30_000, "row 3 is longer than 100,000"),
        (b"x1,x2,y\n" + b"\n" * 100_000, "more than 40,000 lines"),
        (b"x1,x2,y\n1,2,0\n1,2,a\0b\n", r"row 3, column 'y': 'a\\x00b' is not a number"),
    ],
    ids=["long cell", "quoted cell", "NUL bytes", "20k cell", "quoted newlines", "blank", "NUL"],
)
def test_long_rows_cells_and_lines_say_where(content, message):
    refused(content, message)


def test_csv_module_errors_name_the_row():
    previous = csv.field_size_limit(50)  # another part of the process may have lowered it
    try:
        refused(b"x1,x2,y\n1,2,0\n1,2," + b"a" * 60 + b"\n", r"row 3: not readable as CSV")
    finally:
        csv.field_size_limit(previous)


def test_a_bad_byte_is_found_even_past_the_first_block():
    content = csv_rows(3000) + b"1,2,\xe9\n"
    refused(content, "not UTF-8 text: byte 0xe9 on row 3002")
