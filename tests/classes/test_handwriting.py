"""The class set through a digit model: reading, hardest drawings, the split, fine-tuning."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from nnviz.classes import (
    MIN_TUNE,
    ClassError,
    Drawing,
    read_class_set,
    split_class_set,
    tune_on_class_set,
)
from nnviz.digits import load_digit_model, load_digit_sample

WHEN = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def real_drawings(n: int, start: int = 0, relabel: dict[int, int] | None = None) -> list[Drawing]:
    """`n` real digits of the shipped sample as class drawings; `relabel` maps a drawing's
    index to a wrong label (a student who says a 3 is a 5)."""
    sample = load_digit_sample()
    relabel = relabel or {}
    return [
        Drawing(
            id=100 + i,
            nickname="Ada",
            image=sample.images[start + i],
            label=relabel.get(i, int(sample.y[start + i])),
            prediction=0,
            confidence=0.5,
            created_at=WHEN,
        )
        for i in range(n)
    ]


def test_the_reading_matches_the_model_drawing_by_drawing():
    model = load_digit_model()
    drawings = real_drawings(30)
    reading = read_class_set(model, drawings)
    x = np.stack([d.image for d in drawings]).reshape(30, -1) / np.float32(255)
    p = model.predict_proba(x)
    labels = np.array([d.label for d in drawings])
    assert list(reading.ids) == [d.id for d in drawings]
    assert np.array_equal(reading.report.predicted, p.argmax(axis=1))
    assert np.allclose(reading.true_probability, p[np.arange(30), labels], atol=1e-6)
    assert reading.report.accuracy == pytest.approx((p.argmax(axis=1) == labels).mean())
    assert reading.per_digit.sum() == 30
    assert np.array_equal(reading.per_digit, np.bincount(labels, minlength=10))


def test_a_mislabelled_drawing_is_the_hardest_and_counts_as_misread():
    drawings = real_drawings(20, relabel={7: (int(load_digit_sample().y[7]) + 5) % 10})
    reading = read_class_set(load_digit_model(), drawings)
    assert reading.hardest(1).tolist() == [7]
    order = reading.hardest(20)
    assert np.all(np.diff(reading.true_probability[order]) >= 0)
    assert reading.report.predicted[7] != drawings[7].label
    assert reading.report.accuracy < 1.0


def test_an_empty_class_set_cannot_be_read():
    with pytest.raises(ClassError, match="empty"):
        read_class_set(load_digit_model(), [])


def test_the_split_keeps_every_digit_on_both_sides_when_it_can():
    labels = np.repeat(np.arange(10), 6)
    train, held = split_class_set(labels, 0.5, np.random.default_rng(0))
    assert sorted([*train, *held]) == list(range(60)) and not set(train) & set(held)
    assert np.array_equal(np.bincount(labels[train], minlength=10), np.full(10, 3))
    assert np.array_equal(np.bincount(labels[held], minlength=10), np.full(10, 3))


def test_the_split_always_holds_some_drawings_back():
    train, held = split_class_set(np.arange(5), 0.5, np.random.default_rng(0))
    assert len(held) >= 1 and len(train) >= 1 and len(train) + len(held) == 5


@pytest.mark.parametrize(
    ("n", "share", "message"), [(MIN_TUNE - 1, 0.5, "at least"), (8, 1.0, "share")]
)
def test_a_split_that_cannot_be_fair_is_refused(n, share, message):
    with pytest.raises(ClassError, match=message):
        split_class_set(np.arange(n) % 10, share, np.random.default_rng(0))


def test_fine_tuning_trains_on_part_and_scores_both_models_on_the_rest():
    model = load_digit_model()
    drawings = real_drawings(40, start=100)
    replay = load_digit_sample().subset(np.arange(300, 500))
    before = [p.value.copy() for p in model.parameters()]
    tuning = tune_on_class_set(model, drawings, replay, np.random.default_rng(0), steps=10)
    labels = np.array([d.label for d in drawings])
    train, held = split_class_set(labels, 0.5, np.random.default_rng(0))  # the same split
    assert (tuning.trained, tuning.held_out) == (len(train), len(held))
    assert np.array_equal(tuning.result.labels, labels[train])
    rest = read_class_set(model, [drawings[i] for i in held])
    assert tuning.result.check_before == pytest.approx(rest.report.accuracy)
    assert 0.0 <= tuning.result.check_after <= 1.0
    assert tuning.result.model is not model  # a copy: the shipped model stays as it was
    assert all(np.array_equal(a, p.value) for a, p in zip(before, model.parameters(), strict=True))
    tuned = tuning.result.model.parameters()
    assert any(not np.array_equal(a, p.value) for a, p in zip(before, tuned, strict=True))
