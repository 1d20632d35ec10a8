"""The shipped digit models, and a drawing → its prediction in one call (what the Draw page uses).

Two models ship as files inside the package, so draw-a-digit works offline from the first
second: a CNN (`nnviz/assets/digit_cnn.npz`, `python -m nnviz.digits --kind cnn`), the default
because it reads drawings best, and an MLP (`digit_model.npz`, `python -m nnviz.digits`).
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

ASSETS = {"cnn": "digit_cnn.npz", "mlp": "digit_model.npz"}
DEFAULT_KIND = "cnn"  # reads canvas drawings best, the hard ones above all (see README)


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


def load_digit_model(kind: str = DEFAULT_KIND) -> Sequential:
    """A MNIST digit model shipped with nnviz (784 → 10 logits, softmax output).

    Args:
        kind: "cnn" (the default) or "mlp".

    One instance per kind and process, shared: its parameter arrays are read-only, so nobody
    can train it by accident. Use `load_digit_model().copy()` for a trainable copy.
    """
    return _shipped(_asset(kind))[0]


def digit_model_info(kind: str = DEFAULT_KIND) -> dict:
    """How a shipped model was made: architecture, seed, epochs, accuracies, MNIST credit."""
    return dict(_shipped(_asset(kind))[1])


def _asset(kind: str) -> str:
    if kind not in ASSETS:
        raise ValueError(f"unknown digit model kind {kind!r}; choose one of {sorted(ASSETS)}")
    return ASSETS[kind]


@functools.cache
def _shipped(asset_name: str) -> tuple[Sequential, dict]:
    asset = resources.files("nnviz") / "assets" / asset_name
    try:
        content = asset.read_bytes()
    except FileNotFoundError as err:
        kind = next(k for k, name in ASSETS.items() if name == asset_name)
        raise ModelFileError(
            f"the shipped digit model nnviz/assets/{asset_name} is missing from this "
            f"installation; rebuild it with `python -m nnviz.digits --kind {kind}`"
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
        model: a 784 → 10 softmax model; default: the shipped default (`load_digit_model()`).
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
