"""Fine-tune a copy of a digit model on a user's corrected drawings, without making it forget.

A few drawings alone would pull the network wherever they point and break what it knew
(catastrophic forgetting). So each step trains on a batch drawn from the corrections *and* a
replay set of real MNIST digits, both redrawn at random (`AugmentedImages`) so the model learns
the shape, not the exact pixels. The original model is never touched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnviz.core import Sequential, Trainer, get_loss, get_optimizer
from nnviz.datasets.augment import AugmentedImages, as_unit_images

SIDE = 28


@dataclass(frozen=True)
class Correction:
    """One drawing the model got wrong: the 28×28 input it saw, what it said, the right digit."""

    image: np.ndarray
    label: int
    predicted: int

    def __repr__(self) -> str:
        return f"Correction(said {self.predicted}, is {self.label})"


@dataclass(frozen=True)
class FineTuneResult:
    """The tuned copy; the corrections' right `labels` and the probabilities `(k, 10)` the
    original (`before`) and the copy (`after`) give them.

    `check_before` / `check_after` are accuracies on held-out real digits: did it forget?
    """

    model: Sequential
    labels: np.ndarray
    before: np.ndarray
    after: np.ndarray
    check_before: float | None
    check_after: float | None
    steps: int

    @property
    def fixed(self) -> int:
        """How many corrections the tuned copy now gets right."""
        return int((self.after.argmax(axis=1) == self.labels).sum())

    def __repr__(self) -> str:
        return f"FineTuneResult({self.fixed}/{len(self.after)} fixed, {self.steps} steps)"


def fine_tune(
    model: Sequential,
    corrections: list[Correction],
    replay_images: np.ndarray,
    replay_labels: np.ndarray,
    rng: np.random.Generator,
    *,
    steps: int = 40,
    batch_size: int = 64,
    learning_rate: float = 5e-4,
    share: float = 0.25,
    check: tuple[np.ndarray, np.ndarray] | None = None,
) -> FineTuneResult:
    """Train a copy of `model` for `steps` Adam steps on corrections mixed with replay digits.

    Args:
        corrections: the user's drawings with their right labels (at least one).
        replay_images, replay_labels: real digits `(m, 28, 28)` (uint8 or float in [0, 1]).
        share: the corrections' expected share of each batch (they are repeated to reach it).
        check: held-out `(images, labels)` scored before and after, to show nothing was lost.
    """
    if not corrections:
        raise ValueError("fine-tuning needs at least one corrected drawing")
    images = np.stack([np.asarray(c.image, np.float32).reshape(SIDE, SIDE) for c in corrections])
    labels = np.array([c.label for c in corrections], dtype=np.int64)
    replay = as_unit_images(replay_images)
    copies = max(1, math.ceil(share * len(replay) / ((1 - share) * len(images))))
    mixed = np.concatenate([np.tile(images, (copies, 1, 1)), replay])
    mixed_labels = np.concatenate([np.tile(labels, copies), np.asarray(replay_labels, np.int64)])

    tuned = model.copy()
    data = AugmentedImages(mixed, mixed_labels, rng)
    optimizer = get_optimizer("adam", learning_rate=learning_rate)
    trainer = Trainer(tuned, get_loss("categorical_crossentropy"), optimizer, data, batch_size, rng)
    trainer.run(steps)

    flat = images.reshape(len(images), -1)
    return FineTuneResult(
        tuned,
        labels,
        model.predict_proba(flat).astype(np.float64),
        tuned.predict_proba(flat).astype(np.float64),
        _accuracy(model, check),
        _accuracy(tuned, check),
        steps,
    )


def _accuracy(model: Sequential, check: tuple[np.ndarray, np.ndarray] | None) -> float | None:
    if check is None:
        return None
    x = as_unit_images(check[0]).reshape(len(check[1]), -1)
    return float((model.predict(x) == np.asarray(check[1])).mean())
