"""Losses `L(y_true, logits) -> float` (mean over the batch) and `gradient -> dL/dlogits`.

The model's last layer emits logits Z. The classification losses fuse the output link into
the loss, which is both numerically stable and where the textbook's simple gradient comes from:

    binary:       A = σ(Z),        L = -mean(y log A + (1-y) log(1-A)),   dZ = (A - Y) / m
    categorical:  A = softmax(Z),  L = -mean(log A[y]),                   dZ = (A - onehot(Y)) / m

Targets come as the datasets hold them: int labels `(m,)`, or float targets `(m, k)`.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.activations import sigmoid, softmax
from nnviz.core.registry import lookup


def targets_like(y_true: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """`y_true` in the shape of `logits`: labels → column (one output) or one-hot (several)."""
    y = np.asarray(y_true)
    if y.ndim == 2:
        return y.astype(logits.dtype, copy=False)
    if logits.shape[1] == 1:
        return y.reshape(-1, 1).astype(logits.dtype)
    onehot = np.zeros_like(logits)
    onehot[np.arange(len(y)), y] = 1.0
    return onehot


LINKS = ("identity", "sigmoid", "softmax")


class Loss:
    name = "loss"

    def __call__(self, y_true: np.ndarray, logits: np.ndarray) -> float:
        raise NotImplementedError

    def gradient(self, y_true: np.ndarray, logits: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def value_and_gradient(
        self, y_true: np.ndarray, logits: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """Both at once; the training loop's call, where sharing the work pays."""
        return self(y_true, logits), self.gradient(y_true, logits)

    def __repr__(self) -> str:
        return self.name


class MeanSquaredError(Loss):
    """L = mean over samples of Σ_k (A - Y)², with A = link(Z).

    `link="identity"` is regression. With `link="sigmoid"` (or "softmax") it is the squared
    error on probabilities that the classic tutorials use: dZ = 2(A - Y)·σ'(Z) / m, which is
    tiny when σ saturates — one reason cross-entropy learns faster.
    """

    name = "mse"

    def __init__(self, link: str = "identity") -> None:
        if link not in LINKS:
            raise ValueError(f"unknown link {link!r}; choose one of: {', '.join(LINKS)}")
        self.link = link

    def _prob(self, logits: np.ndarray) -> np.ndarray:
        if self.link == "sigmoid":
            return sigmoid(logits)
        return softmax(logits) if self.link == "softmax" else logits

    def __call__(self, y_true: np.ndarray, logits: np.ndarray) -> float:
        diff = self._prob(logits) - targets_like(y_true, logits)
        return float(np.einsum("ij,ij->", diff, diff) / len(diff))

    def gradient(self, y_true: np.ndarray, logits: np.ndarray) -> np.ndarray:
        a = self._prob(logits)
        grad_a = 2.0 * (a - targets_like(y_true, logits)) / len(a)
        if self.link == "sigmoid":
            return grad_a * a * (1.0 - a)
        if self.link == "softmax":  # Jacobian-vector product of softmax
            return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))
        return grad_a

    def __repr__(self) -> str:
        return "mse" if self.link == "identity" else f"mse(on {self.link})"


class FusedLoss(Loss):
    """A loss whose value and gradient share their work: subclasses write
    `value_and_gradient`, and the value or the gradient alone come from it."""

    def __call__(self, y_true: np.ndarray, logits: np.ndarray) -> float:
        return self.value_and_gradient(y_true, logits)[0]

    def gradient(self, y_true: np.ndarray, logits: np.ndarray) -> np.ndarray:
        return self.value_and_gradient(y_true, logits)[1]


class BinaryCrossentropy(FusedLoss):
    """Sigmoid and log-loss in one: L = mean(max(z, 0) - z·y + log(1 + e^{-|z|})).

    That form never takes log(0) and never overflows, even for logits of ±1000.
    """

    name = "binary_crossentropy"

    def value_and_gradient(
        self, y_true: np.ndarray, logits: np.ndarray
    ) -> tuple[float, np.ndarray]:
        y, z = targets_like(y_true, logits), logits
        grad = sigmoid(z)
        per = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
        grad -= y
        grad /= len(z)
        return float(per.sum() / len(z)), grad


class CategoricalCrossentropy(FusedLoss):
    """Softmax and negative log-likelihood in one, with integer labels `(m,)`:

    L = mean(logsumexp(z) - z[y])      dZ = (softmax(Z) - onehot(Y)) / m
    """

    name = "categorical_crossentropy"

    def value_and_gradient(
        self, y_true: np.ndarray, logits: np.ndarray
    ) -> tuple[float, np.ndarray]:
        rows, labels = np.arange(len(logits)), np.asarray(y_true)
        shifted = logits - logits.max(axis=1, keepdims=True)
        grad = np.exp(shifted)
        norm = grad.sum(axis=1)
        value = float((np.log(norm) - shifted[rows, labels]).sum() / len(logits))
        grad /= norm[:, None]
        grad[rows, labels] -= 1.0
        grad /= len(logits)
        return value, grad


LOSSES: dict[str, type[Loss]] = {
    cls.name: cls for cls in (MeanSquaredError, BinaryCrossentropy, CategoricalCrossentropy)
}


def get_loss(name: str, **kwargs) -> Loss:
    """A loss by name: "mse" (optionally `link="sigmoid"`), "binary_crossentropy",
    "categorical_crossentropy"."""
    return lookup(LOSSES, name, "loss")(**kwargs)


def accuracy(y_true: np.ndarray, logits: np.ndarray) -> float | None:
    """Share of correct class predictions from logits; None for regression targets."""
    y = np.asarray(y_true)
    if y.ndim == 2:
        return None
    predicted = (logits[:, 0] > 0) if logits.shape[1] == 1 else logits.argmax(axis=1)
    return float(np.count_nonzero(predicted == y) / len(y))
