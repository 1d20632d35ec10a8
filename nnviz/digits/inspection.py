"""Looking inside a digit model: how it does on the test set, and why it said what it said.

- `evaluate_digits`: every test prediction at once, kept as a `DigitReport` (confusion matrix,
  per-class accuracy, the mistakes ranked by how sure the model was).
- `explain`: for one 28×28 input, the saliency map of a class and the hidden activations.
- `classify_image`: a stored MNIST digit through the same views as a drawing.
- `read_digit_model`: an uploaded file → a model, or a `ModelFileError` that says why not.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from nnviz.core.layers import chain_shapes
from nnviz.core.model import Sequential
from nnviz.core.probes import hidden_activations
from nnviz.core.saliency import input_gradient
from nnviz.core.serialization import ModelFileError, load_model_with_metadata
from nnviz.datasets.drawing import drawing_stages
from nnviz.digits.predict import DigitPrediction, digit_prediction

N_DIGITS, SIDE = 10, 28


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, n_classes: int = N_DIGITS):
    """Counts `C[t, p]` of examples of true class t predicted as p (rows true, columns said)."""
    labels = np.asarray(labels, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    pairs = labels * n_classes + predicted
    return np.bincount(pairs, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


@dataclass(frozen=True)
class DigitReport:
    """A model's answers on a labelled set of digits (arrays read-only).

    `confidence[i]` is the probability the model gave its own answer `predicted[i]`;
    `loss` is the mean cross-entropy −log p(true label).
    """

    labels: np.ndarray
    predicted: np.ndarray
    confidence: np.ndarray
    loss: float
    confusion: np.ndarray

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / max(self.confusion.sum(), 1))

    @property
    def per_class(self) -> np.ndarray:
        """Accuracy on each true digit: `C[d, d] / Σ_p C[d, p]` (NaN for an absent digit)."""
        totals = self.confusion.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.diagonal(self.confusion) / totals

    def mistakes(self, true: int | None = None, predicted: int | None = None) -> np.ndarray:
        """Indices of the wrong answers (optionally of one true / one predicted digit), the
        most confident first: those are the ones worth a look."""
        wrong = self.labels != self.predicted
        if true is not None:
            wrong &= self.labels == true
        if predicted is not None:
            wrong &= self.predicted == predicted
        index = np.flatnonzero(wrong)
        return index[np.argsort(-self.confidence[index], kind="stable")]

    def top_confusions(self, k: int = 3) -> list[tuple[int, int, int]]:
        """The `k` largest off-diagonal cells as (true, said, count), largest first."""
        off = self.confusion.astype(np.int64)
        off = off - np.diag(np.diagonal(off))
        order = np.argsort(-off, axis=None, kind="stable")[:k]
        cells = [(int(i) // off.shape[1], int(i) % off.shape[1]) for i in order]
        return [(t, p, int(off[t, p])) for t, p in cells if off[t, p] > 0]

    def __repr__(self) -> str:
        return f"DigitReport({len(self.labels)} digits, accuracy {self.accuracy:.2%})"


def evaluate_digits(model: Sequential, dataset, batch_size: int = 2500) -> DigitReport:
    """Run `model` over a labelled digit set (`len()` and `batch(indices) -> (x, y)`)."""
    n = len(dataset)
    labels = np.empty(n, np.int64)
    predicted = np.empty(n, np.int64)
    confidence = np.empty(n, np.float64)
    log_loss = 0.0
    for start in range(0, n, batch_size):
        rows = np.arange(start, min(start + batch_size, n))
        x, y = dataset.batch(rows)
        p = model.predict_proba(x).astype(np.float64)
        labels[rows], predicted[rows] = y, p.argmax(axis=1)
        confidence[rows] = p[np.arange(len(rows)), predicted[rows]]
        log_loss -= float(np.log(np.maximum(p[np.arange(len(rows)), y], 1e-12)).sum())
    confusion = confusion_matrix(labels, predicted, N_DIGITS)
    for a in (labels, predicted, confidence, confusion):
        a.flags.writeable = False
    return DigitReport(labels, predicted, confidence, log_loss / max(n, 1), confusion)


@dataclass(frozen=True)
class Explanation:
    """Why the model leans towards `label` for one input.

    `saliency` is ∂ logit[label] / ∂ pixel as a 28×28 image (see `nnviz.core.saliency`);
    `activations[l]` holds hidden layer l's outputs for this input, `(units,)`.
    """

    label: int
    saliency: np.ndarray
    activations: list[np.ndarray]


def explain(model: Sequential, image: np.ndarray, label: int) -> Explanation:
    """Saliency of class `label` and the hidden activations for one 28×28 input in [0, 1]."""
    x = np.asarray(image, dtype=np.float32).reshape(1, SIDE * SIDE)
    gradient = input_gradient(model, x, int(label)).reshape(SIDE, SIDE)
    activations = [a[0].astype(np.float64) for a in hidden_activations(model, x)]
    return Explanation(int(label), gradient, activations)


def classify_image(image: np.ndarray, model: Sequential) -> DigitPrediction:
    """Classify a stored MNIST digit as it is (it is already MNIST-centred): the model input is
    the image itself; the earlier stages show what the drawing recipe would make of it."""
    pixels = np.asarray(image)
    unit = pixels / np.float32(255) if pixels.dtype == np.uint8 else pixels
    unit = np.ascontiguousarray(unit, dtype=np.float32).reshape(SIDE, SIDE)
    unit.flags.writeable = False
    stages = drawing_stages(unit)
    if stages is None:
        raise ValueError("this image has no ink")
    return digit_prediction(model, unit, replace(stages, centred=unit))


def check_digit_model(model: Sequential) -> None:
    """Raise `ModelFileError` unless `model` reads 784 pixels and scores the 10 digits (softmax),
    whatever its layers: the shapes are followed through the whole chain (MLP, CNN, ...)."""
    try:
        shapes = chain_shapes(model.layers)
    except ValueError as err:
        raise ModelFileError(f"this model's layers do not fit together: {err}") from None
    first, last = shapes[0], shapes[-1]
    if first != (SIDE * SIDE,) or last != (N_DIGITS,) or model.output != "softmax":
        raise ModelFileError(
            f"this is an nnviz model, but not a digit model: it maps inputs of shape {first} to "
            f"outputs of shape {last} ({model.output}); a digit model maps 784 pixels (28×28) "
            "to 10 classes (softmax)"
        )


def read_digit_model(content: bytes) -> tuple[Sequential, dict[str, Any]]:
    """An uploaded model file → `(model, metadata)`. The file is parsed as data (`.npz` arrays
    and a JSON record, never pickle); anything wrong raises `ModelFileError` saying what."""
    model, metadata = load_model_with_metadata(bytes(content))
    check_digit_model(model)
    return model, metadata if isinstance(metadata, dict) else {}
