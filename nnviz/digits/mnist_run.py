"""One MNIST training run as data: `MnistConfig` → `MnistRun`, advanced by a time budget.

The Train page calls `run.advance(seconds)` once per frame: it trains whole steps until the
budget is spent, so each frame costs the same wall time whatever the network's size, and the
drawing in between stays a small share of it. At every epoch's end the model is scored on the
full test set (`DigitReport`), which feeds the accuracy curve and the "what it learned" views.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from nnviz.core import (
    ACTIVATIONS,
    OPTIMIZERS,
    Conv2D,
    Trainer,
    build_cnn,
    build_mlp,
    get_loss,
    get_optimizer,
)
from nnviz.datasets import DatasetError, ImageDataset
from nnviz.datasets.augment import AugmentedImages
from nnviz.datasets.mnist import MNIST_CREDIT
from nnviz.digits.inspection import DigitReport, evaluate_digits

MIN_TRAIN, MAX_TRAIN = 1_000, 60_000
MAX_HIDDEN_LAYERS, MAX_UNITS = 3, 512
KINDS = ("mlp", "cnn")
MAX_CONV_LAYERS, MAX_FILTERS, KERNEL = 2, 32, 5
# One step of the largest CNN on 256 images takes ~0.15 s on one core: well inside the Train
# page's 0.5 s of work per frame, so Pause still answers at once. 1024 images took 0.8 s.
MAX_CNN_BATCH = 256
MAX_GAP = 2.0  # seconds between two `advance` calls beyond which the clock counts a pause


@dataclass(frozen=True)
class MnistConfig:
    """Every setting of an MNIST run; invalid values raise `ValueError` on construction.

    `kind="cnn"` puts `filters` conv blocks (5×5 filters, the chosen activation, 2×2
    max-pooling) before the `hidden` Dense layers; `filters` is ignored for an MLP.
    """

    train_size: int = 10_000
    hidden: tuple[int, ...] = (128,)
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    batch_size: int = 128
    epochs: int = 3
    augment: bool = False
    seed: int = 0
    kind: str = "mlp"
    filters: tuple[int, ...] = (8, 16)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; choose one of {KINDS}")
        if self.kind == "cnn" and not (
            1 <= len(self.filters) <= MAX_CONV_LAYERS
            and all(1 <= f <= MAX_FILTERS for f in self.filters)
        ):
            raise ValueError(f"1 … {MAX_CONV_LAYERS} conv layers of 1 … {MAX_FILTERS} filters")
        if self.kind == "cnn" and self.batch_size > MAX_CNN_BATCH:
            raise ValueError(f"a CNN trains on batches of at most {MAX_CNN_BATCH} images")
        if not MIN_TRAIN <= self.train_size <= MAX_TRAIN:
            raise ValueError(f"training-set size must be {MIN_TRAIN:,} … {MAX_TRAIN:,}")
        if len(self.hidden) > MAX_HIDDEN_LAYERS or not all(
            1 <= h <= MAX_UNITS for h in self.hidden
        ):
            raise ValueError(f"up to {MAX_HIDDEN_LAYERS} hidden layers of 1 … {MAX_UNITS} units")
        if self.activation not in ACTIVATIONS or self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown activation {self.activation!r} or optimizer")
        if self.learning_rate <= 0 or self.batch_size < 1 or self.epochs < 1:
            raise ValueError("learning rate, batch size and epochs must be positive")

    @property
    def sizes(self) -> list[int]:
        return [784, *self.hidden, 10]

    @property
    def name(self) -> str:
        if self.kind == "cnn":
            dense = "-".join(map(str, [*self.hidden, 10]))
            return f"conv {'-'.join(map(str, self.filters))} · {dense} {self.activation}"
        return "-".join(map(str, self.sizes)) + f" {self.activation}"

    def build(self, rng: np.random.Generator):
        """The untrained network these settings describe (float32, for speed)."""
        init = "he_normal" if self.activation in ("relu", "leaky_relu") else "glorot_uniform"
        if self.kind == "cnn":
            return build_cnn(
                (1, 28, 28),
                self.filters,
                KERNEL,
                self.hidden,
                activation=self.activation,
                initializer=init,
                rng=rng,
                dtype=np.float32,
            )
        return build_mlp(self.sizes, self.activation, initializer=init, rng=rng, dtype=np.float32)


class MnistRun:
    """A network training on (a subset of) MNIST, scored on the full test set every epoch.

    Args:
        config: the settings; `seed` fixes the subset, the initial weights and the batches.
        train, test: the MNIST splits (`load_mnist()`); only read, never changed.
    """

    def __init__(self, config: MnistConfig, train: ImageDataset, test: ImageDataset) -> None:
        if len(train) < config.train_size:
            raise DatasetError(
                f"only {len(train):,} training images, asked for {config.train_size:,}"
            )
        self.config, self.test = config, test
        subset_rng, init_rng, order_rng, augment_rng = np.random.default_rng(config.seed).spawn(4)
        if config.train_size < len(train):
            keep = np.sort(subset_rng.choice(len(train), config.train_size, replace=False))
            train = train.subset(keep)
        data = AugmentedImages(train.images, train.y, augment_rng) if config.augment else train
        self.model = config.build(init_rng)
        self.initial_weights = self.first_weights.copy()  # to show what training changed
        optimizer = get_optimizer(config.optimizer, learning_rate=config.learning_rate)
        loss = get_loss("categorical_crossentropy")
        self.trainer = Trainer(self.model, loss, optimizer, data, config.batch_size, order_rng)
        self.steps_per_epoch = math.ceil(config.train_size / self.trainer.batch_size)
        self.total_steps = self.steps_per_epoch * config.epochs
        self.losses: list[float] = []
        self.epoch_steps: list[int] = []
        self.reports: list[DigitReport] = []
        self.compute_seconds = 0.0  # time spent inside training steps and test scoring
        self.wall_seconds = 0.0  # from the first `advance` on, pauses excluded
        self._clock: float | None = None

    @property
    def steps(self) -> int:
        return self.trainer.steps

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def first_weights(self) -> np.ndarray:
        """The first layer's weights: an MLP's `(784, units)`, column j what unit j looks for;
        a CNN's filters `(filters, 1, 5, 5)`, each one the pattern its feature map lights up on."""
        return self.model.layers[self._first].weights.value

    def learned_weights(self, change: bool) -> np.ndarray:
        """What "What it learned" draws: the first layer's weights, or (`change`) what training
        added to them since the start; a CNN's filters averaged over their input channels
        `(filters, kh, kw)` (one channel for digits, so nothing is lost)."""
        weights = self.first_weights - self.initial_weights if change else self.first_weights
        return weights.mean(axis=1) if self.is_cnn else weights

    @property
    def _first(self) -> int:
        return next(i for i, layer in enumerate(self.model.layers) if hasattr(layer, "weights"))

    @property
    def is_cnn(self) -> bool:
        return isinstance(self.model.layers[self._first], Conv2D)

    @property
    def finished(self) -> bool:
        return self.steps >= self.total_steps

    @property
    def report(self) -> DigitReport | None:
        """The test-set report of the last finished epoch."""
        return self.reports[-1] if self.reports else None

    def advance(self, seconds: float) -> int:
        """Train whole steps until `seconds` have passed (at least one step); score the test
        set after each epoch. Returns the number of steps taken."""
        now = time.perf_counter()
        if self._clock is not None and now - self._clock < MAX_GAP:
            self.wall_seconds += now - self._clock  # a longer gap: nobody was watching
        self._clock = now
        start, taken = now, 0
        while not self.finished and (taken == 0 or time.perf_counter() - start < seconds):
            result = self.trainer.step()
            self.losses.append(result.train_loss)
            taken += 1
            if result.epoch > len(self.reports):
                self.epoch_steps.append(self.steps)
                self.reports.append(evaluate_digits(self.model, self.test))
        self.compute_seconds += time.perf_counter() - start
        if self.finished:
            self.pause()
        return taken

    def pause(self) -> None:
        """Stop the wall clock (the time until the next `advance` is not training time)."""
        if self._clock is not None:
            self.wall_seconds += time.perf_counter() - self._clock
            self._clock = None

    def elapsed_seconds(self) -> float:
        """Wall time since training began, drawing included, pauses excluded."""
        running = time.perf_counter() - self._clock if self._clock is not None else 0.0
        return self.wall_seconds + running

    def eta_seconds(self) -> float | None:
        """Wall time left at the pace so far (drawing included), None before any step."""
        if self.steps == 0:
            return None
        return self.elapsed_seconds() / self.steps * (self.total_steps - self.steps)

    @property
    def test_accuracy(self) -> list[float]:
        return [r.accuracy for r in self.reports]

    def metadata(self) -> dict:
        """What goes into a downloaded model file: how it was trained, how well it does."""
        c = self.config
        report = self.report
        return {
            "name": f"nnviz MNIST model {c.name}",
            "architecture": c.name,
            "trained_on": f"{c.train_size:,} MNIST training images"
            + (", augmented" if c.augment else ""),
            "optimizer": f"{c.optimizer}, learning rate {c.learning_rate:g}",
            "batch_size": c.batch_size,
            "epochs": self.epoch,
            "seed": c.seed,
            "mnist_test_accuracy": None if report is None else round(report.accuracy, 4),
            "credit": MNIST_CREDIT,
        }

    def __repr__(self) -> str:
        return f"MnistRun({self.config.name}, step {self.steps}/{self.total_steps})"
