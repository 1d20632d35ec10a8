"""Canvas data comes from the browser, so a student can send anything: every tampered field is a
DatasetError saying which, checked before any drawing work."""

import copy

import pytest

from nnviz.datasets import DatasetError, preprocess_drawing, render_strokes

STROKE = {
    "type": "path",
    "left": 40,
    "top": 40,
    "width": 100,
    "height": 150,
    "strokeWidth": 20,
    "pathOffset": {"x": 100, "y": 125},
    "path": [["M", 50, 50], ["Q", 100, 60, 150, 50], ["L", 80, 200]],
}


def canvas(**changes) -> dict:
    stroke = copy.deepcopy(STROKE)
    stroke.update(changes)
    return {"version": "4.4.0", "objects": [stroke]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (canvas(strokeWidth="abc"), "canvas field 'strokeWidth': 'abc' is not a number"),
        (canvas(strokeWidth=None), "'strokeWidth': None is not a number"),
        (canvas(strokeWidth=True), "'strokeWidth': True is not a number"),
        (canvas(strokeWidth=5000), "5000 px is not a pen width from 0 to 200"),
        (canvas(angle=float("nan")), "'angle': nan is not a finite number"),
        (canvas(angle=float("inf")), "'angle': inf is not a finite number"),
        (canvas(scaleX=[1, 2]), r"'scaleX': \[1, 2\] is not a number"),
        (canvas(left=1e300), "'left': 1e\\+300 is not a finite number within ±100,000"),
        (canvas(scaleX=1e5, scaleY=1e5), "a moved canvas path must be finite numbers within"),
        (canvas(pathOffset={"x": "0"}), "'pathOffset.x': '0' is not a number"),
        (canvas(path=[["M", 1e200, 5]]), "path command .*1e\\+200 is not a finite number"),
        (canvas(path=[["M", "left", 5]]), "path command .*'left' is not a number"),
        (canvas(path=[{"M": 1}]), r"path command is not \[letter, numbers…\]"),
        (canvas(path=[[7, 1, 2]]), "path command is not"),
        (canvas(path="M 0 0 L 10 10"), "a canvas path must be a list of commands"),
        (canvas(path=[["Z"]]), "a canvas path has no points"),
        ({"objects": [STROKE] * 101}, "holds 101 objects; at most 100"),
        (canvas(path=[["L", 1, 2]] * 5001), "holds 5,001 path commands; at most 5,000"),
        ({"objects": {"0": STROKE}}, "must be a dict with an 'objects' list"),
    ],
)
def test_tampered_canvas_data_is_a_dataset_error(data, message):
    for read in (preprocess_drawing, render_strokes):
        with pytest.raises(DatasetError, match=message):
            read(data)


def test_odd_but_harmless_fields_are_ignored():
    untouched = preprocess_drawing(canvas())
    assert untouched is not None
    for harmless in (canvas(originX=[1]), canvas(type="PATH"), canvas(fill={"a": 1})):
        assert preprocess_drawing(harmless) is not None
    other = {"objects": [STROKE, {"type": "rect", "left": "x"}, "text", None, 5]}
    assert (preprocess_drawing(other) == untouched).all()
