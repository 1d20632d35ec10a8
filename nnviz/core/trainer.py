"""The training loop, one mini-batch at a time, so the UI can watch (and change) every step."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnviz.core.losses import Loss, accuracy
from nnviz.core.model import Sequential
from nnviz.core.optimizers import Optimizer


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the parameters were restored to their last finite values."""


@dataclass(frozen=True)
class StepResult:
    """One step's record. `epoch` counts completed passes over the data after this step."""

    step: int
    epoch: int
    train_loss: float
    train_accuracy: float | None


@dataclass(frozen=True)
class StepRecord:
    """Everything one step computed, kept when `step(record=True)`: the math page shows it.

    `outputs[i]` is layer i's output and `output_grads[i]` is d loss / d outputs[i];
    `before` holds the parameter values the step started from (its update made the current ones).
    """

    x: np.ndarray
    y: np.ndarray
    loss: float
    outputs: list[np.ndarray]
    output_grads: list[np.ndarray]
    before: list[np.ndarray]
    learning_rate: float


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float | None


class Trainer:
    """`step()` = zero_grad → forward → loss (+ L2) → backward → optimizer step, on one batch.

    Args:
        model, loss, optimizer: the pieces; `optimizer` may be swapped between steps.
        dataset: anything with `len()` and `batch(indices) -> (x, y)`.
        batch_size: 1 is per-sample SGD, `len(dataset)` is plain gradient descent; may change
            between steps (the current epoch continues in the new size).
        rng: reshuffles the order at the start of every epoch.
        l2: λ of the penalty (λ/2)·Σ W² on weights (not biases); adds λW to each dW.
    """

    def __init__(
        self,
        model: Sequential,
        loss: Loss,
        optimizer: Optimizer,
        dataset,
        batch_size: int = 32,
        rng: np.random.Generator | None = None,
        l2: float = 0.0,
    ) -> None:
        if len(dataset) == 0:
            raise ValueError("cannot train on an empty dataset")
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.dataset = dataset
        self.batch_size = batch_size
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.l2 = float(l2)
        self.history: list[StepResult] = []
        self.steps = 0
        self.epoch = 0
        self._in_order = self._order = np.arange(len(dataset))
        self._cursor = len(dataset)  # forces a shuffle before the first batch
        self._params = model.parameters()
        self._backup = [np.empty_like(p.value) for p in self._params]
        self.last_record: StepRecord | None = None

    @property
    def batch_size(self) -> int:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int) -> None:
        if int(value) < 1:
            raise ValueError(f"batch size must be at least 1, got {value}")
        self._batch_size = min(int(value), len(self.dataset))

    def _next_indices(self) -> np.ndarray:
        n = len(self.dataset)
        if self._cursor >= n:
            # a full batch sees every row at once, so its order cannot matter: skip the shuffle
            self._order = self._in_order if self._batch_size >= n else self.rng.permutation(n)
            self._cursor = 0
        indices = self._order[self._cursor : self._cursor + self._batch_size]
        self._cursor += len(indices)
        return indices

    def step(self, record: bool = False) -> StepResult:
        """Train on the next mini-batch and return its result.

        With `record=True` every intermediate array is kept in `last_record` (slower; for
        showing the math of this one step).
        """
        cursor, order = self._cursor, self._order
        x, y = self.dataset.batch(self._next_indices())
        outputs, grads = ([], []) if record else (None, None)
        self.model.zero_grad()
        logits = self.model.forward(x, training=True, outputs=outputs)
        loss, grad_logits = self.loss.value_and_gradient(y, logits)
        loss += self.l2_penalty()
        if not math.isfinite(loss):
            self._cursor, self._order = cursor, order
            self._restore()
            raise TrainingDiverged(_diverged_message(loss, self))
        self.model.backward(grad_logits, grads)
        if self.l2:
            for p in self._params:
                if p.regularize:
                    p.grad += self.l2 * p.value
        for p, saved in zip(self._params, self._backup, strict=True):
            np.copyto(saved, p.value)
        if record:
            before = [saved.copy() for saved in self._backup]
            lr = self.optimizer.learning_rate
            self.last_record = StepRecord(x, y, loss, outputs, grads, before, lr)
        self.optimizer.step(self._params)
        self.steps += 1
        if self._cursor >= len(self.dataset):
            self.epoch += 1
        result = StepResult(self.steps, self.epoch, loss, accuracy(y, logits))
        self.history.append(result)
        return result

    def run(self, n_steps: int) -> list[StepResult]:
        return [self.step() for _ in range(n_steps)]

    def run_epoch(self) -> list[StepResult]:
        """Steps until the current epoch ends (a whole epoch when called at a boundary)."""
        results = [self.step()]
        while self._cursor < len(self.dataset):
            results.append(self.step())
        return results

    def evaluate(self, dataset, batch_size: int = 4096) -> Evaluation:
        """Loss and accuracy of the current model on `dataset` (no dropout, no update)."""
        total_loss, correct, n = 0.0, 0.0, len(dataset)
        for start in range(0, n, batch_size):
            x, y = dataset.batch(np.arange(start, min(start + batch_size, n)))
            logits = self.model.forward(x)
            total_loss += self.loss(y, logits) * len(x)
            acc = accuracy(y, logits)
            correct = None if acc is None else correct + acc * len(x)
        return Evaluation(total_loss / n, None if correct is None else correct / n)

    def l2_penalty(self) -> float:
        """(λ/2)·Σ W² over the weights (biases are not penalized)."""
        if not self.l2:
            return 0.0
        squares = sum(float(np.vdot(p.value, p.value)) for p in self._params if p.regularize)
        return 0.5 * self.l2 * squares

    def _restore(self) -> None:
        if self.steps:
            for p, saved in zip(self._params, self._backup, strict=True):
                np.copyto(p.value, saved)
        self.optimizer.reset()

    def __repr__(self) -> str:
        return (
            f"Trainer({self.model!r}; {self.loss!r}; {self.optimizer!r}; "
            f"batch {self.batch_size}; step {self.steps}, epoch {self.epoch})"
        )


def _diverged_message(loss: float, trainer: Trainer) -> str:
    """What happened and what to try, naming only the settings this trainer has."""
    lr, l2 = trainer.optimizer.learning_rate, trainer.l2
    tips = [f"a smaller learning rate (now {lr:g})"]
    if l2:
        # W ← (1 − α·λ)·W − α·dW: past α·λ = 2 the "shrink" flips the weights and grows them
        factor = 1 - lr * l2
        tips.append(f"a smaller L2 penalty (now λ = {l2:g}: each step scales W by {factor:.3g})")
    tips += ["a larger batch", "an adaptive optimizer such as adam"]
    return (
        f"The loss became {loss} at step {trainer.steps + 1}: the updates grew too large and "
        f"the numbers overflowed. The network was put back to its last finite state. Try "
        f"{', '.join(tips[:-1])} or {tips[-1]}."
    )
