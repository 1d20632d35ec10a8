"""Layers: each does one thing. `Dense` is affine; activations and dropout are layers of their own.

Every layer has `forward(x, training)` and `backward(grad_output) -> grad_input`, where
`grad_output` is d loss / d (this layer's output). Shapes are batch-first: `x (batch, features)`.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.initializers import get_initializer
from nnviz.core.parameter import Parameter


class Layer:
    """Base: no parameters, identity config."""

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def parameters(self) -> list[Parameter]:
        return []

    def config(self) -> dict:
        """What `LAYERS[config["type"]](**rest)` needs to rebuild this layer (values aside)."""
        return {"type": type(self).__name__}


class Dense(Layer):
    """Affine map `Z = X W + b` with `W (in_features, out_features)`, `b (out_features,)`.

    Backward, for `dZ` = d loss / d Z over a batch:

        dW = Xᵀ dZ      db = Σ_rows dZ      dX = dZ Wᵀ

    (The 1/m of the mean is already inside dZ: the loss gradient carries it.)
    `input_grad=False` skips dX, which the first layer never needs.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        initializer: str = "glorot_uniform",
        rng: np.random.Generator | None = None,
        dtype: np.dtype | type = np.float64,
        name: str = "dense",
    ) -> None:
        rng = rng if rng is not None else np.random.default_rng(0)
        weights = get_initializer(initializer)(in_features, out_features, rng, dtype)
        self.weights = Parameter(f"{name}.W", weights)
        self.bias = Parameter(f"{name}.b", np.zeros(out_features, dtype=dtype), regularize=False)
        self.name = name
        self.input_grad = True
        self._x: np.ndarray | None = None

    @property
    def in_features(self) -> int:
        return self.weights.value.shape[0]

    @property
    def out_features(self) -> int:
        return self.weights.value.shape[1]

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._x = x
        z = x @ self.weights.value
        z += self.bias.value  # in place: a second (batch, out) temporary costs more than the add
        return z

    def backward(self, grad_output: np.ndarray) -> np.ndarray | None:
        self.weights.grad += self._x.T @ grad_output
        self.bias.grad += np.add.reduce(grad_output, axis=0)
        return grad_output @ self.weights.value.T if self.input_grad else None

    def parameters(self) -> list[Parameter]:
        return [self.weights, self.bias]

    def config(self) -> dict:
        return {
            "type": "Dense",
            "in_features": self.in_features,
            "out_features": self.out_features,
            "name": self.name,
        }

    def __repr__(self) -> str:
        return f"Dense({self.in_features} → {self.out_features})"


class Dropout(Layer):
    """Inverted dropout: in training keep each unit with probability 1 - rate and scale by
    1 / (1 - rate), so nothing changes at inference. The mask is drawn from `self.rng`.
    """

    def __init__(self, rate: float, rng: np.random.Generator | None = None) -> None:
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
        self.rate = float(rate)
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self._mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = self.rng.random(x.shape) >= self.rate
        self._mask = keep.astype(x.dtype) / (1.0 - self.rate)
        return x * self._mask

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output if self._mask is None else grad_output * self._mask

    def config(self) -> dict:
        return {"type": "Dropout", "rate": self.rate}

    def __repr__(self) -> str:
        return f"Dropout({self.rate:g})"
