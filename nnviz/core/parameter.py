"""A trainable array and the gradient that belongs to it (micrograd's idea, one array at a time)."""

from __future__ import annotations

import numpy as np


class Parameter:
    """`value` and `grad` share a shape; layers accumulate into `grad` (`grad += ...`).

    Optimizers key their state by the Parameter object itself, so identity is the hash.
    `regularize` marks weights (True) apart from biases (False): L2 applies to weights only.
    """

    __slots__ = ("name", "value", "grad", "regularize")

    def __init__(self, name: str, value: np.ndarray, *, regularize: bool = True) -> None:
        self.name = name
        self.value = value
        self.grad = np.zeros_like(value)
        self.regularize = regularize

    def zero_grad(self) -> None:
        self.grad.fill(0)

    def __repr__(self) -> str:
        shape = " × ".join(map(str, self.value.shape))
        return f"Parameter({self.name}, {shape})"
