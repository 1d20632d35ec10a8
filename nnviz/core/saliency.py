"""Saliency: how each input pixel would move one class score, by backpropagation to the input.

For a class `c` with logit `z_c(x)`, the saliency map is the gradient

    S = ∂z_c / ∂x          (same shape as x)

found with the same backward pass that trains the network, only seeded with a one-hot on the
logit instead of d loss / d logits and carried one layer further, to the input. A positive
`S[i]` means more ink at pixel i would raise the score of `c`; a negative one, lower it.
The logit (not the probability) is used because softmax couples the classes: a class can gain
probability just because another lost score, which says nothing about its own evidence.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.model import Sequential


def input_gradient(model: Sequential, x: np.ndarray, target: int | np.ndarray) -> np.ndarray:
    """∂ logit[target] / ∂ x for every row of `x`, at inference (no dropout).

    Args:
        model: any `Sequential`; it is not changed (the work runs on a private copy, so a
            model shared by several sessions can be explained safely).
        x: `(batch, features)` inputs.
        target: one class for every row, or `(batch,)` classes.

    Returns:
        `(batch, features)` float64 gradients.
    """
    work = model.copy()
    for layer in work.layers:
        if hasattr(layer, "input_grad"):
            layer.input_grad = True  # training skips dX below the first weights; we need it
    x = np.asarray(x, dtype=work.dtype)
    logits = work.forward(x)
    rows = np.arange(len(x))
    target = np.broadcast_to(np.asarray(target, dtype=np.int64), rows.shape)
    if target.size and (target.min() < 0 or target.max() >= logits.shape[1]):
        raise ValueError(f"target classes must be in 0…{logits.shape[1] - 1}, got {target}")
    grad = np.zeros_like(logits)
    grad[rows, target] = 1.0
    for layer in reversed(work.layers):
        grad = layer.backward(grad)
    return np.asarray(grad, dtype=np.float64)
