"""The class gallery: one row per digit, the latest drawings, misread ones framed in orange."""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from nnviz.viz import theme
from nnviz.viz.gallery import FRAME, GAP_X, GAP_Y, SIDE, gallery_figure, gallery_rows


@pytest.fixture(autouse=True)
def validating(monkeypatch):
    """Build with plotly's validation, so a bad property fails the test."""
    monkeypatch.setattr(
        theme, "figure", lambda data, layout: go.Figure({"data": data, "layout": layout})
    )


def decoded(figure) -> np.ndarray:
    uri = figure.data[0].source
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))))


def tile(image: np.ndarray, digit: int, col: int, pad: int = 0) -> np.ndarray:
    top, left = digit * (SIDE + GAP_Y) + GAP_Y // 2, col * (SIDE + GAP_X) + GAP_X // 2
    return image[top - pad : top + SIDE + pad, left - pad : left + SIDE + pad]


def tile_centre(digit: int) -> float:
    return digit * (SIDE + GAP_Y) + GAP_Y // 2 + SIDE / 2


def test_rows_hold_each_digits_latest_drawings():
    labels = [3, 1, 3, 3, 1, 3]
    rows = gallery_rows(labels, 2)
    assert rows[3].tolist() == [3, 5] and rows[1].tolist() == [1, 4]
    assert all(len(rows[d]) == 0 for d in (0, 2, 4, 5, 6, 7, 8, 9))


def test_tiles_are_drawn_where_their_digit_row_is_and_misreads_are_framed():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)
    figure = gallery_figure(images, [7, 2, 7], [7, 5, 7], ["a", "b", "c"], columns=4)
    png = decoded(figure)
    assert png.shape == (10 * (SIDE + GAP_Y), 4 * (SIDE + GAP_X), 4)
    for i, (digit, col) in enumerate([(7, 0), (2, 0), (7, 1)]):
        drawn = tile(png, digit, col)
        assert np.array_equal(drawn[..., 0], images[i]) and (drawn[..., 3] == 255).all()
    frame = tile(png, 2, 0, FRAME)[0, :, :3]  # the top edge of the misread one
    orange = tuple(int(theme.ORANGE[k : k + 2], 16) for k in (1, 3, 5))
    assert (frame == orange).all()
    assert tile(png, 7, 0, FRAME)[0, 0, 3] == 0  # a right one has no frame
    assert png[: SIDE + GAP_Y, :, 3].max() == 0  # the row of 0s is empty: transparent
    marks = figure.data[1]  # one invisible hover mark per drawing, row by row
    assert list(marks.hovertext) == ["b", "a", "c"]
    assert list(marks.y) == [tile_centre(2), tile_centre(7), tile_centre(7)]
    notes = [a.text for a in figure.layout.annotations]
    assert "read 5" in notes and sum(n.startswith("read") for n in notes) == 1


def test_an_empty_class_still_shows_the_ten_rows():
    figure = gallery_figure(np.zeros((0, 28, 28), np.uint8), [], [], [], columns=3)
    assert len(figure.data[1].x) == 0
    rows = [a.text for a in figure.layout.annotations]
    assert len(rows) == 10 and rows[0].startswith("<b>0</b>")
