"""Finite-difference gradients: the check that backpropagation is right.

Central differences have error O(ε²):  ∂f/∂θᵢ ≈ (f(θ + εeᵢ) - f(θ - εeᵢ)) / 2ε
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnviz.core.losses import Loss
from nnviz.core.model import Sequential


def numerical_gradient(f: Callable[[], float], array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d array by central differences, nudging `array` in place (restored afterwards)."""
    grad = np.zeros_like(array, dtype=np.float64)
    flat = array.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f()
        flat[i] = old - eps
        down = f()
        flat[i] = old
        grad.flat[i] = (up - down) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| / max(|a| + |b|, 1e-12), element-wise: scale-free and safe at zero."""
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)


@dataclass(frozen=True)
class GradientCheck:
    name: str
    analytic: np.ndarray
    numeric: np.ndarray

    @property
    def max_relative_error(self) -> float:
        return float(relative_error(self.analytic, self.numeric).max(initial=0.0))


def gradient_check(
    model: Sequential, loss: Loss, x: np.ndarray, y: np.ndarray, eps: float = 1e-6
) -> list[GradientCheck]:
    """Backprop's gradient next to the numerical one for every parameter (no dropout).

    Use a float64 model: in float32 the differences drown in rounding.
    """
    model.zero_grad()
    logits = model.forward(x)
    model.backward(loss.gradient(y, logits))
    checks = []
    for p in model.parameters():
        analytic = p.grad.astype(np.float64, copy=True)
        numeric = numerical_gradient(lambda: loss(y, model.forward(x)), p.value, eps)
        checks.append(GradientCheck(p.name, analytic, numeric))
    return checks
