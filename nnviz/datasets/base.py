"""The one container every dataset comes in: features `x (n, features)` and targets `y`."""

from __future__ import annotations

from typing import Literal

import numpy as np

Task = Literal["binary", "multiclass", "regression"]


class DatasetError(ValueError):
    """A dataset that cannot be used, with a message saying exactly what is wrong."""


class Dataset:
    """Frozen pair of features and targets, rows are samples.

    Args:
        x: `(n, features)` floats.
        y: `(n,)` integer class labels, or `(n, k)` float targets (regression).
        name: shown in the UI and in reprs.

    The arrays are copied once and marked read-only, so a dataset can be shared safely.
    """

    __slots__ = ("_x", "_y", "name")

    def __init__(self, x: np.ndarray, y: np.ndarray, name: str = "data") -> None:
        x = np.array(x, copy=True)
        y = np.array(y, copy=True)
        _check_pair(x, y, name)
        x.flags.writeable = False
        y.flags.writeable = False
        object.__setattr__(self, "_x", x)
        object.__setattr__(self, "_y", y)
        object.__setattr__(self, "name", name)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"Dataset is frozen; cannot set {key!r}")

    @property
    def x(self) -> np.ndarray:
        return self._x

    @property
    def y(self) -> np.ndarray:
        return self._y

    def __len__(self) -> int:
        return len(self._y)

    @property
    def n_features(self) -> int:
        return self.batch(np.arange(min(1, len(self))))[0].shape[1]

    @property
    def task(self) -> Task:
        if self._y.ndim == 2:
            return "regression"
        return "binary" if self.n_classes <= 2 else "multiclass"

    @property
    def n_classes(self) -> int:
        """Number of classes (0 for regression targets)."""
        if self._y.ndim == 2:
            return 0
        return int(self._y.max()) + 1 if len(self._y) else 0

    def batch(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows `indices` as `(x, y)`, in the form the model consumes."""
        return self._x[indices], self._y[indices]

    def subset(self, indices: np.ndarray, name: str | None = None) -> Dataset:
        x, y = self.batch(np.asarray(indices))
        return Dataset(x, y, name or self.name)

    def __repr__(self) -> str:
        target = f"{self.n_classes} classes" if self.task != "regression" else "regression"
        return f"Dataset({self.name!r}, {len(self)} × {self.n_features}, {target})"


def _check_pair(x: np.ndarray, y: np.ndarray, name: str) -> None:
    if x.ndim != 2:
        raise DatasetError(f"{name}: x must have shape (n, features), got {x.shape}")
    if y.ndim not in (1, 2):
        raise DatasetError(f"{name}: y must have shape (n,) or (n, k), got {y.shape}")
    if len(x) != len(y):
        raise DatasetError(f"{name}: x has {len(x)} rows but y has {len(y)}")
    if y.ndim == 1 and not np.issubdtype(y.dtype, np.integer):
        raise DatasetError(f"{name}: class labels must be integers, got {y.dtype}")
    if y.ndim == 1 and len(y) and y.min() < 0:
        raise DatasetError(f"{name}: class labels must be 0, 1, 2, …; found {y.min()}")
