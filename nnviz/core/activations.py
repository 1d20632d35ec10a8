"""Activation layers `A = g(Z)`, applied element-wise. Backward is `dZ = dA ⊙ g'(Z)`."""

from __future__ import annotations

import numpy as np

from nnviz.core.layers import Layer
from nnviz.core.registry import lookup


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{-z}), written as (1 + tanh(z/2)) / 2 so it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax; subtracting the row max keeps `exp` finite for any logits."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class Activation(Layer):
    """Base for element-wise activations; `name` is the registry key and the repr.

    Element-wise means shape-preserving: `output_shape` is the `Layer` default (the input's).

    `forward` computes from locals and only stores its cache for `backward`, so concurrent
    inference on one shared model (several app sessions) never mixes two inputs.
    """

    name = "activation"

    def config(self) -> dict:
        return {"type": self.name}

    def __repr__(self) -> str:
        return self.name


class Sigmoid(Activation):
    """g'(z) = σ(z)(1 - σ(z)) ≤ 1/4: stacked sigmoids shrink gradients (vanishing gradient)."""

    name = "sigmoid"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        a = self._a = sigmoid(x)
        return a

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * self._a * (1.0 - self._a)


class Tanh(Activation):
    """g'(z) = 1 - tanh²(z)."""

    name = "tanh"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        a = self._a = np.tanh(x)
        return a

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * (1.0 - self._a * self._a)


class ReLU(Activation):
    """g(z) = max(0, z); a unit whose z < 0 for every input gets no gradient ("dead")."""

    name = "relu"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        on = self._on = x > 0
        return x * on

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * self._on


class LeakyReLU(Activation):
    """g(z) = z for z > 0, αz otherwise: a small slope keeps units from dying."""

    name = "leaky_relu"

    def __init__(self, alpha: float = 0.01) -> None:
        self.alpha = float(alpha)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        slope = self._slope = np.where(x > 0, 1.0, self.alpha).astype(x.dtype, copy=False)
        return x * slope

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * self._slope

    def config(self) -> dict:
        return {"type": self.name, "alpha": self.alpha}


class Linear(Activation):
    """g(z) = z: the identity, for regression outputs or to show what non-linearity buys."""

    name = "linear"

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return x

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU, Linear)
}


def get_activation(name: str) -> Activation:
    return lookup(ACTIVATIONS, name, "activation")()
