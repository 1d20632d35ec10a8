"""The join link and its QR code: large, crisp, and encoding exactly the link."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import segno
from PIL import Image

from nnviz.classes import ClassError, join_link, join_qr_png, join_qr_svg
from nnviz.classes.qr import BORDER, ERROR_CORRECTION

LINK = "https://nnviz.example.org/class?class=ABC234"


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("https://h.example/class", "https://h.example/class?class=ABC234"),
        ("http://localhost:8501/class?x=1", "http://localhost:8501/class?x=1&class=ABC234"),
        ("https://h.example/class?class=OLD#top", "https://h.example/class?class=ABC234"),
    ],
)
def test_join_link_carries_the_code(page, link):
    assert join_link(page, "abc 234") == link


@pytest.mark.parametrize(("page", "code"), [("ftp://h/x", "ABC234"), ("/class", "ABC234")])
def test_join_link_needs_an_http_address(page, code):
    with pytest.raises(ClassError, match="http"):
        join_link(page, code)


def test_join_link_checks_the_code():
    with pytest.raises(ClassError, match="not a class code"):
        join_link("https://h.example/class", "AB0")


def test_png_is_large_and_holds_exactly_the_links_symbol():
    png = Image.open(io.BytesIO(join_qr_png(LINK))).convert("L")
    width, height = png.size
    assert width == height >= 800
    expected = segno.make(LINK, error=ERROR_CORRECTION, micro=False, boost_error=False)
    matrix = np.array(expected.matrix, dtype=bool)
    modules = matrix.shape[0] + 2 * BORDER
    scale = width // modules
    assert scale * modules == width  # whole pixels per module: no blur
    pixels = np.asarray(png)
    centres = (np.arange(matrix.shape[0]) + BORDER) * scale + scale // 2
    dark = pixels[np.ix_(centres, centres)] < 128
    np.testing.assert_array_equal(dark, matrix)
    assert (pixels[: BORDER * scale] > 128).all()  # quiet zone


def test_png_size_is_configurable():
    small = Image.open(io.BytesIO(join_qr_png(LINK, min_pixels=200)))
    assert 200 <= small.size[0] < 400


def test_svg_scales_to_its_container():
    svg = ET.fromstring(join_qr_svg(LINK))
    assert svg.tag.endswith("svg")
    assert "viewBox" in svg.attrib
    assert "width" not in svg.attrib and "height" not in svg.attrib


@pytest.mark.parametrize("link", ["", "x" * 1001, None])
def test_qr_refuses_empty_or_huge_links(link):
    with pytest.raises(ClassError, match="link of 1 to 1000"):
        join_qr_png(link)


@pytest.mark.parametrize("width", [0, 99, 4001, 800.0, True])
def test_png_width_is_checked(width):
    with pytest.raises(ClassError, match="QR code"):
        join_qr_png(LINK, min_pixels=width)
