"""Pictures from strangers: sizes come from headers before decoding, and an upload that shows no
digit says why."""

import io

import numpy as np
import pytest
from PIL import Image

from nnviz.core import limits
from nnviz.datasets import DatasetError, drawing_stages, preprocess_drawing, render_strokes
from nnviz.datasets.drawing import upload_stages
from tests.fuzz import crafted


def png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("side", [4097, 12_000, 20_000, 70_000])
def test_too_many_pixels_are_refused_from_the_header(side):
    for read in (preprocess_drawing, upload_stages):
        with pytest.raises(DatasetError, match=f"the image is {side}×{side} pixels; at most 4096"):
            read(crafted.png_header_only(side, side))


def test_a_complete_12000_pixel_png_is_refused_before_decoding(tmp_path):
    content = crafted.blank_png(tmp_path / "big.png", 12_000, 12_000).read_bytes()
    assert len(content) < 1_000_000
    with pytest.raises(DatasetError, match="12000×12000 pixels; at most 4096×4096"):
        upload_stages(content)


def test_jpeg_sizes_are_read_from_the_frame_header():
    with pytest.raises(DatasetError, match="the image is 30000×20000 pixels"):
        preprocess_drawing(crafted.jpeg_declaring(30_000, 20_000))
    with pytest.raises(DatasetError, match="the image is 5000×10 pixels"):
        preprocess_drawing(crafted.jpeg_declaring(5_000, 10))


def test_a_pil_image_over_the_limit_is_refused_before_conversion():
    with pytest.raises(DatasetError, match="5000×8 pixels"):
        preprocess_drawing(Image.new("L", (5000, 8)))


@pytest.mark.parametrize("kind", [b"zTXt", b"iCCP"])
@pytest.mark.parametrize("after_pixels", [False, True])
def test_huge_png_metadata_blocks_are_a_clear_error(kind, after_pixels):
    content = crafted.png_with_metadata(kind, after_pixels=after_pixels)
    assert len(content) < 10_000
    with pytest.raises(DatasetError, match="metadata block .* more than 1 MiB"):
        preprocess_drawing(content)


def test_files_over_the_size_limit_are_refused(monkeypatch):
    content = png(np.zeros((64, 64), np.uint8))
    monkeypatch.setattr(limits, "IMAGE_BYTES", len(content) - 1)
    with pytest.raises(DatasetError, match="the image file is 0.0 MB; at most 0 MB"):
        upload_stages(content)


def test_unknown_bytes_say_so_without_internals():
    with pytest.raises(DatasetError) as info:
        upload_stages(b"hello, not a picture")
    assert "expected one of PNG, JPEG" in str(info.value) and "0x" not in str(info.value)


def test_only_everyday_picture_formats_are_decoded():
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n"
    ico = io.BytesIO()
    Image.new("L", (16, 16)).save(ico, "ICO")
    for content in (eps, ico.getvalue()):
        with pytest.raises(DatasetError, match="not an image nnviz reads"):
            preprocess_drawing(content)


@pytest.mark.parametrize(
    ("pixels", "message"),
    [
        (np.full((100, 100), 255, np.uint8), r"all one shade \(white\)"),
        (np.zeros((100, 100), np.uint8), r"all one shade \(black\)"),
        (np.full((100, 100, 3), 128, np.uint8), r"all one shade \(grey\)"),
        (np.zeros((60, 60, 4), np.uint8), "fully transparent"),
        (np.zeros((1, 1), np.uint8), "1×1 pixels, too small to show a digit; use at least 8×8"),
        (np.zeros((200, 5), np.uint8), "5×200 pixels, too small"),
    ],
    ids=["white", "black", "grey", "transparent", "1x1", "sliver"],
)
def test_uploads_without_a_digit_say_why(pixels, message):
    content = png(pixels)
    with pytest.raises(DatasetError, match=message):
        upload_stages(content)
    assert preprocess_drawing(content) is None  # the canvas API keeps None for "no ink"


def test_an_upload_that_shows_a_digit_gives_its_stages():
    ink = render_strokes([np.array([[60.0, 40.0], [220.0, 40.0], [120.0, 250.0]])], width=18)
    content = png(255 - ink)
    stages = upload_stages(content)
    np.testing.assert_array_equal(stages.centred, drawing_stages(content).centred)
