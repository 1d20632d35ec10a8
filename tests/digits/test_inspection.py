"""Looking inside digit models: reports, saliency, explanations, model files, fine-tuning."""

from __future__ import annotations

import io

import numpy as np
import pytest

import nnviz
from nnviz.core import Flatten, ModelFileError, build_cnn, build_mlp, model_bytes
from nnviz.core.saliency import input_gradient
from nnviz.datasets import ImageDataset, render_strokes
from nnviz.digits import inspection
from nnviz.digits.fine_tune import Correction, fine_tune
from nnviz.digits.predict import classify_drawing, load_digit_model
from nnviz.digits.sample import PER_DIGIT, load_digit_sample, make_digit_sample


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 2])
    c = inspection.confusion_matrix(labels, predicted, 3)
    assert c.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def _report(labels, predicted, confidence) -> inspection.DigitReport:
    labels, predicted = np.array(labels), np.array(predicted)
    return inspection.DigitReport(
        labels, predicted, np.array(confidence), 0.0, inspection.confusion_matrix(labels, predicted)
    )


def test_report_accuracy_per_class_and_mistakes_most_confident_first():
    r = _report([3, 3, 5, 5, 7], [3, 8, 5, 3, 7], [0.9, 0.6, 0.8, 0.95, 0.7])
    assert r.accuracy == pytest.approx(3 / 5)
    assert r.per_class[3] == 0.5 and r.per_class[5] == 0.5 and r.per_class[7] == 1.0
    assert np.isnan(r.per_class[0])  # no zeros in this set
    assert r.mistakes().tolist() == [3, 1]  # 0.95 before 0.6
    assert r.mistakes(true=3).tolist() == [1]
    assert r.mistakes(predicted=3).tolist() == [3]
    assert r.mistakes(true=7).tolist() == []
    assert r.top_confusions() == [(3, 8, 1), (5, 3, 1)]
    assert _report([1, 2], [1, 2], [1.0, 1.0]).top_confusions() == []


def test_evaluate_digits_agrees_with_predict_on_the_shipped_sample():
    sample = load_digit_sample()
    model = load_digit_model()
    report = inspection.evaluate_digits(model, sample, batch_size=128)  # several batches
    assert report.confusion.sum() == len(sample) == 10 * PER_DIGIT
    assert np.array_equal(report.predicted, model.predict(sample.x))
    assert report.accuracy == pytest.approx(float((model.predict(sample.x) == sample.y).mean()))
    assert report.accuracy > 0.95
    p = model.predict_proba(sample.x)
    assert np.allclose(report.confidence, p.max(axis=1), atol=1e-6)
    assert report.loss == pytest.approx(-np.log(p[np.arange(len(p)), sample.y]).mean(), rel=1e-4)


def test_the_shipped_sample_is_the_documented_pick_from_the_test_set(mnist_dir):
    _, test = nnviz.datasets.load_mnist(mnist_dir)
    images, labels, index = make_digit_sample(test)
    sample = load_digit_sample()
    assert np.array_equal(sample.images, images) and np.array_equal(sample.y, labels)
    assert np.array_equal(test.images[index], images)
    assert np.bincount(sample.y).tolist() == [PER_DIGIT] * 10


@pytest.mark.parametrize("activation", ["tanh", "relu", "leaky_relu", "sigmoid"])
def test_input_gradient_matches_central_differences(activation):
    rng = np.random.default_rng(3)
    model = build_mlp([6, 5, 4, 3], activation, dropout=0.3, rng=rng)
    x = rng.normal(size=(2, 6))
    target = np.array([2, 0])
    grad = input_gradient(model, x, target)
    eps = 1e-6
    numeric = np.zeros_like(x)
    for i in range(x.shape[1]):
        step = np.zeros_like(x)
        step[:, i] = eps
        up, down = model.forward(x + step), model.forward(x - step)
        numeric[:, i] = (up[[0, 1], target] - down[[0, 1], target]) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8)


def test_input_gradient_leaves_the_model_untouched():
    rng = np.random.default_rng(0)
    model = build_mlp([4, 3, 2], "relu", rng=rng)
    before = [(p.value.copy(), p.grad.copy()) for p in model.parameters()]
    input_gradient(model, rng.normal(size=(3, 4)), 1)
    for p, (value, grad) in zip(model.parameters(), before, strict=True):
        assert np.array_equal(p.value, value) and np.array_equal(p.grad, grad)
    assert model.layers[0].input_grad is False  # the copy's switch, not the model's
    with pytest.raises(ValueError, match="target classes"):
        input_gradient(model, np.zeros((1, 4)), 2)


def test_explain_gives_a_28x28_saliency_and_every_hidden_layer():
    model = load_digit_model()
    image = load_digit_sample().images[0] / 255
    e = inspection.explain(model, image, 4)
    assert e.label == 4 and e.saliency.shape == (28, 28)
    assert [len(a) for a in e.activations] == model.sizes[1:-1]
    assert np.abs(e.saliency).max() > 0
    # the gradient is of the logit of class 4: moving along it raises that logit
    x = image.reshape(1, -1).astype(np.float32)
    nudged = x + 1e-2 * e.saliency.reshape(1, -1) / np.abs(e.saliency).max()
    assert model.forward(nudged)[0, 4] > model.forward(x)[0, 4]


def test_classify_image_feeds_a_stored_mnist_digit_unchanged():
    sample = load_digit_sample()
    model = load_digit_model()
    for i in (0, 123, 499):
        p = inspection.classify_image(sample.images[i], model)
        assert np.array_equal(p.image, sample.images[i] / np.float32(255))
        assert np.array_equal(p.stages.centred, p.image)
        expected = model.predict_proba(sample.x[i : i + 1])[0]
        np.testing.assert_allclose(p.probabilities, expected, rtol=1e-5)
    with pytest.raises(ValueError, match="no ink"):
        inspection.classify_image(np.zeros((28, 28), np.uint8), model)


def test_read_digit_model_round_trips_and_rejects_what_is_not_a_digit_model():
    model = load_digit_model()
    loaded, metadata = inspection.read_digit_model(model_bytes(model, {"note": "hi"}))
    assert metadata == {"note": "hi"}
    x = load_digit_sample().x[:5]
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))

    with pytest.raises(ModelFileError, match="not an nnviz model file"):
        inspection.read_digit_model(b"this is not a model")
    with pytest.raises(ModelFileError, match="truncated|damaged|not an nnviz"):
        inspection.read_digit_model(model_bytes(model)[:5000])
    toy = build_mlp([2, 3, 1], "tanh")
    with pytest.raises(ModelFileError, match="not a digit model"):
        inspection.read_digit_model(model_bytes(toy))


def test_a_model_file_holding_pickled_objects_is_refused_not_run():
    buffer = io.BytesIO()
    np.savez(buffer, architecture=np.array([{"format": "nnviz-model"}], dtype=object))
    with pytest.raises(ModelFileError):
        inspection.read_digit_model(buffer.getvalue())


def test_check_digit_model_wants_784_pixels_in_and_ten_softmax_scores_out():
    inspection.check_digit_model(build_mlp([784, 10], rng=np.random.default_rng(0)))
    for sizes in ([784, 2], [100, 10], [784, 1]):
        with pytest.raises(ModelFileError, match="not a digit model"):
            inspection.check_digit_model(build_mlp(sizes, rng=np.random.default_rng(0)))


def _drawing(strokes) -> np.ndarray:
    return render_strokes([np.array(s, dtype=float) for s in strokes])


def test_a_drawn_one_and_zero_are_read_by_the_shipped_model():
    one = classify_drawing(_drawing([[(140, 40), (140, 240)]]))
    t = np.linspace(0, 2 * np.pi, 60)
    zero = classify_drawing(
        _drawing([np.column_stack([140 + 70 * np.sin(t), 140 - 95 * np.cos(t)])])
    )
    assert one.label == 1 and zero.label == 0
    assert classify_drawing(np.zeros((280, 280, 4), np.uint8)) is None  # empty canvas: no answer


@pytest.mark.parametrize("kind", ["cnn", "mlp"])
def test_fine_tune_fixes_corrections_on_a_copy_and_keeps_what_it_knew(kind):
    model = load_digit_model(kind)
    sample = load_digit_sample()
    rng = np.random.default_rng(0)
    # digits turned on their side are misread; the user says what they are
    sideways = np.rot90(sample.images[sample.y == 7] / np.float32(255), axes=(1, 2))
    misread = model.predict(sideways.reshape(len(sideways), -1)) != 7
    images = sideways[misread][:3]
    predicted = model.predict(images.reshape(3, -1))
    assert (predicted != 7).all()
    corrections = [Correction(im, 7, int(p)) for im, p in zip(images, predicted, strict=True)]
    before = [p.value.copy() for p in model.parameters()]
    replay = sample.subset(np.arange(0, 500, 2))
    check = sample.subset(np.arange(1, 500, 2))
    result = fine_tune(
        model, corrections, replay.images, replay.y, rng, check=(check.images, check.y)
    )
    assert result.fixed == 3
    assert (result.after[:, 7] > result.before[:, 7]).all()
    assert result.check_after > result.check_before - 0.03
    for p, value in zip(model.parameters(), before, strict=True):
        assert np.array_equal(p.value, value)  # the original is untouched
    assert result.model is not model
    with pytest.raises(ValueError, match="at least one"):
        fine_tune(model, [], replay.images, replay.y, rng)


def test_sample_digits_are_an_image_dataset_with_ten_classes():
    sample = load_digit_sample()
    assert isinstance(sample, ImageDataset) and sample.n_classes == 10
    assert sample.images.dtype == np.uint8 and not sample.images.flags.writeable


def test_check_digit_model_follows_the_shapes_of_any_architecture():
    rng = np.random.default_rng(0)
    inspection.check_digit_model(build_cnn(filters=(4,), hidden=(), rng=rng))
    with pytest.raises(ModelFileError, match="not a digit model"):
        inspection.check_digit_model(build_cnn(filters=(4,), classes=3, rng=rng))
    with pytest.raises(ModelFileError, match="not a digit model"):  # 32×32 images in
        inspection.check_digit_model(build_cnn((1, 32, 32), filters=(4,), rng=rng))
    broken = build_cnn(filters=(4,), hidden=(), rng=rng)
    broken.layers.insert(1, Flatten())  # a conv after Flatten: shapes break
    with pytest.raises(ModelFileError, match="do not fit together"):
        inspection.check_digit_model(broken)


def test_saliency_and_explanation_work_for_a_cnn():
    model = build_cnn(filters=(4, 6), hidden=(12,), rng=np.random.default_rng(0), dtype=np.float64)
    image = np.random.default_rng(1).uniform(0, 1, (28, 28)).astype(np.float32)
    explanation = inspection.explain(model, image, 3)
    assert explanation.saliency.shape == (28, 28) and np.abs(explanation.saliency).sum() > 0
    assert [a.shape for a in explanation.activations] == [(12,)]
    step = 1e-4
    x = image.reshape(1, -1).astype(np.float64)
    up, down = x.copy(), x.copy()
    up[0, 300] += step
    down[0, 300] -= step
    model64 = model.copy()
    numeric = (model64.forward(up)[0, 3] - model64.forward(down)[0, 3]) / (2 * step)
    assert explanation.saliency.reshape(-1)[300] == pytest.approx(numeric, rel=1e-3, abs=1e-6)
