"""A live playground run: the trainer, its data, and the curves recorded so far."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields

from nnviz.core import get_optimizer, gradient_norms
from nnviz.datasets import Dataset
from nnviz.playground.config import RunConfig, build_trainer


@dataclass
class History:
    """What the curves show, one row per recorded frame (full-set loss, not batch loss).

    Past `limit` rows every other old row is dropped, so a long run stays cheap to draw.
    """

    steps: list[int] = field(default_factory=list)
    epochs: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    test_loss: list[float | None] = field(default_factory=list)
    train_accuracy: list[float | None] = field(default_factory=list)
    test_accuracy: list[float | None] = field(default_factory=list)
    grad_norms: list[list[float]] = field(default_factory=list)
    limit: int = 1000

    def append(self, **row: object) -> None:
        columns = [f.name for f in fields(self) if f.name != "limit"]
        if self.steps and self.steps[-1] == row["steps"]:
            for name in columns:
                getattr(self, name).pop()
        for name in columns:
            getattr(self, name).append(row[name])
        if len(self.steps) > self.limit:
            for name in columns:
                column = getattr(self, name)
                column[:-1] = column[:-1:2]

    def accuracy(self) -> tuple[str, float | None]:
        """The accuracy to show: on the held-out test points when there are any, else on the
        training points; None for regression."""
        if self.test_accuracy[-1] is not None:
            return "Test accuracy", self.test_accuracy[-1]
        return "Train accuracy", self.train_accuracy[-1]


class Run:
    """A live playground run: the trainer, its data, and the curves recorded so far.

    Live settings (`LIVE_FIELDS`) apply in place through `reconfigure`; anything else needs a
    new `Run`. Training raises `TrainingDiverged` after the trainer restored the last finite
    weights; the frames recorded before stay in `history`.
    """

    def __init__(self, config: RunConfig, dataset: Dataset | None = None) -> None:
        self.config = config
        self.dataset = dataset
        self.trainer, self.data = build_trainer(config, dataset)
        self.history = History()
        self.record()

    @property
    def steps(self) -> int:
        return self.trainer.steps

    def reconfigure(self, config: RunConfig) -> None:
        """Apply a config that differs only in live settings, keeping weights and curves."""
        if self.config.needs_rebuild(config):
            raise ValueError("this change needs a new Run (data, network or loss changed)")
        trainer = self.trainer
        if config.optimizer != trainer.optimizer.name:
            trainer.optimizer = get_optimizer(config.optimizer, learning_rate=config.learning_rate)
        trainer.optimizer.learning_rate = config.learning_rate
        trainer.batch_size = config.batch_size
        trainer.l2 = config.l2
        self.config = config

    def advance(self, n_steps: int, seconds: float | None = None) -> int:
        """Up to `n_steps` mini-batch steps, then record; returns how many were taken.

        Fewer when the epoch limit is reached, or when `seconds` have passed: one server
        trains a whole class's runs, so a frame's work is bounded in time, not only in steps.
        """
        deadline = None if seconds is None else time.perf_counter() + seconds
        done = 0
        try:
            while done < n_steps and not self._epochs_done():
                self.trainer.step()
                done += 1
                if deadline is not None and time.perf_counter() > deadline:
                    break
        finally:
            self.record()
        return done

    def step_epoch(self) -> None:
        """Train to the end of the current epoch, then record."""
        try:
            self.trainer.run_epoch()
        finally:
            self.record()

    def record(self) -> None:
        trainer, data = self.trainer, self.data
        train = trainer.evaluate(data.train_inputs)
        test = None if data.test_inputs is None else trainer.evaluate(data.test_inputs)
        self.history.append(
            steps=trainer.steps,
            epochs=trainer.epoch,
            train_loss=train.loss,
            test_loss=None if test is None else test.loss,
            train_accuracy=train.accuracy,
            test_accuracy=None if test is None else test.accuracy,
            grad_norms=gradient_norms(trainer.model),
        )

    @property
    def finished(self) -> str | None:
        """Why training should stop (a stop condition was met), or None."""
        if self._epochs_done():
            return f"Stopped after {self.config.stop_epochs} epochs, as asked."
        loss = self.history.train_loss[-1]
        if self.config.stop_loss and self.steps and loss <= self.config.stop_loss:
            return f"Stopped: the training loss {loss:.4g} reached {self.config.stop_loss:g}."
        return None

    def _epochs_done(self) -> bool:
        return bool(self.config.stop_epochs) and self.trainer.epoch >= self.config.stop_epochs

    def __repr__(self) -> str:
        return f"Run({self.data.train.name}, step {self.steps}, {self.trainer.model!r})"
