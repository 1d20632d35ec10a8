import io

import numpy as np
import pytest

from nnviz.datasets import DatasetError, from_csv, moons

GOOD = b"x1,x2,y\n0.5,1.5,0\n-1,2e-1,1\n3,4,1\n"


def test_path_bytes_and_file_objects_read_the_same(tmp_path):
    path = tmp_path / "points.csv"
    path.write_bytes(GOOD)
    upload = io.BytesIO(GOOD)
    upload.name = "upload.csv"  # Streamlit's UploadedFile is a BytesIO with a name
    loaded = {
        "points": from_csv(path),
        "str path": from_csv(str(path), name="str path"),
        "csv": from_csv(GOOD),
        "upload": from_csv(upload),
        "text": from_csv(io.StringIO(GOOD.decode()), name="text"),
    }
    for name, data in loaded.items():
        assert data.name == name
        assert data.x.tolist() == [[0.5, 1.5], [-1.0, 0.2], [3.0, 4.0]]
        assert data.y.tolist() == [0, 1, 1] and data.y.dtype == np.int64


def test_generated_dataset_round_trips(tmp_path):
    data = moons(n_samples=60, noise=0.2)
    lines = ["x1,x2,y"] + [
        f"{a!r},{b!r},{c}" for (a, b), c in zip(data.x.tolist(), data.y.tolist(), strict=True)
    ]
    path = tmp_path / "moons.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    back = from_csv(path)
    assert np.array_equal(back.x, data.x) and np.array_equal(back.y, data.y)
    assert back.name == "moons" and back.task == "binary"


def test_float_labels_make_a_regression_target():
    data = from_csv(b"a,b,target\n0,0,0.5\n1,0,1\n0,1,-2.25\n")
    assert data.task == "regression" and data.y.shape == (3, 1)
    assert data.y[:, 0].tolist() == [0.5, 1.0, -2.25]


def test_integer_valued_floats_are_classes():
    data = from_csv(b"x1,x2,y\n0,0,0.0\n1,0,2.0\n0,1,1e0\n")
    assert data.y.tolist() == [0, 2, 1] and data.task == "multiclass"


def test_text_labels_map_to_classes_in_sorted_order():
    data = from_csv(b"x1,x2,label\n0,0,dog\n1,0,cat\n0,1,eel\n1,1,cat\n")
    assert data.y.tolist() == [1, 0, 2, 0]


def test_named_columns_in_any_order_with_extras_bom_and_blank_lines():
    text = "\ufeffid,Y,X2,x1\n\n1,1,20,10\n2,0,40,30\n\n"
    data = from_csv(text.encode())
    assert data.x.tolist() == [[10, 20], [30, 40]] and data.y.tolist() == [1, 0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the CSV file is empty"),
        (b"\n \n", "the CSV file is empty"),
        (b"x1,x2,y\n", "has a header but no data rows"),
        (b"x1,x2,y\n1,2,0\n1,2,0,7\n", "row 3 has 4 columns; the header has 3"),
        (b"x1,x2,y\n1,2\n", "row 2 has 2 columns; the header has 3"),
        (b"a,b\n1,2\n", "the header has 2 columns"),
        (b"a;b;y\n1;2;0\n", "separated by ';'"),
        (b"1,2,0\n3,4,1\n", "row 1 holds numbers, not a header"),
        (b"x1,x2,y\n1,2,0\n1,abc,1\n", "row 3, column 'x2': 'abc' is not a number"),
        (b"x1,x2,y\n1,,0\n", "row 2, column 'x2': '' is not a number"),
        (b"x1,x2,y\n1,2,0\nnan,2,1\n", "row 3, column 'x1': 'nan' is not a finite number"),
        (b"x1,x2,y\n1,2,0\n1,-inf,1\n", "row 3, column 'x2': '-inf' is not a finite number"),
        (b"x1,x2,y\n1,2,0\n1,2,inf\n", "row 3, column 'y': 'inf' is not a finite number"),
        (b"x1,x2,y\n1,2,0\n1,2,x\n", "row 3, column 'y': 'x' is not a number, but other"),
        (b"x1,x2,y\n1,2,1\n1,2,1\n", "every row has the label '1'; need at least two classes"),
        (b"x1,x2,y\n1,2,a\n1,2,a\n", "every row has the label 'a'"),
        (b"x1,x2,y\n1,2,0\n1,2,-1\n", "row 3, column 'y': class label -1 is negative"),
        (b"x1,x2,y\n1,2,0\n1,2,2\n", "label 1 never appears"),
        (b"x1,x2,y\n1,2,1e300\n1,2,3\n", "label 0 never appears"),
        (b"x1,x2,y\n1,2,0\n1,2,\xe9\n", "not UTF-8 text: byte 0xe9 on row 3 cannot be decoded"),
    ],
)
def test_bad_files_say_exactly_what_is_wrong(content, message):
    with pytest.raises(DatasetError, match=message.replace("(", r"\(")):
        from_csv(io.BytesIO(content))


def test_more_than_20000_rows_is_refused_and_20000_is_fine():
    rows = "".join(f"{i},{i},{i % 2}\n" for i in range(20_000))
    assert len(from_csv(("x1,x2,y\n" + rows).encode())) == 20_000
    with pytest.raises(DatasetError, match="more than 20,000 data rows"):
        from_csv(("x1,x2,y\n" + rows + "1,1,1\n").encode())


def test_a_missing_path_is_not_swallowed(tmp_path):
    with pytest.raises(FileNotFoundError):
        from_csv(tmp_path / "nope.csv")
