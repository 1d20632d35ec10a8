"""The shipped digit model, `classify_drawing`, and the augmentation it was trained with."""

from importlib import resources

import numpy as np
import pytest

import nnviz
from nnviz.core import ModelFileError, load_model
from nnviz.core.serialization import load_model_with_metadata
from nnviz.datasets import DatasetError, load_mnist, preprocess_drawing, render_strokes
from nnviz.datasets import augment as aug
from nnviz.datasets.sketches import hard_sketches, sketch_digits
from nnviz.digits.inspection import check_digit_model
from nnviz.digits.predict import (
    DigitPrediction,
    classify_drawing,
    digit_model_info,
    load_digit_model,
)
from nnviz.digits.train import accuracy_on, main, train_digit_model

ASSET = resources.files("nnviz") / "assets" / "digit_model.npz"
CNN_ASSET = resources.files("nnviz") / "assets" / "digit_cnn.npz"
KINDS = ("cnn", "mlp")


def blob(rows: slice, cols: slice) -> np.ndarray:
    image = np.zeros((1, 28, 28), np.float32)
    image[0, rows, cols] = 1.0
    return image


def polyline_canvas(*points: tuple[float, float]) -> dict:
    path = [["M", *points[0]]] + [["L", *p] for p in points[1:]]
    return {"objects": [{"type": "path", "path": path, "strokeWidth": 18}]}


# --- augmentation -----------------------------------------------------------------------


def test_shift_moves_the_centre_of_mass_by_the_shift():
    image = blob(slice(10, 18), slice(11, 15))
    for rows, cols in ((2, -3), (0.5, 1.25), (-1.5, 0)):
        moved = aug.shift_images(image, rows, cols)
        np.testing.assert_allclose(
            aug.centre_of_mass(moved)[0], [13.5 + rows, 12.5 + cols], atol=1e-4
        )
        np.testing.assert_allclose(moved.sum(), image.sum(), rtol=1e-5)


def test_whole_pixel_shift_is_a_roll():
    image = blob(slice(10, 18), slice(11, 15))
    np.testing.assert_array_equal(aug.shift_images(image, 2, -3), np.roll(image, (2, -3), (1, 2)))


def test_rotation_by_zero_and_identity_affine_change_nothing():
    image = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    np.testing.assert_allclose(aug.rotate_images(image, 0.0), image / 255, atol=1e-6)
    np.testing.assert_allclose(aug.affine(image, np.eye(2), np.zeros(2)), image / 255, atol=1e-6)


def test_rotation_turns_counter_clockwise_about_the_centre_of_mass():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 14, 14] = image[0, 14, 20] = 1.0  # centre of mass (14, 17)
    turned = aug.rotate_images(image, 90.0)[0]
    assert turned[11, 17] == pytest.approx(1.0, abs=1e-5)  # the right dot went up
    assert turned[17, 17] == pytest.approx(1.0, abs=1e-5)  # the left dot went down
    assert turned.sum() == pytest.approx(2.0, abs=1e-4)


def test_dilate_adds_ink_erode_removes_it():
    image = blob(slice(8, 20), slice(12, 15))
    thick, thin = aug.dilate(image), aug.erode(image)
    assert thick.sum() > image.sum() > thin.sum() > 0
    assert thick.sum() == 12 * 3 + 2 * 12 + 2 * 3  # one pixel more on each side of the bar
    assert (thick >= image).all() and (thin <= image).all()
    np.testing.assert_allclose(aug.change_thickness(image, 0.0), image)
    half = aug.change_thickness(image, 0.5)
    assert image.sum() < half.sum() < thick.sum()


def test_augment_is_seeded_shaped_and_keeps_the_digit_in_place():
    images = np.zeros((64, 28, 28), np.uint8)
    images[:, 6:22, 12:16] = 255
    first = aug.augment(images, np.random.default_rng(3))
    again = aug.augment(images, np.random.default_rng(3))
    other = aug.augment(images, np.random.default_rng(4))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    assert first.shape == (64, 28, 28) and first.dtype == np.float32
    assert first.min() >= 0.0 and np.allclose(first.max(axis=(1, 2)), 1.0)
    offset = aug.centre_of_mass(first) - aug.centre_of_mass(images)
    assert np.abs(offset).max() <= 2.0 * np.sqrt(2) + 0.5  # the shift; rotation keeps the centre
    ink = first.sum(axis=(1, 2)) / (images[0] / 255).sum()
    assert ink.min() > 0.3 and ink.max() < 2.5


def test_augment_with_probability_zero_is_the_identity():
    images = np.random.default_rng(0).integers(0, 256, (8, 28, 28), dtype=np.uint8)
    images[:, 0, 0] = 255
    plain = aug.augment(images, np.random.default_rng(0), aug.Augmentation(probability=0.0))
    np.testing.assert_allclose(plain, images / 255, atol=1e-6)


def test_augmented_images_batch_keeps_labels_and_rows():
    images = np.zeros((10, 28, 28), np.uint8)
    images[:, 10:18, 10:18] = 200
    data = aug.AugmentedImages(images, np.arange(10), np.random.default_rng(0))
    x, y = data.batch(np.array([7, 2, 5]))
    assert x.shape == (3, 784) and x.dtype == np.float32
    np.testing.assert_array_equal(y, [7, 2, 5])
    assert len(data) == 10


def test_augmentation_rejects_bad_input():
    with pytest.raises(DatasetError, match="square"):
        aug.augment(np.zeros((2, 10)), np.random.default_rng(0))
    with pytest.raises(DatasetError, match="uint8 or float"):
        aug.dilate(np.zeros((2, 28, 28), np.int32))
    with pytest.raises(DatasetError, match="3 images but 2 labels"):
        aug.AugmentedImages(np.zeros((3, 28, 28)), np.zeros(2), np.random.default_rng(0))


@pytest.mark.mnist
def test_augmented_mnist_still_shows_its_label(mnist_dir):
    """The shipped model reads augmented test digits almost as well as plain ones: the redrawn
    images still look like the digits their labels say."""
    _, test = load_mnist(mnist_dir, limit=2000)
    augmented = aug.augment(test.images, np.random.default_rng(0)).reshape(len(test), -1)
    assert accuracy_on(load_digit_model(), augmented, test.y) >= 0.95


# --- the shipped model ------------------------------------------------------------------


@pytest.mark.parametrize(("asset", "most"), [(ASSET, 3_000_000), (CNN_ASSET, 2_000_000)])
def test_asset_is_a_small_loadable_model_file(asset, most):
    assert asset.is_file()
    content = asset.read_bytes()
    assert len(content) <= most
    model = load_model(content)
    assert model.sizes[0] == 784 and model.sizes[-1] == 10 and model.output == "softmax"
    assert model.dtype == np.float32
    check_digit_model(model)


@pytest.mark.parametrize("kind", KINDS)
def test_digit_model_info_records_how_it_was_made(kind):
    info = digit_model_info(kind)
    for key in ("architecture", "seed", "epochs", "training_seconds", "credit"):
        assert key in info
    assert "LeCun" in info["credit"]
    assert info["mnist_test_accuracy"] >= 0.98 and info["sketch_accuracy"] >= 0.95


def test_the_cnn_record_meets_its_targets():
    info = digit_model_info("cnn")
    assert "Conv2D" in info["architecture"] and info["kind"] == "cnn"
    assert info["mnist_test_accuracy"] >= 0.993
    assert info["sketch_accuracy"] >= 0.99 and info["hard_sketch_accuracy"] >= 0.99


@pytest.mark.parametrize("kind", KINDS)
def test_load_digit_model_is_shared_and_read_only(kind):
    model = load_digit_model(kind)
    assert nnviz.load_digit_model(kind) is model
    with pytest.raises(ValueError, match="read-only"):
        model.parameters()[0].value.flat[0] = 1.0
    trainable = model.copy()
    trainable.parameters()[0].value.flat[0] += 1.0
    assert trainable.parameters()[0].value.flat[0] != model.parameters()[0].value.flat[0]


def test_the_default_model_is_the_cnn_and_an_unknown_kind_is_refused():
    assert nnviz.load_digit_model() is load_digit_model("cnn")
    assert "Conv2D" in repr(nnviz.load_digit_model())
    with pytest.raises(ValueError, match="cnn"):
        load_digit_model("rnn")


@pytest.mark.mnist
@pytest.mark.parametrize(("kind", "least"), [("mlp", 0.98), ("cnn", 0.993)])
def test_shipped_model_scores_on_mnist_test(mnist_dir, kind, least):
    _, test = load_mnist(mnist_dir)
    assert len(test) == 10_000
    assert accuracy_on(load_digit_model(kind), test.x, test.y) >= least


def test_the_cnn_reads_99_percent_of_drawings_hard_ones_included_better_than_the_mlp():
    plain, plain_labels = sketch_digits(300, np.random.default_rng(1))
    hard, hard_labels = hard_sketches(100, np.random.default_rng(1))
    images, labels = [*plain, *hard], np.concatenate([plain_labels, hard_labels])
    hits = {
        kind: np.array([classify_drawing(i, load_digit_model(kind)).label for i in images])
        == labels
        for kind in KINDS
    }
    assert hits["cnn"].mean() >= 0.99 and hits["cnn"][300:].mean() >= 0.99
    assert hits["cnn"][300:].mean() > hits["mlp"][300:].mean()


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_model_reads_95_percent_of_canvas_drawings(kind):
    images, labels = sketch_digits(500, np.random.default_rng(0))
    model = load_digit_model(kind)
    predictions = [classify_drawing(image, model) for image in images]
    assert all(p is not None for p in predictions)
    hits = np.array([p.label for p in predictions]) == labels
    assert hits.mean() >= 0.95
    for digit in range(10):  # no digit is left behind by a good average
        assert hits[labels == digit].mean() >= 0.85


# --- classify_drawing -------------------------------------------------------------------


@pytest.mark.parametrize(
    "blank",
    [
        np.zeros((280, 280, 4), np.uint8),  # an untouched transparent canvas
        np.full((280, 280, 4), 255, np.uint8),  # white paper
        np.zeros((280, 280), np.uint8),  # black
        {"objects": []},
    ],
)
def test_blank_drawing_gives_no_prediction(blank):
    assert classify_drawing(blank) is None


def test_prediction_is_the_model_on_the_preprocessed_drawing():
    canvas = 255 - render_strokes([[(90, 50), (200, 50), (120, 240)]], (280, 280), 18)
    result = classify_drawing(canvas)
    assert isinstance(result, DigitPrediction)
    x = preprocess_drawing(canvas)
    np.testing.assert_array_equal(result.image.reshape(1, -1), x)
    np.testing.assert_allclose(result.probabilities, load_digit_model().predict_proba(x)[0])
    assert result.probabilities.shape == (10,)
    assert result.probabilities.sum() == pytest.approx(1.0)
    assert result.label == int(result.probabilities.argmax()) == 7
    assert result.confidence == result.probabilities[7]
    assert result.stages.centred.shape == (28, 28)
    assert not result.probabilities.flags.writeable


@pytest.mark.parametrize(
    ("points", "digit"),
    [
        ([(140, 40), (140, 240)], 1),
        ([(80, 50), (200, 50), (120, 240)], 7),
        ([(170, 40), (80, 170), (210, 170), (170, 170), (170, 40), (170, 250)], 4),
    ],
)
def test_canvas_strokes_are_read(points, digit):
    assert classify_drawing(polyline_canvas(*points)).label == digit


def test_a_model_with_the_wrong_outputs_is_refused():
    model = nnviz.build_mlp([784, 3], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="10 classes"):
        classify_drawing(polyline_canvas((140, 40), (140, 240)), model)


def test_a_damaged_model_file_is_a_clear_error():
    with pytest.raises(ModelFileError):
        load_model(ASSET.read_bytes()[:1000])


# --- the training script ----------------------------------------------------------------


@pytest.mark.mnist
def test_training_script_writes_a_model_with_its_record(mnist_dir, tmp_path):
    model, info = train_digit_model(1, 5, data_dir=mnist_dir, limit=1000, sketches=20, log=str)
    assert info["seed"] == 5 and info["epochs"] == 1
    assert 0.5 < info["mnist_test_accuracy"] <= 1.0
    out = tmp_path / "digits.npz"
    main(["--epochs", "1", "--limit", "500", "--data-dir", str(mnist_dir), "--out", str(out)])
    assert load_model(out).sizes == model.sizes


@pytest.mark.mnist
def test_training_script_trains_the_cnn_with_its_record(mnist_dir, tmp_path):
    out = tmp_path / "cnn.npz"
    args = ["--kind", "cnn", "--epochs", "1", "--limit", "500", "--data-dir", str(mnist_dir)]
    main([*args, "--out", str(out)])
    model, info = load_model_with_metadata(out.read_bytes())
    assert "Conv2D(1 → 16, 5×5)" in repr(model) and info["kind"] == "cnn"
    assert info["seed"] == 2 and info["epochs"] == 1
    assert 0 <= info["hard_sketch_accuracy"] <= 1 and "figure-eight" in info["hard_sketch_check"]
    with pytest.raises(SystemExit):
        main(["--kind", "rnn"])
