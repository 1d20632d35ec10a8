"""One training step in the textbook's notation, layer by layer, with the real numbers.

For layer l (rows are samples, so the seeds' `W·A + b` reads `A·W + b` here):

    Z⁽ˡ⁾ = A⁽ˡ⁻¹⁾ W⁽ˡ⁾ + b⁽ˡ⁾        A⁽ˡ⁾ = g(Z⁽ˡ⁾)
    dZ⁽ˡ⁾ = dA⁽ˡ⁾ ⊙ g'(Z⁽ˡ⁾)          (output layer: dZ = (A - Y) / m, from the fused loss)
    dW⁽ˡ⁾ = A⁽ˡ⁻¹⁾ᵀ dZ⁽ˡ⁾            db⁽ˡ⁾ = Σ_rows dZ⁽ˡ⁾        dA⁽ˡ⁻¹⁾ = dZ⁽ˡ⁾ W⁽ˡ⁾ᵀ
    W⁽ˡ⁾ ← W⁽ˡ⁾ - α·dW⁽ˡ⁾           (plain SGD; other optimizers reshape the step)

The 1/m of the mean loss sits inside dZ, which is why dW has no 1/m of its own here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import Activation, sigmoid, softmax
from nnviz.core.layers import Dense
from nnviz.core.trainer import StepRecord, Trainer


@dataclass(frozen=True)
class LayerTrace:
    """Layer l of one step. Arrays are `(m, units)` batch-first, weights `(in, out)`."""

    index: int
    activation: str
    a_prev: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    z: np.ndarray
    a: np.ndarray
    grad_a: np.ndarray | None  # None at the output layer, where the loss gives dZ directly
    grad_z: np.ndarray
    grad_weights: np.ndarray
    grad_bias: np.ndarray
    grad_a_prev: np.ndarray | None  # None for the first layer: nothing upstream needs it
    new_weights: np.ndarray
    new_bias: np.ndarray


@dataclass(frozen=True)
class StepTrace:
    step: int
    loss: float
    learning_rate: float
    y: np.ndarray
    layers: list[LayerTrace]


def trace_step(trainer: Trainer) -> StepTrace:
    """Take one training step and return every quantity it computed, layer by layer.

    Works at any point of a run: it is an ordinary `trainer.step()` that keeps its numbers.
    """
    result = trainer.step(record=True)
    return StepTrace(
        result.step,
        result.train_loss,
        trainer.last_record.learning_rate,
        trainer.last_record.y,
        layer_traces(trainer, trainer.last_record),
    )


def layer_traces(trainer: Trainer, record: StepRecord) -> list[LayerTrace]:
    model = trainer.model
    before = iter(record.before)
    values_before = {id(p): next(before) for p in model.parameters()}
    layers = model.layers
    traces = []
    for i, dense in enumerate(layers):
        if not isinstance(dense, Dense):
            continue
        after = layers[i + 1] if i + 1 < len(layers) else None
        hidden = isinstance(after, Activation)
        j = i + 1 if hidden else i
        traces.append(
            LayerTrace(
                index=len(traces) + 1,
                activation=after.name if hidden else model.output,
                a_prev=record.x if i == 0 else record.outputs[i - 1],
                weights=values_before[id(dense.weights)],
                bias=values_before[id(dense.bias)],
                z=record.outputs[i],
                a=record.outputs[j] if hidden else _link(model.output, record.outputs[i]),
                grad_a=record.output_grads[j] if hidden else None,
                grad_z=record.output_grads[i],
                grad_weights=dense.weights.grad.copy(),
                grad_bias=dense.bias.grad.copy(),
                grad_a_prev=record.output_grads[i - 1] if i > 0 else None,
                new_weights=dense.weights.value.copy(),
                new_bias=dense.bias.value.copy(),
            )
        )
    return traces


def _link(output: str, z: np.ndarray) -> np.ndarray:
    if output == "sigmoid":
        return sigmoid(z)
    return softmax(z) if output == "softmax" else z
