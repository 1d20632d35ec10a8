"""Read-only views into a model for the pictures: boundaries, neuron outputs, gradients, weights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import ReLU
from nnviz.core.layers import Dense
from nnviz.core.model import Sequential

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Grid:
    """`values[i, j]` belongs to the point (xs[j], ys[i]): rows follow y, like an image."""

    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray  # (resolution, resolution, outputs)


def grid_points(box: Box, resolution: int = 100) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`(xs, ys, points)` with `points (resolution², 2)` covering `box = (x0, x1, y0, y1)`."""
    x0, x1, y0, y1 = box
    xs = np.linspace(x0, x1, resolution)
    ys = np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def decision_grid(
    model: Sequential,
    box: Box,
    resolution: int = 100,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Grid:
    """Class probabilities (or regression values) over a resolution × resolution grid.

    `transform` maps raw 2-D points to the model's inputs (standardization, engineered features).
    """
    xs, ys, points = grid_points(box, resolution)
    inputs = transform(points) if transform is not None else points
    values = model.predict_proba(inputs)
    return Grid(xs, ys, values.reshape(resolution, resolution, -1))


@dataclass(frozen=True)
class LayerOutput:
    name: str
    values: np.ndarray  # (batch, units)


def layer_outputs(model: Sequential, x: np.ndarray) -> list[LayerOutput]:
    """Every layer's output for inputs `x`, in order (no dropout): what each neuron computes."""
    out = np.asarray(x, dtype=model.dtype)
    outputs = []
    for i, layer in enumerate(model.layers):
        out = layer.forward(out, training=False)
        outputs.append(LayerOutput(f"{i}: {layer!r}", out))
    return outputs


def hidden_activations(model: Sequential, x: np.ndarray) -> list[np.ndarray]:
    """The activations A⁽ˡ⁾ of each hidden layer (the output after each non-final Dense's g)."""
    dense_at = [i for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]
    wanted = {dense_at[k + 1] - 1 for k in range(len(dense_at) - 1)}
    return [o.values for i, o in enumerate(layer_outputs(model, x)) if i in wanted]


@dataclass(frozen=True)
class LayerStats:
    name: str
    grad_norm: float  # ‖dW‖ of the layer's weights after the last backward
    weight_mean: float
    weight_std: float
    weight_min: float
    weight_max: float


def layer_stats(model: Sequential) -> list[LayerStats]:
    """Per Dense layer: the weights' gradient norm and summary statistics of the weights.

    Gradient norms shrinking toward the input layer are the vanishing-gradient signature.
    """
    stats = []
    for i, dense in enumerate(model.dense_layers):
        w = dense.weights.value
        stats.append(
            LayerStats(
                name=f"layer {i + 1}",
                grad_norm=float(np.linalg.norm(dense.weights.grad)),
                weight_mean=float(w.mean()),
                weight_std=float(w.std()),
                weight_min=float(w.min()),
                weight_max=float(w.max()),
            )
        )
    return stats


def gradient_norms(model: Sequential) -> list[float]:
    """‖dW‖ per Dense layer, input side first."""
    return [s.grad_norm for s in layer_stats(model)]


def dead_unit_fraction(model: Sequential, x: np.ndarray) -> list[float]:
    """Per ReLU layer: the share of units that output 0 for every input in `x`.

    Such a unit gets no gradient, so it can never come back: it is dead.
    """
    out = np.asarray(x, dtype=model.dtype)
    fractions = []
    for layer in model.layers:
        out = layer.forward(out, training=False)
        if isinstance(layer, ReLU):
            fractions.append(float(np.mean(~(out > 0).any(axis=0))))
    return fractions
