"""Weight initializers: `init(fan_in, fan_out, rng, dtype) -> (fan_in, fan_out)` array.

`shape=` draws another shape with the same scale: a convolution's kernel
`(out_channels, in_channels, kh, kw)` has fan_in = in_channels·kh·kw and fan_out =
out_channels·kh·kw (every input pixel reaches kh·kw positions of each output map).

The scale matters more than the distribution. Glorot keeps Var(z) ≈ Var(x) for tanh/sigmoid:

    W ~ U(-limit, limit),  limit = sqrt(6 / (fan_in + fan_out))

He doubles the variance for ReLU (half the units are off): W ~ N(0, 2 / fan_in).
"small_random" is the classic tutorials' `np.random.randn(...) * 0.01`: every unit starts
almost identical and near the flat middle of the sigmoid, which is why such a net can stall.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnviz.core.registry import lookup

Initializer = Callable[..., np.ndarray]
Shape = tuple[int, ...] | None


def glorot_uniform(
    fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64, shape: Shape = None
):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape or (fan_in, fan_out)).astype(dtype)


def he_normal(
    fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64, shape: Shape = None
):
    return (rng.standard_normal(shape or (fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype)


def lecun_normal(
    fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64, shape: Shape = None
):
    return (rng.standard_normal(shape or (fan_in, fan_out)) * np.sqrt(1.0 / fan_in)).astype(dtype)


def small_random(
    fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64, shape: Shape = None
):
    return (rng.standard_normal(shape or (fan_in, fan_out)) * 0.01).astype(dtype)


def zeros(
    fan_in: int, fan_out: int, rng: np.random.Generator, dtype=np.float64, shape: Shape = None
):
    return np.zeros(shape or (fan_in, fan_out), dtype=dtype)


INITIALIZERS: dict[str, Initializer] = {
    "glorot_uniform": glorot_uniform,
    "xavier_uniform": glorot_uniform,
    "he_normal": he_normal,
    "lecun_normal": lecun_normal,
    "small_random": small_random,
    "zeros": zeros,
}


def get_initializer(name: str) -> Initializer:
    return lookup(INITIALIZERS, name, "initializer")
