"""Optimizers with Keras' names and defaults. Each owns its state, keyed by Parameter.

`learning_rate` is a plain attribute: the UI may change it between steps.
Updates run in place on `p.value` so a step allocates as little as possible.
"""

from __future__ import annotations

import math

import numpy as np

from nnviz.core.parameter import Parameter
from nnviz.core.registry import lookup


class Optimizer:
    name = "optimizer"

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = float(learning_rate)
        self.iterations = 0
        self.state: dict[Parameter, tuple[np.ndarray, ...]] = {}

    def step(self, params: list[Parameter]) -> None:
        """Apply one update to every parameter from its `grad`."""
        self.iterations += 1
        for p in params:
            self.update(p)

    def update(self, p: Parameter) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Forget moments and the step count (after a restore, or a new model)."""
        self.iterations = 0
        self.state.clear()

    def _slots(self, p: Parameter, count: int) -> tuple[np.ndarray, ...]:
        slots = self.state.get(p)
        if slots is None:
            slots = self.state[p] = tuple(np.zeros_like(p.value) for _ in range(count))
        return slots

    def __repr__(self) -> str:
        return f"{self.name}(learning_rate={self.learning_rate:g})"


class SGD(Optimizer):
    """Gradient descent, with optional (Nesterov) momentum as in Keras:

    w ← w - α·g                                   (momentum = 0)
    v ← μ·v - α·g;  w ← w + v                     (momentum)
    v ← μ·v - α·g;  w ← w + μ·v - α·g             (nesterov)
    """

    name = "sgd"

    def __init__(
        self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False
    ) -> None:
        super().__init__(learning_rate)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def update(self, p: Parameter) -> None:
        lr = self.learning_rate
        if self.momentum == 0.0:
            p.value -= lr * p.grad
            return
        (v,) = self._slots(p, 1)
        v *= self.momentum
        v -= lr * p.grad
        if self.nesterov:
            p.value += self.momentum * v - lr * p.grad
        else:
            p.value += v

    def __repr__(self) -> str:
        extra = f", momentum={self.momentum:g}" if self.momentum else ""
        extra += ", nesterov=True" if self.nesterov else ""
        return f"{self.name}(learning_rate={self.learning_rate:g}{extra})"


class Momentum(SGD):
    """SGD with momentum 0.9 by default ("momentum" in the menus)."""

    name = "momentum"

    def __init__(
        self, learning_rate: float = 0.01, momentum: float = 0.9, nesterov: bool = False
    ) -> None:
        super().__init__(learning_rate, momentum, nesterov)


class RMSprop(Optimizer):
    """Divide by a running RMS of the gradient:  v ← ρv + (1-ρ)g²;  w ← w - α·g / (√v + ε)."""

    name = "rmsprop"

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7):
        super().__init__(learning_rate)
        self.rho = float(rho)
        self.epsilon = float(epsilon)

    def update(self, p: Parameter) -> None:
        (v,) = self._slots(p, 1)
        v *= self.rho
        v += (1.0 - self.rho) * p.grad * p.grad
        p.value -= self.learning_rate * p.grad / (np.sqrt(v) + self.epsilon)


class Adam(Optimizer):
    """Momentum and RMSprop with bias correction (Kingma & Ba; Keras' form):

    m ← β₁m + (1-β₁)g;   v ← β₂v + (1-β₂)g²
    α_t = α·√(1-β₂ᵗ) / (1-β₁ᵗ);   w ← w - α_t·m / (√v + ε)
    """

    name = "adam"

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
    ) -> None:
        super().__init__(learning_rate)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)

    def step(self, params: list[Parameter]) -> None:
        t = self.iterations + 1
        self._alpha = self.learning_rate * math.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t)
        super().step(params)

    def update(self, p: Parameter) -> None:
        m, v, scratch = self._slots(p, 3)
        g = p.grad
        np.subtract(g, m, out=scratch)  # m ← m + (1-β₁)(g - m), the same average in place
        scratch *= 1.0 - self.beta_1
        m += scratch
        np.multiply(g, g, out=scratch)
        scratch -= v
        scratch *= 1.0 - self.beta_2
        v += scratch
        np.sqrt(v, out=scratch)
        scratch += self.epsilon
        np.divide(m, scratch, out=scratch)
        scratch *= self._alpha
        p.value -= scratch


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Momentum, RMSprop, Adam)}


def get_optimizer(name: str, **kwargs) -> Optimizer:
    """An optimizer by name ("sgd", "momentum", "rmsprop", "adam") with Keras' keyword names."""
    return lookup(OPTIMIZERS, name, "optimizer")(**kwargs)
