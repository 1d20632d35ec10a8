"""An MNIST run advanced by time budgets, and the figures of the Train and Draw pages."""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio
import pytest

from nnviz.datasets import ImageDataset, load_mnist
from nnviz.digits.inspection import evaluate_digits
from nnviz.digits.mnist_run import MnistConfig, MnistRun
from nnviz.digits.predict import classify_drawing
from nnviz.viz import theme
from nnviz.viz.digits import (
    activations_figure,
    probabilities_figure,
    saliency_figure,
    stages_figure,
)
from nnviz.viz.mnist import (
    confusion_figure,
    mistakes_figure,
    per_class_figure,
    smooth,
    tiles,
    training_curves_figure,
    weights_grid_figure,
)


@pytest.fixture(scope="module")
def mnist(mnist_dir) -> tuple[ImageDataset, ImageDataset]:
    return load_mnist(mnist_dir)


def test_config_rejects_what_the_page_cannot_train():
    for bad in (
        {"train_size": 999},
        {"train_size": 60_001},
        {"hidden": (128, 64, 32, 16)},
        {"hidden": (0,)},
        {"activation": "swish"},
        {"learning_rate": 0.0},
        {"epochs": 0},
    ):
        with pytest.raises(ValueError):
            MnistConfig(**bad)
    assert MnistConfig(hidden=(64, 32)).sizes == [784, 64, 32, 10]


def test_one_epoch_on_1000_images_scores_the_test_set_once(mnist):
    run = MnistRun(MnistConfig(train_size=1000, epochs=1, batch_size=128), *mnist)
    assert run.total_steps == 8 and run.eta_seconds() is None
    taken = 0
    while not run.finished:
        taken += run.advance(0.05)
    assert taken == run.steps == 8 and len(run.losses) == 8
    assert run.epoch_steps == [8] and len(run.reports) == 1
    assert run.report.confusion.sum() == 10_000  # the full test set
    assert run.report.accuracy == pytest.approx(evaluate_digits(run.model, mnist[1]).accuracy)
    assert run.report.accuracy > 0.3  # far above chance (0.1) after 8 steps of Adam
    assert run.advance(0.05) == 0  # a finished run takes no more steps
    assert run.eta_seconds() == 0.0
    assert run.metadata()["mnist_test_accuracy"] == round(run.report.accuracy, 4)
    assert not np.array_equal(run.first_weights, run.initial_weights)


def test_advance_takes_at_least_one_step_and_the_same_seed_repeats_the_run(mnist):
    config = MnistConfig(train_size=2000, epochs=2, batch_size=100, augment=True, seed=5)
    a, b = MnistRun(config, *mnist), MnistRun(config, *mnist)
    assert a.advance(0.0) == 1  # a zero budget still makes progress
    while a.steps < 25:
        a.advance(0.01)
    b.trainer.run(a.steps)
    b.losses = [r.train_loss for r in b.trainer.history]
    np.testing.assert_array_equal(a.losses, b.losses)
    assert a.epoch_steps == [20]  # 2000 / 100 steps per epoch


def test_the_training_subset_is_fixed_by_the_seed(mnist):
    first = MnistRun(MnistConfig(train_size=1000, seed=1), *mnist).trainer.dataset
    again = MnistRun(MnistConfig(train_size=1000, seed=1), *mnist).trainer.dataset
    other = MnistRun(MnistConfig(train_size=1000, seed=2), *mnist).trainer.dataset
    assert np.array_equal(first.y, again.y) and not np.array_equal(first.images, other.images)


def test_smooth_is_a_debiased_moving_average():
    assert np.allclose(smooth([3.0] * 50), 3.0)  # debiased: no pull towards 0 at the start
    w = 0.9
    v = np.array([1.0, 2.0, 4.0])
    s1, s2 = 1.0, (w * 0.1 * 1 + 0.1 * 2) / (1 - w**2)
    assert smooth(v, w)[:2] == pytest.approx([s1, s2])


def _json(figure) -> dict:
    return json.loads(pio.to_json(figure, validate=False))


def test_curves_span_the_whole_run_and_mark_every_epoch():
    fig = training_curves_figure([2.0, 1.5, 1.0, 0.8], [2, 4], [0.6, 0.8], total_steps=10)
    raw, smoothed, accuracy = fig.data
    assert list(raw.x) == [1, 2, 3, 4] and len(smoothed.y) == 4
    assert list(accuracy.x) == [2, 4] and list(accuracy.text) == ["60.0%", "80.0%"]
    assert fig.layout.xaxis.range[1] >= 10
    many = training_curves_figure([1.0] * 30, list(range(1, 31)), [0.5] * 30, 30)
    assert list(many.data[2].text) == [""] * 29 + ["50.0%"]  # 30 epochs: only the last labelled
    long = training_curves_figure(np.linspace(2, 0, 6000), [3000, 6000], [0.9, 0.95], 6000)
    assert len(long.data[0].x) == 1500 and long.data[0].x[-1] == 5997  # every 4th step
    np.testing.assert_allclose(long.data[1].y, smooth(np.linspace(2, 0, 6000))[::4])


def test_weights_grid_has_one_28x28_tile_per_unit():
    w = np.random.default_rng(0).normal(size=(784, 20))
    z = weights_grid_figure(w, columns=8).data[0].z
    assert z.shape == (3 * 28 + 2 * 2, 8 * 28 + 7 * 2)
    assert np.nanmax(np.abs(z)) == pytest.approx(1.0)
    tile = z[:28, 30:58]  # unit 1, scaled by its own largest |w|
    np.testing.assert_allclose(tile, w[:, 1].reshape(28, 28) / np.abs(w[:, 1]).max(), rtol=1e-6)
    assert np.isnan(tiles(np.ones((3, 2, 2)), 2)[3:, 3:]).all()  # the missing 4th tile


def test_confusion_figure_shows_counts_or_row_rates():
    c = np.diag(np.full(10, 90)) + 1
    counts, rates = confusion_figure(c).data[0], confusion_figure(c, rates=True).data[0]
    assert counts.text[0][0] == "91" and counts.text[0][1] == "1"
    assert rates.text[0][0] == f"{91 / 100:.1%}"
    assert list(counts.x) == [str(d) for d in range(10)]


def test_per_class_and_mistakes_figures():
    acc = np.linspace(0.9, 0.99, 10)
    bars = per_class_figure(acc).data[0]
    assert bars.marker.color[0] == theme.ORANGE  # the worst digit
    images = np.zeros((3, 28, 28), np.uint8)
    fig = mistakes_figure(images, [1, 2, 3], [7, 5, 8], [0.9, 0.8, 0.7], columns=2)
    assert len(fig.layout.annotations) == 3 and "0.9" not in fig.layout.annotations[0].text
    assert "90%" in fig.layout.annotations[0].text
    assert "No mistakes" in mistakes_figure(images[:0], [], [], []).layout.annotations[0].text


def test_probabilities_turn_orange_below_the_threshold():
    p = np.array([0.05, 0.55, 0.4, 0, 0, 0, 0, 0, 0, 0])
    sure = probabilities_figure(p, threshold=0.5).data[0].marker.color
    unsure = probabilities_figure(p, threshold=0.6).data[0].marker.color
    assert sure[1] == theme.BLUE and unsure[1] == theme.ORANGE
    compare = probabilities_figure(p, before=p[::-1])
    assert [t.name for t in compare.data] == ["before", "after"]


def test_the_draw_figures_of_one_drawing():
    t = np.linspace(0, 2 * np.pi, 40)
    path = [["M", 140, 40], *[["L", 140 + 60 * np.sin(a), 140 - 90 * np.cos(a)] for a in t]]
    strokes = {"objects": [{"type": "path", "strokeWidth": 18, "path": path}]}
    p = classify_drawing(strokes)
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[50:230, 80:200] = 255
    fig = stages_figure(p.stages, canvas)
    assert len(fig.data) == 4 and fig.data[3].z.shape == (28, 28)
    box = fig.layout.shapes[0]  # the ink's box on the canvas; a panel is one unit wide
    assert (box.x0, box.x1, box.y0, box.y1) == pytest.approx(
        (80 / 280, 200 / 280, 50 / 280, 230 / 280)
    )
    assert fig.data[0].z.shape == (93, 93)  # 280 px shown box-averaged by 3
    assert all(z.shape[0] == z.shape[1] for z in (d.z for d in fig.data))
    sal = saliency_figure(p.image, np.ones((28, 28)), 0)
    assert [d.type for d in sal.data] == ["heatmap", "heatmap", "contour"]
    acts = activations_figure([np.arange(256.0), -np.arange(128.0)])
    assert [d.z.shape for d in acts.data] == [(16, 16), (11, 12)]  # 128 cells + 4 empty
    assert acts.data[1].colorscale[0][1] == theme.ORANGE  # signed outputs: diverging scale
    assert len(_json(fig)["data"]) == 4  # serializes as Streamlit will send it


def test_a_cnn_config_builds_conv_blocks_and_rejects_bad_filters():
    config = MnistConfig(kind="cnn", filters=(4, 8), hidden=(32,))
    model = config.build(np.random.default_rng(0))
    assert "Conv2D(1 → 4, 5×5)" in repr(model) and "Conv2D(4 → 8, 5×5)" in repr(model)
    assert config.name == "conv 4-8 · 32-10 relu"
    assert MnistConfig().name == "784-128-10 relu"  # the MLP default is unchanged
    for bad in ({"kind": "rnn"}, {"kind": "cnn", "filters": ()}, {"kind": "cnn", "filters": (64,)},
                {"kind": "cnn", "filters": (4, 4, 4)},
                {"kind": "cnn", "batch_size": 512}):  # fmt: skip
        with pytest.raises(ValueError):
            MnistConfig(**bad)


def test_a_cnn_run_learns_and_its_filters_change(mnist):
    config = MnistConfig(
        train_size=1000, epochs=2, learning_rate=3e-3, kind="cnn", filters=(4,), hidden=(), seed=3
    )
    run = MnistRun(config, *mnist)
    assert run.is_cnn and run.first_weights.shape == (4, 1, 5, 5)
    while not run.finished:
        run.advance(0.05)
    assert run.steps == 16 and len(run.reports) == 2
    assert run.report.accuracy > 0.3
    assert not np.array_equal(run.first_weights, run.initial_weights)
    assert not MnistRun(MnistConfig(train_size=1000), *mnist).is_cnn
