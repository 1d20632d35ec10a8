import numpy as np
import pytest

from nnviz.datasets import DatasetError, preprocess_drawing, sketch_digits
from nnviz.datasets.idx import read_idx
from nnviz.datasets.sketches import HARD_TEMPLATES, TEMPLATES, hard_sketches


def border(img: np.ndarray) -> np.ndarray:
    return np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]])


def test_same_seed_same_sketches_and_another_seed_others():
    a, la = sketch_digits(12, np.random.default_rng(3))
    b, lb = sketch_digits(12, np.random.default_rng(3))
    c, _ = sketch_digits(12, np.random.default_rng(4))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(la, lb)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize(
    ("style", "shape"),
    [
        ("mixed", (13, 140, 140, 4)),
        ("black_on_white", (13, 140, 140)),
        ("white_on_black", (13, 140, 140)),
    ],
)
def test_shapes_and_dtypes(style, shape):
    images, labels = sketch_digits(13, np.random.default_rng(0), size=140, style=style)
    assert images.shape == shape and images.dtype == np.uint8
    assert labels.shape == (13,) and labels.dtype == np.int64


def test_labels_are_balanced_and_cover_every_digit():
    _, labels = sketch_digits(35, np.random.default_rng(1))
    counts = np.bincount(labels, minlength=10)
    assert counts.sum() == 35 and counts.min() == 3 and counts.max() == 4


def test_grey_styles_are_the_same_drawing_inverted():
    bow, _ = sketch_digits(6, np.random.default_rng(5), style="black_on_white")
    wob, _ = sketch_digits(6, np.random.default_rng(5), style="white_on_black")
    np.testing.assert_array_equal(bow, 255 - wob)
    assert (np.stack([border(w) for w in wob]) == 0).mean() > 0.9  # paper stays paper


def test_mixed_has_white_paper_black_paper_and_transparent_paper():
    images, _ = sketch_digits(60, np.random.default_rng(2))
    kinds = []
    for img in images:
        edge = border(img)
        if np.median(edge[:, 3]) == 0:
            kinds.append("transparent")
        elif np.median(edge[:, :3]) > 200:
            kinds.append("white")
        elif np.median(edge[:, :3]) == 0:
            kinds.append("black")
    assert len(kinds) == 60 and set(kinds) == {"transparent", "white", "black"}


def test_digits_vary_in_size_and_place_but_stay_on_the_canvas():
    images, _ = sketch_digits(40, np.random.default_rng(7), style="white_on_black")
    heights, centres = [], []
    for img in images:
        rows, cols = np.nonzero(img > 0)
        heights.append(rows.max() - rows.min() + 1)
        centres.append(((rows.max() + rows.min()) / 2, (cols.max() + cols.min()) / 2))
    assert min(heights) > 0.3 * 280 and max(heights) <= 280
    assert np.ptp(heights) > 60
    assert np.std(np.array(centres), axis=0).min() > 15  # not always in the middle


def test_every_template_style_is_reachable_and_every_sketch_has_ink():
    assert set(TEMPLATES) == set(range(10))
    assert all(len(styles) >= 2 for styles in TEMPLATES.values())
    images, _ = sketch_digits(30, np.random.default_rng(9))
    assert all(preprocess_drawing(img) is not None for img in images)


def test_bad_arguments_raise():
    with pytest.raises(DatasetError, match="style"):
        sketch_digits(3, np.random.default_rng(0), style="sepia")
    with pytest.raises(DatasetError, match="n ≥ 0"):
        sketch_digits(-1, np.random.default_rng(0))


@pytest.mark.mnist
def test_sketches_read_as_mnist_digits(mnist_dir):
    """Nearest MNIST class mean (≈ 77 % on MNIST itself) must read most sketches correctly."""
    images = read_idx(mnist_dir / "train-images-idx3-ubyte.gz", limit=20_000)
    labels = read_idx(mnist_dir / "train-labels-idx1-ubyte.gz", limit=20_000)
    x = images.reshape(len(images), -1) / 255.0
    means = np.stack([x[labels == k].mean(axis=0) for k in range(10)])
    sketches, truth = sketch_digits(200, np.random.default_rng(11))
    rows = np.vstack([preprocess_drawing(img) for img in sketches])
    guess = ((rows[:, None, :] - means[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert (guess == truth).mean() > 0.5


def test_hard_sketches_are_open_top_fours_and_figure_eight_eights():
    images, labels = hard_sketches(20, np.random.default_rng(0), size=140, style="white_on_black")
    assert images.shape == (20, 140, 140) and sorted(set(labels.tolist())) == [4, 8]
    assert (labels == 4).sum() == 10
    again, _ = hard_sketches(20, np.random.default_rng(0), size=140, style="white_on_black")
    np.testing.assert_array_equal(images, again)
    assert all(preprocess_drawing(image) is not None for image in images)
    # the templates: the 4's two strokes never meet at the top; the 8 is one crossing stroke
    for four in HARD_TEMPLATES[4]:  # the stem starts right of the arm's top, and below it
        assert len(four) == 2 and four[0][0, 0] < four[1][0, 0] and four[1][0, 1] > four[0][0, 1]
    for eight in HARD_TEMPLATES[8]:
        assert len(eight) == 1 and _crosses_itself(eight[0])


def _crosses_itself(path: np.ndarray) -> bool:
    """Whether two non-adjacent segments of a polyline intersect."""
    a, b = path[:-1], path[1:]
    for i in range(len(a)):
        for j in range(i + 2, len(a)):
            d1, d2 = b[i] - a[i], b[j] - a[j]
            det = d1[0] * -d2[1] + d2[0] * d1[1]
            if abs(det) < 1e-12:
                continue
            r = a[j] - a[i]
            t = (r[0] * -d2[1] + d2[0] * r[1]) / det
            u = (d1[0] * r[1] - d1[1] * r[0]) / det
            if 0 < t < 1 and 0 < u < 1:
                return True
    return False


def test_hard_sketches_refuse_bad_arguments():
    with pytest.raises(DatasetError):
        hard_sketches(-1, np.random.default_rng(0))
    with pytest.raises(DatasetError):
        hard_sketches(2, np.random.default_rng(0), style="sepia")
