import io
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from nnviz.datasets import (
    DatasetError,
    DrawingStages,
    drawing_stages,
    preprocess_drawing,
    render_strokes,
)
from nnviz.datasets.drawing import MNIST_CENTRE
from nnviz.datasets.idx import read_idx

# A "7" drawn in the upper-left corner of a 280×280 canvas: far from the centre on purpose.
SEVEN = [np.array([[20.0, 25.0], [130.0, 30.0], [70.0, 160.0]])]


def white_on_black(lines=SEVEN, width=18.0, size=(280, 280)) -> np.ndarray:
    return render_strokes(lines, size=size, width=width)


def centre_of_mass(x: np.ndarray) -> tuple[float, float]:
    img = x.reshape(28, 28).astype(np.float64)
    idx = np.arange(28)
    return img.sum(1) @ idx / img.sum(), img.sum(0) @ idx / img.sum()


def as_json(lines, width: float) -> dict:
    """Canvas json_data as streamlit-drawable-canvas / fabric.js writes it for unmoved strokes."""
    objects = []
    for pts in lines:
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        objects.append(
            {
                "type": "path",
                "left": lo[0] - width / 2,
                "top": lo[1] - width / 2,
                "width": hi[0] - lo[0],
                "height": hi[1] - lo[1],
                "strokeWidth": width,
                "pathOffset": {"x": (lo[0] + hi[0]) / 2, "y": (lo[1] + hi[1]) / 2},
                "path": [["M", *pts[0]], *(["L", *p] for p in pts[1:])],
            }
        )
    return {"version": "4.4.0", "objects": objects}


def corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def aligned_corr(a: np.ndarray, b: np.ndarray) -> float:
    """Best correlation over whole-pixel shifts of ±1: centring by centre of mass rounds to a
    pixel, so two near-identical drawings can land one pixel apart (MNIST has the same jitter)."""
    a, b = a.reshape(28, 28), b.reshape(28, 28)
    return max(corr(np.roll(a, (dr, dc), (0, 1)), b) for dr in (-1, 0, 1) for dc in (-1, 0, 1))


def test_off_centre_stroke_lands_mnist_centred_in_a_20px_box():
    x = preprocess_drawing(white_on_black())
    assert x.shape == (1, 784) and x.dtype == np.float32
    assert x.min() == 0.0 and x.max() == pytest.approx(1.0)
    r, c = centre_of_mass(x)
    assert abs(r - MNIST_CENTRE[0]) <= 0.5 + 1e-6 and abs(c - MNIST_CENTRE[1]) <= 0.5 + 1e-6
    ink = x.reshape(28, 28) > 0
    rows, cols = np.nonzero(ink.any(1))[0], np.nonzero(ink.any(0))[0]
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 == 20


def test_black_on_white_and_white_on_black_agree_in_every_format():
    ink = white_on_black()
    reference = preprocess_drawing(ink)
    paper = 255 - ink
    rgb = np.repeat(paper[..., None], 3, axis=2)
    rgba = np.dstack([rgb, np.full_like(paper, 255)])
    for image in (paper, rgb, rgba, paper / 255.0, Image.fromarray(rgba), ink.astype(float)):
        np.testing.assert_allclose(preprocess_drawing(image), reference, atol=1e-5)


def test_transparent_canvas_reads_ink_from_alpha_whatever_its_colour():
    ink = white_on_black()
    reference = preprocess_drawing(ink)
    for colour in (0, 255, 90):
        rgba = np.zeros((*ink.shape, 4), np.uint8)
        rgba[..., :3] = colour
        rgba[..., 3] = ink
        np.testing.assert_allclose(preprocess_drawing(rgba), reference, atol=1e-5)


def test_coloured_ink_on_a_grey_canvas_is_ink():
    ink = white_on_black().astype(np.float32) / 255
    paper = np.array([238, 238, 238], np.float32)  # the canvas default "#eee"
    red = np.array([200, 20, 20], np.float32)
    rgb = (paper + ink[..., None] * (red - paper)).round().astype(np.uint8)
    assert corr(preprocess_drawing(rgb), preprocess_drawing(white_on_black())) > 0.99


@pytest.mark.parametrize(
    "blank",
    [
        np.zeros((280, 280), np.uint8),
        np.full((280, 280), 255, np.uint8),
        np.full((280, 280, 4), 255, np.uint8),
        np.zeros((280, 280, 4), np.uint8),
        np.dstack([np.full((280, 280, 3), 255, np.uint8), np.zeros((280, 280), np.uint8)]),
        np.full((64, 64), 0.5),
        {"objects": []},
    ],
    ids=["black", "white", "white-rgba", "transparent", "transparent-white", "grey", "no-strokes"],
)
def test_blank_canvas_means_no_prediction(blank):
    assert preprocess_drawing(blank) is None
    assert drawing_stages(blank) is None


def test_faint_noise_is_not_ink():
    noise = np.random.default_rng(0).integers(245, 256, (280, 280)).astype(np.uint8)
    assert preprocess_drawing(noise) is None


def test_a_single_dot_gives_a_centred_blob():
    dot = white_on_black([np.array([[200.0, 60.0]])], width=12)
    for image in (dot, as_json([np.array([[200.0, 60.0]])], width=12)):
        x = preprocess_drawing(image)
        assert x is not None and x.shape == (1, 784) and np.isfinite(x).all()
        r, c = centre_of_mass(x)
        assert abs(r - MNIST_CENTRE[0]) <= 0.5 + 1e-6 and abs(c - MNIST_CENTRE[1]) <= 0.5 + 1e-6
        assert x.max() == pytest.approx(1.0)


def test_huge_input_is_downscaled_first_without_full_size_float_copies():
    huge = np.zeros((10_000, 10_000), np.uint8)  # 100 MB; one float32 copy would be 400 MB
    huge[1000:9000, 2000:3000] = 255  # an "L": a bar down ...
    huge[8000:9000, 2000:7000] = 255  # ... and a foot
    tracemalloc.start()
    try:
        x = preprocess_drawing(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50e6
    small = np.zeros((1000, 1000), np.uint8)
    small[100:900, 200:300] = 255
    small[800:900, 200:700] = 255
    np.testing.assert_allclose(x, preprocess_drawing(small), atol=0.02)


def test_image_bytes_decode_and_anything_else_is_rejected():
    ink = white_on_black()
    reference = preprocess_drawing(ink)
    png, jpeg = io.BytesIO(), io.BytesIO()
    Image.fromarray(255 - ink).save(png, format="PNG")
    Image.fromarray(255 - ink).convert("RGB").save(jpeg, format="JPEG", quality=90)
    np.testing.assert_allclose(preprocess_drawing(png.getvalue()), reference, atol=1e-5)
    assert corr(preprocess_drawing(jpeg.getvalue()), reference) > 0.98
    with pytest.raises(DatasetError, match="not an image"):
        preprocess_drawing(b"certainly not a PNG")
    with pytest.raises(DatasetError, match="not an image"):
        preprocess_drawing(png.getvalue()[:200])  # truncated


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (np.zeros((4, 4, 5)), "shape"),
        (np.zeros((0, 10)), "shape"),
        (np.full((8, 8), np.nan), "NaN"),
        (np.array([["a", "b"]]), "numbers"),
        ({"strokes": []}, "objects"),
        ([[1, 2], [3]], "not an image"),
        ({"objects": [{"type": "path", "path": [["M", "left", 1]]}]}, "path command"),
    ],
)
def test_bad_inputs_say_what_is_wrong(bad, message):
    with pytest.raises(DatasetError, match=message):
        preprocess_drawing(bad)


def test_strokes_are_rerendered_so_the_pen_width_does_not_matter():
    thin, thick = as_json(SEVEN, width=6), as_json(SEVEN, width=40)
    np.testing.assert_allclose(preprocess_drawing(thin), preprocess_drawing(thick), atol=1e-6)
    # ... and they match the same drawing rasterised with a moderate pen
    for pen in (8, 20, 30):
        raster = preprocess_drawing(white_on_black(width=pen))
        assert aligned_corr(preprocess_drawing(thin), raster) > 0.9


def test_thin_and_thick_raster_pens_stay_close():
    thin = preprocess_drawing(white_on_black(width=5))
    thick = preprocess_drawing(white_on_black(width=40))
    assert aligned_corr(thin, thick) > 0.9
    # ... and carry about the same amount of ink (without pen normalisation: 3× apart)
    assert abs(thin.sum() - thick.sum()) < 0.25 * thick.sum()


def test_canvas_json_places_strokes_where_they_were_drawn():
    two = [np.array([[40.0, 40.0], [120.0, 60.0]]), np.array([[100.0, 100.0], [100.0, 200.0]])]
    np.testing.assert_array_equal(render_strokes(as_json(two, 10)), render_strokes(two, width=10))
    moved = as_json(two, 10)
    moved["objects"][1]["left"] += 50  # dragged 50 px to the right in transform mode
    shifted = render_strokes([two[0], two[1] + [50.0, 0.0]], width=10)
    np.testing.assert_array_equal(render_strokes(moved), shifted)


def test_render_strokes_draws_quadratic_canvas_paths_on_a_width_by_height_canvas():
    data = {
        "objects": [
            {"type": "path", "strokeWidth": 10, "path": [["M", 20, 20], ["Q", 200, 20, 200, 80]]},
            {"type": "rect", "left": 0, "top": 0, "width": 50, "height": 50},  # ignored
        ]
    }
    img = render_strokes(data, size=(300, 100))
    assert img.shape == (100, 300) and img.dtype == np.uint8
    assert img[20, 20] == 255 and img[80, 200] == 255
    # B(t) = (1-t)² P0 + 2t(1-t) C + t² P1 passes (110, 25.1), well off the chord's (110, 50)
    assert img[25, 110] == 255 and img[50, 110] == 0
    assert img[45, 45] == 0  # the rect is not ink


def test_stages_show_each_step():
    stages = drawing_stages(white_on_black())
    assert isinstance(stages, DrawingStages)
    top, left, bottom, right = stages.box
    np.testing.assert_array_equal(stages.cropped, stages.ink[top:bottom, left:right])
    assert max(stages.fitted.shape) == 20 and stages.centred.shape == (28, 28)
    assert stages.ink.max() == 1.0 and stages.ink.min() == 0.0
    np.testing.assert_array_equal(
        stages.centred.reshape(1, -1), preprocess_drawing(white_on_black())
    )
    with pytest.raises(ValueError):
        stages.centred[0, 0] = 1.0


@pytest.fixture(scope="module")
def mnist_test_digits(mnist_dir):
    return read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz", limit=100)


@pytest.mark.mnist
def test_mnist_centre_constant_is_what_mnist_measures(mnist_dir):
    images = read_idx(mnist_dir / "train-images-idx3-ubyte.gz", limit=10_000).astype(np.float64)
    mass = images.sum(axis=(1, 2))
    idx = np.arange(28)
    rows = images.sum(axis=2) @ idx / mass
    cols = images.sum(axis=1) @ idx / mass
    assert abs(rows.mean() - MNIST_CENTRE[0]) < 0.05 and abs(cols.mean() - MNIST_CENTRE[1]) < 0.05


@pytest.mark.mnist
def test_mnist_digit_upscaled_to_a_canvas_comes_back_as_itself(mnist_test_digits):
    scores = []
    for digit in mnist_test_digits:
        canvas = np.asarray(Image.fromarray(digit).resize((280, 280), Image.Resampling.BILINEAR))
        scores.append(corr(preprocess_drawing(canvas), digit / 255.0))
    assert np.mean(scores) > 0.9
    assert np.median(scores) > 0.93
