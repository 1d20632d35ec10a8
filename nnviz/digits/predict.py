"""The shipped digit model, and a drawing → its prediction in one call (what the Draw page uses).

The model is a file inside the package (`nnviz/assets/digit_model.npz`, made by
`python -m nnviz.digits`), so draw-a-digit works offline from the first second.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from nnviz.core.model import Sequential
from nnviz.core.serialization import ModelFileError, load_model_with_metadata
from nnviz.datasets.drawing import DrawingStages, drawing_stages

ASSET = "digit_model.npz"


@dataclass(frozen=True)
class DigitPrediction:
    """What the model says about one drawing (arrays read-only).

    Args:
        probabilities: `(10,)` softmax over the digits 0-9.
        label: the most probable digit.
        confidence: its probability.
        stages: the preprocessing images (ink, crop, 20 px fit, centred 28×28) to show the user.
        image: the `(28, 28)` input the model saw, in [0, 1].
    """

    probabilities: np.ndarray
    label: int
    confidence: float
    stages: DrawingStages
    image: np.ndarray

    def __repr__(self) -> str:
        return f"DigitPrediction({self.label}, confidence {self.confidence:.1%})"


def load_digit_model() -> Sequential:
    """The MNIST digit model shipped with nnviz (784 → 10 logits, softmax output).

    One instance per process, shared: its parameter arrays are read-only, so nobody can train
    it by accident. Use `load_digit_model().copy()` for a trainable copy.
    """
    return _shipped()[0]


def digit_model_info() -> dict:
    """How the shipped model was made: architecture, seed, epochs, accuracies, MNIST credit."""
    return dict(_shipped()[1])


@functools.cache
def _shipped() -> tuple[Sequential, dict]:
    asset = resources.files("nnviz") / "assets" / ASSET
    try:
        content = asset.read_bytes()
    except FileNotFoundError as err:
        raise ModelFileError(
            f"the shipped digit model nnviz/assets/{ASSET} is missing from this installation; "
            "rebuild it with `python -m nnviz.digits`"
        ) from err
    model, metadata = load_model_with_metadata(content)
    for p in model.parameters():
        p.value.flags.writeable = False
    return model, metadata


def classify_drawing(image: Any, model: Sequential | None = None) -> DigitPrediction | None:
    """Preprocess a drawing the MNIST way and classify it; None when there is no ink.

    Args:
        image: anything `preprocess_drawing` takes (canvas RGBA array, PIL image, PNG bytes,
            canvas stroke data).
        model: a 784 → 10 softmax model; default: the shipped one.
    """
    stages = drawing_stages(image)
    if stages is None:
        return None
    model = model if model is not None else load_digit_model()
    return digit_prediction(model, stages.centred, stages)


def digit_prediction(
    model: Sequential, image: np.ndarray, stages: DrawingStages
) -> DigitPrediction:
    """The model's reading of one 28×28 input in [0, 1], with the stages that made it."""
    probabilities = model.predict_proba(image.reshape(1, -1))[0].astype(np.float64)
    if probabilities.shape != (10,):
        raise ValueError(
            f"a digit model must output 10 classes, this one gives {probabilities.shape}"
        )
    probabilities.flags.writeable = False
    label = int(probabilities.argmax())
    return DigitPrediction(probabilities, label, float(probabilities[label]), stages, image)
