"""Picture bytes and canvas data, generated and mutated: a 28×28 input (or None for no ink),
or a DatasetError."""

import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from nnviz.datasets import DatasetError, preprocess_drawing, render_strokes
from nnviz.datasets.drawing import upload_stages
from tests.fuzz.crafted import png_chunk, png_header_only
from tests.fuzz.profile import FUZZ


def encoded(pixels: np.ndarray, fmt: str, mode: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(pixels).convert(mode)
    image.save(buffer, fmt)
    return buffer.getvalue()


DIGIT = 255 - render_strokes([np.array([[60.0, 40.0], [220.0, 40.0], [120.0, 250.0]])], width=18)
SEEDS = [
    encoded(DIGIT, "PNG", "L"),
    encoded(DIGIT[::4, ::4], "PNG", "RGBA"),
    encoded(DIGIT[::4, ::4], "JPEG", "RGB"),
    encoded(DIGIT[::4, ::4], "GIF", "P"),
    encoded(DIGIT[::4, ::4], "BMP", "RGB"),
    encoded(DIGIT[::4, ::4], "TIFF", "L"),
    encoded(DIGIT[::4, ::4], "WEBP", "RGB"),
]


def check(content) -> None:
    try:
        x = preprocess_drawing(content)
    except DatasetError:
        x = "refused"
    if isinstance(x, np.ndarray):
        assert x.shape == (1, 784) and np.isfinite(x).all() and 0 <= x.min() <= x.max() <= 1
    if isinstance(content, bytes):
        try:
            stages = upload_stages(content)
        except DatasetError:
            return
        assert stages.centred.shape == (28, 28)


@st.composite
def mutated(draw) -> bytes:
    content = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        # the first 64 bytes (headers) are hit as often as the rest
        end = 64 if draw(st.booleans()) else len(content)
        i = draw(st.integers(0, min(end, len(content)) - 1))
        content[i] = draw(st.integers(0, 255))
    cut = draw(st.integers(1, len(content)))
    return bytes(content[: cut if draw(st.booleans()) else len(content)])


@st.composite
def odd_pngs(draw) -> bytes:
    """A PNG header with any size, plus chunks of any kind and content."""
    width, height = draw(st.integers(0, 70_000)), draw(st.integers(0, 70_000))
    content = png_header_only(width, height)
    extra = draw(
        st.lists(
            st.tuples(
                st.sampled_from([b"tEXt", b"zTXt", b"iCCP", b"IDAT", b"PLTE", b"tRNS"]),
                st.binary(max_size=64),
            ),
            max_size=3,
        )
    )
    chunks = b"".join(png_chunk(kind, data) for kind, data in extra)
    return content[:33] + chunks + content[33:]


@FUZZ
@given(mutated())
def test_mutated_picture_files(content):
    check(content)


@FUZZ
@given(odd_pngs())
def test_png_headers_and_chunks(content):
    check(content)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(content):
    check(content)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=15,
)
numbers = st.one_of(st.floats(-400, 400), st.floats(), st.integers(-(10**6), 10**6), json_values)
commands = st.one_of(
    st.tuples(st.sampled_from(["M", "L", "m", "Z"]), numbers, numbers).map(list),
    st.tuples(st.just("Q"), numbers, numbers, numbers, numbers).map(list),
    st.lists(json_values, max_size=5),
)
paths = st.fixed_dictionaries(
    {"type": st.just("path"), "path": st.lists(commands, min_size=1, max_size=12)},
    optional={
        key: numbers
        for key in ("left", "top", "width", "height", "strokeWidth", "scaleX", "scaleY", "angle")
    }
    | {"pathOffset": st.fixed_dictionaries({}, optional={"x": numbers, "y": numbers})},
)


@FUZZ
@given(st.fixed_dictionaries({"objects": st.lists(paths | json_values, max_size=4)}))
def test_canvas_data(data):
    check(data)
    try:
        image = render_strokes(data)
    except DatasetError:
        return
    assert image.shape == (280, 280) and image.dtype == np.uint8


@FUZZ
@given(json_values)
def test_any_json_as_canvas_data(data):
    if isinstance(data, dict):
        check(data)
