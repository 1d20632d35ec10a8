"""What happens to a dataset between the generator and the network: split, scale, feature map."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

from nnviz.datasets.base import Dataset, DatasetError

Data = TypeVar("Data", np.ndarray, Dataset)


def train_test_split(
    dataset: Dataset, test_fraction: float = 0.2, rng: np.random.Generator | None = None
) -> tuple[Dataset, Dataset | None]:
    """Shuffle and hold out `round(n * test_fraction)` rows as a test set.

    The split is not stratified, but one example of every class is kept in train first, so the
    model meets each class. When no row would be held out (`test_fraction=0`, or a tiny set like
    `toy`) the result is `(train, None)`: there is no test set to show, rather than an empty one.
    `rng=None` means `np.random.default_rng(0)`.
    """
    if not 0 <= test_fraction < 1:
        raise DatasetError(f"test_fraction must be in [0, 1), got {test_fraction}")
    rng = np.random.default_rng(0) if rng is None else rng
    n_test = min(round(len(dataset) * test_fraction), len(dataset) - 1)
    order = rng.permutation(len(dataset))
    if dataset.task != "regression":
        _, first = np.unique(dataset.y[order], return_index=True)
        order = np.concatenate([order[first], np.delete(order, first)])
    train = dataset.subset(order[: len(order) - n_test], f"{dataset.name} (train)")
    if n_test <= 0:
        return train, None
    return train, dataset.subset(order[len(order) - n_test :], f"{dataset.name} (test)")


class Standardizer:
    """Per-feature scaling fitted on the training set: `x' = (x - mean) / std`.

    Fit on train only and apply the same numbers to test and to the decision-boundary grid, or
    the model would see test data through a different lens. A constant feature keeps std 1
    (it is only centred), since dividing by ~0 would blow rounding noise up into signal.
    """

    __slots__ = ("mean", "std")

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        for key, value in (("mean", mean), ("std", std)):
            value = np.array(value, dtype=np.float64)
            value.flags.writeable = False
            object.__setattr__(self, key, value)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"Standardizer is frozen; cannot set {key!r}")

    @classmethod
    def fit(cls, data: Dataset | np.ndarray) -> Standardizer:
        x = data.x if isinstance(data, Dataset) else np.asarray(data, dtype=np.float64)
        if x.ndim != 2 or len(x) == 0:
            raise DatasetError(f"Standardizer needs a non-empty (n, features) array, got {x.shape}")
        mean, std = x.mean(axis=0), x.std(axis=0)
        constant = std <= 1e-12 * np.maximum(np.abs(mean), 1.0)
        return cls(mean, np.where(constant, 1.0, std))

    def transform(self, data: Data) -> Data:
        """Scale an `(m, features)` array, or the features of a `Dataset` (targets untouched)."""
        if isinstance(data, Dataset):
            return Dataset(self.transform(data.x), data.y, data.name)
        x = np.asarray(data, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.mean):
            raise DatasetError(f"expected shape (m, {len(self.mean)}), got {x.shape}")
        return (x - self.mean) / self.std

    def __repr__(self) -> str:
        fmt = np.array2string
        return f"Standardizer(mean={fmt(self.mean, precision=3)}, std={fmt(self.std, precision=3)})"


_FEATURES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "x1": lambda x: x[:, 0],
    "x2": lambda x: x[:, 1],
    "x1²": lambda x: x[:, 0] ** 2,
    "x2²": lambda x: x[:, 1] ** 2,
    "x1·x2": lambda x: x[:, 0] * x[:, 1],
    "sin x1": lambda x: np.sin(x[:, 0]),
    "sin x2": lambda x: np.sin(x[:, 1]),
}
FEATURES: tuple[str, ...] = tuple(_FEATURES)


def add_features(x: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Map raw points `(m, 2)` to the chosen feature columns `(m, len(names))`, in that order.

    TF Playground's trick: with `x1²` and `x2²` as inputs, circles become linearly separable
    (`x1² + x2² = r²` is a line in those coordinates), so even a net without hidden layers fits.
    Works on any `(m, 2)` array, so the decision-boundary grid goes through the same map.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != 2:
        raise DatasetError(f"features are computed from (m, 2) points, got shape {x.shape}")
    if not names:
        raise DatasetError(f"choose at least one feature from: {', '.join(FEATURES)}")
    unknown = [name for name in names if name not in _FEATURES]
    if unknown:
        raise DatasetError(f"unknown feature {unknown[0]!r}; choose from: {', '.join(FEATURES)}")
    return np.stack([_FEATURES[name](x) for name in names], axis=1)
