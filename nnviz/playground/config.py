"""One playground run as data: `RunConfig` ⇄ URL query, `build_trainer(config)`, and `Run`.

Every setting lives in one frozen record (TensorFlow Playground's `state.ts` idea), so a URL
reproduces a run: same seed, same data, same initial weights, same batches, bit for bit.

    config = RunConfig(dataset="spirals", hidden=(8, 8), optimizer="adam")
    RunConfig.from_query(config.to_query()) == config        # True
    trainer, data = build_trainer(config)
"""

from __future__ import annotations

import math
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

import numpy as np

from nnviz.core import (
    ACTIVATIONS,
    INITIALIZERS,
    OPTIMIZERS,
    Trainer,
    build_mlp,
    get_loss,
    get_optimizer,
)
from nnviz.core.limits import CSV_ROWS
from nnviz.core.probes import Box
from nnviz.datasets import (
    DATASETS,
    FEATURES,
    Dataset,
    DatasetError,
    Standardizer,
    add_features,
    get_dataset,
    train_test_split,
)

CSV = "csv"
TABLES = ("xor_table", "toy")  # fixed point sets: no sampling, no noise, no held-out test set
LOSS_CHOICES = ("cross_entropy", "mse")
HIDEABLE = (
    "data",
    "features",
    "network",
    "regularization",
    "loss",
    "optimizer",
    "learning_rate",
    "batch_size",
    "speed",
)
# Settings a running trainer takes in place (no rebuild):
LIVE_FIELDS = (
    "learning_rate",
    "optimizer",
    "batch_size",
    "l2",
    "steps_per_frame",
    "stop_epochs",
    "stop_loss",
    "hide",
)
MAX_LAYERS, MAX_UNITS = 6, 32
# The one place a numeric setting's range is written: validation (and so every link) and the
# widgets that set it both read it, so a value a link may carry is one a widget can show.
RANGES: dict[str, tuple[float, float]] = {
    "n_samples": (10, 1000),
    "noise": (0.0, 1.0),
    "test_fraction": (0.0, 0.9),
    "seed": (0, 999_999),
    "dropout": (0.0, 0.8),
    "l2": (0.0, 1.0),
    "learning_rate": (1e-6, 1000.0),
    "batch_size": (1, CSV_ROWS),  # all of the largest CSV
    "steps_per_frame": (1, 1000),
    "stop_epochs": (0, 100_000),
    "stop_loss": (0.0, 100.0),
}


@dataclass(frozen=True)
class RunConfig:
    """Every setting of a playground run. Invalid values raise `ValueError` on construction.

    `activations` has one name per hidden layer; a shorter tuple repeats its last name.
    `test_fraction` is the held-out share; `stop_epochs` / `stop_loss` of 0 mean "never stop".
    `hide` names control groups (`HIDEABLE`) a classroom link hides from students.
    """

    dataset: str = "circles"
    n_samples: int = 200
    noise: float = 0.1
    test_fraction: float = 0.3
    seed: int = 0
    standardize: bool = False
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activations: tuple[str, ...] = ("tanh", "tanh")
    initializer: str = "glorot_uniform"
    dropout: float = 0.0
    l2: float = 0.0
    loss: str = "cross_entropy"
    optimizer: str = "sgd"
    learning_rate: float = 0.1
    batch_size: int = 10
    steps_per_frame: int = 10
    stop_epochs: int = 0
    stop_loss: float = 0.0
    hide: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name in ("features", "hidden", "activations", "hide"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        acts = self.activations or ("tanh",)
        acts = (acts + acts[-1:] * len(self.hidden))[: len(self.hidden)]
        object.__setattr__(self, "activations", acts)
        _validate(self)

    @property
    def is_table(self) -> bool:
        return self.dataset in TABLES

    def needs_rebuild(self, other: RunConfig) -> bool:
        """True when `other` changes data, network or loss; live settings never need one."""
        return replace(self, **{name: getattr(other, name) for name in LIVE_FIELDS}) != other

    def to_query(self) -> dict[str, str]:
        """The settings that differ from the defaults, as URL query strings."""
        default = RunConfig()
        alike = replace(default, hidden=self.hidden)  # tanh everywhere, at this depth
        return {
            f.name: _encode(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name)
            != getattr(alike if f.name == "activations" else default, f.name)
        }

    @classmethod
    def from_query(cls, params: Mapping[str, str | list[str]]) -> RunConfig:
        """The config a URL describes; unknown keys and invalid values keep their defaults."""
        return parse_query(params)[0]


def parse_query(params: Mapping[str, str | list[str]]) -> tuple[RunConfig, list[str]]:
    """`(config, ignored)`: the config, and the query keys that were unknown or invalid."""
    hints = typing.get_type_hints(RunConfig)
    config, ignored = RunConfig(), []
    for key, raw in params.items():
        text = raw[-1] if isinstance(raw, list) else raw
        try:
            config = replace(config, **{key: _decode(text, hints[key])})
        except (KeyError, TypeError, ValueError):
            ignored.append(key)
    return config, ignored


def _encode(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return repr(value) if isinstance(value, float) else str(value)


def _decode(text: str, hint: object) -> object:
    if hint is bool:
        if text not in ("0", "1", "true", "false"):
            raise ValueError(f"not a boolean: {text!r}")
        return text in ("1", "true")
    if hint in (int, float):
        return hint(text)
    if hint is str:
        return text
    item = typing.get_args(hint)[0]
    return tuple(item(part) for part in text.split(",")) if text else ()


def _validate(c: RunConfig) -> None:
    def check(ok: bool, message: str) -> None:
        if not ok:
            raise ValueError(message)

    check(c.dataset in DATASETS or c.dataset == CSV, f"unknown dataset {c.dataset!r}")
    for name, (low, high) in RANGES.items():
        value = getattr(c, name)
        check(math.isfinite(value), f"{name} must be a finite number, got {value}")
        check(low <= value <= high, f"{name} must be in {low:g}…{high:g}, got {value:g}")
    check(len(c.features) > 0, "choose at least one input feature")
    check(len(set(c.features)) == len(c.features), f"repeated features: {c.features}")
    check(set(c.features) <= set(FEATURES), f"unknown feature in {c.features}")
    check(len(c.hidden) <= MAX_LAYERS, f"at most {MAX_LAYERS} hidden layers, got {c.hidden}")
    check(all(1 <= n <= MAX_UNITS for n in c.hidden), f"1…{MAX_UNITS} units each: {c.hidden}")
    check(set(c.activations) <= set(ACTIVATIONS), f"unknown activation in {c.activations}")
    check(c.initializer in INITIALIZERS, f"unknown initializer {c.initializer!r}")
    check(c.loss in LOSS_CHOICES, f"loss must be one of {LOSS_CHOICES}, got {c.loss!r}")
    check(c.optimizer in OPTIMIZERS, f"unknown optimizer {c.optimizer!r}")
    check(set(c.hide) <= set(HIDEABLE), f"hide takes names from {HIDEABLE}, got {c.hide}")


@dataclass(frozen=True)
class InputMap:
    """Raw 2-D points → the network's inputs: engineered features, then standardization.

    The decision-boundary grid goes through the same map, so the picture shows what the
    network computes on the plane the user sees.
    """

    features: tuple[str, ...]
    scaler: Standardizer | None = None

    def __call__(self, points: np.ndarray) -> np.ndarray:
        x = add_features(points, self.features)
        return x if self.scaler is None else self.scaler.transform(x)


@dataclass(frozen=True)
class PlaygroundData:
    """The split data twice: raw 2-D points for the pictures, mapped inputs for the network."""

    train: Dataset
    test: Dataset | None
    train_inputs: Dataset
    test_inputs: Dataset | None
    inputs: InputMap
    box: Box

    @property
    def task(self) -> str:
        return self.train.task


def plot_box(x: np.ndarray, margin: float = 0.1) -> Box:
    """The square `(x0, x1, y0, y1)` around points `x (n, 2)`, padded by `margin` of its side."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    half = (1 + 2 * margin) * max(float((hi - lo).max()), 1e-3) / 2
    cx, cy = (lo + hi) / 2
    return (float(cx - half), float(cx + half), float(cy - half), float(cy + half))


def build_trainer(
    config: RunConfig, dataset: Dataset | None = None
) -> tuple[Trainer, PlaygroundData]:
    """A fresh trainer for `config` and the data it trains on.

    One seed drives four independent generators (data, split, initial weights, batch order),
    so changing the batch size does not change the sample. `dataset` supplies the points for
    `config.dataset == "csv"` (an upload cannot live in a URL).
    """
    data_rng, split_rng, init_rng, train_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(config.seed).spawn(4)
    )
    if dataset is None:
        if config.dataset == CSV:
            raise DatasetError("the CSV dataset needs an uploaded file")
        dataset = get_dataset(
            config.dataset, n_samples=config.n_samples, noise=config.noise, rng=data_rng
        )
    if dataset.n_features != 2:
        raise DatasetError(f"the playground needs 2 input columns, got {dataset.n_features}")
    fraction = 0.0 if config.is_table else config.test_fraction
    train, test = train_test_split(dataset, fraction, split_rng)
    scaler = (
        Standardizer.fit(add_features(train.x, config.features)) if config.standardize else None
    )
    inputs = InputMap(config.features, scaler)
    train_in = Dataset(inputs(train.x), train.y, train.name)
    test_in = None if test is None else Dataset(inputs(test.x), test.y, test.name)
    task = dataset.task
    if task == "regression":
        outputs = dataset.y.shape[1]
    else:
        outputs = 1 if task == "binary" else dataset.n_classes
    model = build_mlp(
        [len(config.features), *config.hidden, outputs],
        list(config.activations),
        initializer=config.initializer,
        dropout=config.dropout,
        output="linear" if task == "regression" else "auto",
        rng=init_rng,
    )
    trainer = Trainer(
        model,
        make_loss(config.loss, task),
        get_optimizer(config.optimizer, learning_rate=config.learning_rate),
        train_in,
        batch_size=config.batch_size,
        rng=train_rng,
        l2=config.l2,
    )
    return trainer, PlaygroundData(train, test, train_in, test_in, inputs, plot_box(dataset.x))


def train_size(config: RunConfig, dataset: Dataset | None = None) -> int:
    """How many points `build_trainer` will train on (the batch-size slider's maximum)."""
    if dataset is not None:
        n = len(dataset)
    elif config.dataset == CSV:
        return 1
    else:
        n = len(DATASETS[config.dataset]()) if config.is_table else config.n_samples
    held_out = 0 if config.is_table else min(round(n * config.test_fraction), n - 1)
    return n - held_out


def make_loss(choice: str, task: str):
    """ "cross_entropy" or "mse" for a task. Regression is always mse; for classes, mse is
    taken on the probabilities (the classic tutorials' choice), not on the logits."""
    if task == "regression":
        return get_loss("mse")
    if choice == "mse":
        return get_loss("mse", link="sigmoid" if task == "binary" else "softmax")
    return get_loss("binary_crossentropy" if task == "binary" else "categorical_crossentropy")
