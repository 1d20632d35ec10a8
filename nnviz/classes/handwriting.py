"""The class's handwriting through a digit model: how well it reads it, which drawings are the
hardest, and fine-tuning a copy on part of the set, scored on the rest.

A drawing is hard when the model gives its true label a low probability p(label | image): a
confident misreading is harder than a hesitant right answer. Fine-tuning is only honest when it
is scored on drawings it never trained on, so the set is split first (each digit in the same
proportion, so no digit ends up only on one side).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from nnviz.classes.errors import ClassError
from nnviz.classes.export import drawing_arrays
from nnviz.classes.records import Drawing
from nnviz.core import Sequential
from nnviz.datasets import ImageDataset
from nnviz.digits import Correction, DigitReport, FineTuneResult, evaluate_digits, fine_tune

MIN_TUNE = 4  # drawings: at least two to learn from and two to score on


@dataclass(frozen=True)
class ClassSetReading:
    """A model's answers on the class set, in the order of `ids` (the drawings' ids).

    `report` is the usual `DigitReport` (accuracy, confusion matrix, per digit);
    `true_probability[i]` is the probability the model gives drawing i's own label.
    """

    ids: np.ndarray
    report: DigitReport
    true_probability: np.ndarray

    @property
    def per_digit(self) -> np.ndarray:
        """How many drawings of each digit `(10,)`: the confusion matrix's row sums."""
        return self.report.confusion.sum(axis=1)

    def hardest(self, k: int) -> np.ndarray:
        """Indices of the `k` drawings whose label gets the lowest probability, hardest first."""
        return np.argsort(self.true_probability, kind="stable")[:k]

    def __repr__(self) -> str:
        return f"ClassSetReading({len(self.ids)} drawings, accuracy {self.report.accuracy:.1%})"


@dataclass(frozen=True)
class ClassTuning:
    """A copy fine-tuned on `trained` drawings of the class set, scored on the `held_out` rest:
    `result.check_before` (the original model) and `result.check_after` (the copy)."""

    result: FineTuneResult
    trained: int
    held_out: int


def class_set_dataset(drawings: Sequence[Drawing]) -> ImageDataset:
    """The drawings as an `ImageDataset` (uint8 28×28 images, labels 0–9)."""
    images, labels = drawing_arrays(drawings)
    return ImageDataset(images, labels, "the class set", n_classes=10)


def read_class_set(model: Sequential, drawings: Sequence[Drawing]) -> ClassSetReading:
    """Run `model` over the class set (at least one drawing)."""
    if not drawings:
        raise ClassError("the class set is empty: no drawing to read yet")
    data = class_set_dataset(drawings)
    report = evaluate_digits(model, data)
    probabilities = model.predict_proba(data.x)
    true_probability = probabilities[np.arange(len(data)), report.labels].astype(np.float64)
    ids = np.array([d.id for d in drawings], dtype=np.int64)
    for a in (ids, true_probability):
        a.flags.writeable = False
    return ClassSetReading(ids, report, true_probability)


def split_class_set(
    labels: np.ndarray, train_share: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """`(train, held_out)` indices: each digit's drawings shuffled and cut at `train_share`.

    A digit with a single drawing goes to training. Both parts are non-empty.
    """
    labels = np.asarray(labels)
    if len(labels) < MIN_TUNE:
        raise ClassError(
            f"fine-tuning needs at least {MIN_TUNE} drawings in the class set (some to learn "
            f"from, the rest to check on); it has {len(labels)}"
        )
    if not 0.0 < train_share < 1.0:
        raise ClassError(f"the share to train on lies between 0 and 1, got {train_share:g}")
    train, held = [], []
    for digit in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == digit))
        cut = max(1, round(train_share * len(members)))
        train.append(members[:cut])
        held.append(members[cut:])
    train_idx, held_idx = np.sort(np.concatenate(train)), np.sort(np.concatenate(held))
    if len(held_idx) == 0:  # every digit had a single drawing: hold one back anyway
        train_idx, held_idx = train_idx[:-1], train_idx[-1:]
    return train_idx, held_idx


def tune_on_class_set(
    model: Sequential,
    drawings: Sequence[Drawing],
    replay: ImageDataset,
    rng: np.random.Generator,
    *,
    train_share: float = 0.5,
    steps: int = 60,
) -> ClassTuning:
    """Fine-tune a copy of `model` on part of the class set (mixed with `replay`, real digits
    that keep it from forgetting) and score both models on the rest."""
    data = class_set_dataset(drawings)
    train_idx, held_idx = split_class_set(data.y, train_share, rng)
    unit = data.x.reshape(-1, 28, 28)
    predicted = model.predict(data.x)
    corrections = [Correction(unit[i], int(data.y[i]), int(predicted[i])) for i in train_idx]
    result = fine_tune(
        model,
        corrections,
        replay.images,
        replay.y,
        rng,
        steps=steps,
        check=(data.images[held_idx], data.y[held_idx]),
    )
    return ClassTuning(result, len(train_idx), len(held_idx))
