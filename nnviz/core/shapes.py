"""Layers that only re-read the same numbers in another shape: images ⇄ vectors.

`Reshape((1, 28, 28))` lets a convolutional net take the same 784-pixel rows as an MLP;
`Flatten()` turns the last feature maps back into rows for `Dense`. Neither changes a value,
so backward only puts the gradient back into the input's shape.
"""

from __future__ import annotations

import math

import numpy as np

from nnviz.core.layers import Layer


class Flatten(Layer):
    """`(batch, d₁, d₂, …) → (batch, d₁·d₂·…)`, in C order (channel, then row, then column)."""

    def __init__(self) -> None:
        self.input_grad = True
        self._shape: tuple[int, ...] | None = None

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int]:
        if len(shape) < 1:
            raise ValueError("Flatten needs samples with at least one axis")
        return (math.prod(shape),)

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if x.ndim < 2:
            raise ValueError(f"Flatten takes a batch (batch, …), got shape {x.shape}")
        self._shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, grad_output: np.ndarray) -> np.ndarray | None:
        return grad_output.reshape(self._shape) if self.input_grad else None

    def config(self) -> dict:
        return {"type": "Flatten"}

    def __repr__(self) -> str:
        return "Flatten()"


class Reshape(Layer):
    """`(batch, …) → (batch, *shape)`: the per-sample shape changes, the values do not.

    Args:
        shape: the new shape of one sample, without the batch axis, e.g. `(1, 28, 28)`.
    """

    def __init__(self, shape: tuple[int, ...] | list[int]) -> None:
        shape = tuple(shape)
        whole = [
            isinstance(d, int | np.integer) and not isinstance(d, bool) and d >= 1 for d in shape
        ]
        if not shape or not all(whole):
            raise ValueError(f"Reshape needs a shape of positive integers, got {shape!r}")
        self.shape = tuple(int(d) for d in shape)
        self.input_grad = True
        self._shape: tuple[int, ...] | None = None

    def input_shape(self) -> tuple[int]:
        """Flat rows of the same size: what lets a CNN take the MLP's 784-pixel rows."""
        return (math.prod(self.shape),)

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        if math.prod(shape) != math.prod(self.shape):
            raise ValueError(
                f"{self!r} needs {math.prod(self.shape)} values per sample, "
                f"got {math.prod(shape)} (shape {tuple(shape)})"
            )
        return self.shape

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if x.ndim < 2:
            raise ValueError(f"{self!r} takes a batch (batch, …), got shape {x.shape}")
        self.output_shape(x.shape[1:])
        self._shape = x.shape
        return x.reshape(len(x), *self.shape)

    def backward(self, grad_output: np.ndarray) -> np.ndarray | None:
        return grad_output.reshape(self._shape) if self.input_grad else None

    def config(self) -> dict:
        return {"type": "Reshape", "shape": list(self.shape)}

    def __repr__(self) -> str:
        return f"Reshape({' × '.join(map(str, self.shape))})"
