"""Two-dimensional toy problems, after TensorFlow Playground's `dataset.ts`.

Every generator has one signature, `(n_samples=200, noise=0.1, rng=None) -> Dataset`, so the UI
can swap them by name (`DATASETS`). `noise` is the standard deviation of Gaussian jitter added to
every point (to the target, for regression): `noise=0` gives the clean shape. Points stay within
about [-2, 2]², so one learning rate suits them all. The same generator state gives the same
points, bit for bit; `rng=None` means `np.random.default_rng(0)`.

Classes are balanced (`n_samples` split as evenly as possible) and rows are ordered by class;
the trainer and `train_test_split` shuffle.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from nnviz.datasets.base import Dataset, DatasetError


def _rng(n_samples: int, noise: float, rng: np.random.Generator | None) -> np.random.Generator:
    if n_samples < 1:
        raise DatasetError(f"n_samples must be at least 1, got {n_samples}")
    if not noise >= 0:  # also rejects NaN
        raise DatasetError(f"noise must be a number >= 0, got {noise}")
    return np.random.default_rng(0) if rng is None else rng


def _labels(n: int, k: int) -> np.ndarray:
    """`n` labels spread as evenly as possible over `k` classes: 0, 0, …, 1, 1, …, k-1."""
    return np.arange(n, dtype=np.int64) * k // n


def _polar(radius: np.ndarray, angle: np.ndarray) -> np.ndarray:
    return radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)


def xor(
    n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | None = None
) -> Dataset:
    """Four clusters on the corners of the unit square, labelled `x1 XOR x2` of their corner.

    The geometry of `xor_table`, so what a net learns on one transfers to the other. Labels come
    from the corner, so a large `noise` pushes points across the boundary (label noise).
    """
    rng = _rng(n_samples, noise, rng)
    corner = np.arange(n_samples) % 4
    bits = np.stack([corner >> 1, corner & 1], axis=1)
    x = bits + rng.normal(0.0, noise, (n_samples, 2))
    return Dataset(x, (bits[:, 0] ^ bits[:, 1]).astype(np.int64), "xor")


def xor_table(
    n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | None = None
) -> Dataset:
    """The XOR truth table, exactly four rows; the arguments are ignored (one signature)."""
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return Dataset(x, np.array([0, 1, 1, 0], dtype=np.int64), "xor_table")


def toy(
    n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | None = None
) -> Dataset:
    """The eight points of Real Python's "Build a Neural Network" tutorial; arguments ignored."""
    x = [[3, 1.5], [2, 1], [4, 1.5], [3, 4], [3.5, 0.5], [2, 0.5], [5.5, 1], [1, 1]]
    y = [0, 1, 0, 1, 0, 1, 1, 0]
    return Dataset(np.array(x, dtype=np.float64), np.array(y, dtype=np.int64), "toy")


def circles(
    n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | None = None
) -> Dataset:
    """Class 0 on a ring (radius 0.7–1), class 1 in a disc inside it (radius 0–0.5)."""
    rng = _rng(n_samples, noise, rng)
    y = _labels(n_samples, 2)
    radius = np.where(y == 1, rng.uniform(0.0, 0.5, n_samples), rng.uniform(0.7, 1.0, n_samples))
    x = _polar(radius, rng.uniform(0.0, 2 * np.pi, n_samples))
    return Dataset(x + rng.normal(0.0, noise, x.shape), y, "circles")


def moons(
    n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | None = None
) -> Dataset:
    """Two interleaved half circles of radius 1: class 0 centred at (0, 0) opening down,
    class 1 centred at (1, 0.5) opening up (scikit-learn's `make_moons`)."""
    rng = _rng(n_samples, noise, rng)
    y = _labels(n_samples, 2)
    upper = _polar(np.ones(n_samples), rng.uniform(0.0, np.pi, n_samples))
    x = np.where(y[:, None] == 0, upper, np.array([1.0, 0.5]) - upper)
    return Dataset(x + rng.normal(0.0, noise, x.shape), y, "moons")


def spirals(
    n_samples: int = 200,
    noise: float = 0.1,
    rng: np.random.Generator | None = None,
    *,
    arms: int = 2,
) -> Dataset:
    """`arms` interleaved spirals, one class each, winding 1.75 turns out to radius 1.

    Arm `j` is the curve `r = s, θ = 3.5π·s + 2πj/arms` for `s` in [0, 1).
    """
    if arms < 2:
        raise DatasetError(f"spirals need at least 2 arms, got {arms}")
    rng = _rng(n_samples, noise, rng)
    y = _labels(n_samples, arms)
    s = rng.uniform(0.0, 1.0, n_samples)
    x = _polar(s, 3.5 * np.pi * s + 2 * np.pi * y / arms)
    return Dataset(
        x + rng.normal(0.0, noise, x.shape), y, "spirals" if arms == 2 else f"spirals{arms}"
    )


def gaussians(
    n_samples: int = 200,
    noise: float = 0.1,
    rng: np.random.Generator | None = None,
    *,
    k: int = 3,
) -> Dataset:
    """`k` round blobs (std 0.25) centred evenly on a circle of radius 1.5, one class each.

    The blobs have their own spread even at `noise=0`; noise adds on top, so the total std is
    `√(0.25² + noise²)`. With `k=2` the centres sit on the diagonal, as in TF Playground.
    """
    if k < 2:
        raise DatasetError(f"gaussians need at least 2 blobs, got k={k}")
    rng = _rng(n_samples, noise, rng)
    y = _labels(n_samples, k)
    centres = _polar(np.full(k, 1.5), np.pi / 4 + 2 * np.pi * np.arange(k) / k)
    x = centres[y] + rng.normal(0.0, np.hypot(0.25, noise), (n_samples, 2))
    return Dataset(x, y, "gaussians")


def regression_plane(
    n_samples: int = 200, noise: float = 0.1, rng: np.random.Generator | None = None
) -> Dataset:
    """Regression on the tilted plane `y = (x1 + x2) / 2` over [-1, 1]²; noise jitters `y`.

    Targets have shape `(n, 1)`. A network with no hidden layer can fit it exactly, which makes
    it the "hello world" of regression.
    """
    rng = _rng(n_samples, noise, rng)
    x = rng.uniform(-1.0, 1.0, (n_samples, 2))
    y = x.sum(axis=1, keepdims=True) / 2 + rng.normal(0.0, noise, (n_samples, 1))
    return Dataset(x, y, "regression")


DATASETS: dict[str, Callable[..., Dataset]] = {
    "xor": xor,
    "xor_table": xor_table,
    "toy": toy,
    "circles": circles,
    "moons": moons,
    "spirals": spirals,
    "spirals3": partial(spirals, arms=3),
    "gaussians": gaussians,
    "regression": regression_plane,
}


def get_dataset(name: str, **kwargs: object) -> Dataset:
    """Build the registered dataset `name`, passing `n_samples`, `noise`, `rng`, … through."""
    if name not in DATASETS:
        raise DatasetError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}")
    return DATASETS[name](**kwargs)
