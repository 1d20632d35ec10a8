"""CSV bytes, generated and mutated: a Dataset within the limits, or a DatasetError."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nnviz.core import limits
from nnviz.datasets import Dataset, DatasetError, from_csv
from tests.fuzz.profile import FUZZ

GOOD = b"x1,x2,y\n0.5,1.5,0\n-1,2e-1,1\n3,4,1\n1,1,0\n"

cells = st.one_of(
    st.integers(-3, 60).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", " ", "nan", "-inf", "1e309", "cat", "dog", '"a,b"', '"', "\0", "x1"]),
    st.text(max_size=8),
)
headers = st.sampled_from(["x1,x2,y", "x1,x2,label", "a,b,c", "Y,X2,x1,id", "x1;x2;y", "1,2,3", ""])


@st.composite
def csv_files(draw) -> bytes:
    separator = draw(st.sampled_from([",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=30))
    lines = [draw(headers)] + [separator.join(row) for row in rows]
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + newline.join(lines)).encode("utf-8", "surrogatepass")


@st.composite
def mutated(draw) -> bytes:
    content = bytearray(draw(st.sampled_from([GOOD, csv_files_example()])))
    for _ in range(draw(st.integers(1, 8))):
        i = draw(st.integers(0, len(content)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = draw(st.integers(0, 255))
        if action == "insert":
            content.insert(i, byte)
        elif i < len(content):
            if action == "delete":
                del content[i]
            else:
                content[i] = byte
    return bytes(content)


def csv_files_example() -> bytes:
    return b"x1,x2,label\n" + b"".join(f"{i},{-i},c{i % 3}\n".encode() for i in range(40))


def check(content: bytes) -> None:
    try:
        data = from_csv(content)
    except DatasetError:
        return
    assert isinstance(data, Dataset) and 1 <= len(data) <= limits.CSV_ROWS
    assert data.x.shape[1] == 2 and np.isfinite(data.x).all()
    if data.task != "regression":
        assert 2 <= data.n_classes <= limits.CSV_CLASSES
    else:
        assert all(math.isfinite(v) for v in data.y[:, 0])


@FUZZ
@given(st.binary(max_size=2_000))
def test_random_bytes(content):
    check(content)


@FUZZ
@given(csv_files())
def test_generated_csv_files(content):
    check(content)


@FUZZ
@given(mutated())
def test_mutated_csv_files(content):
    check(content)
