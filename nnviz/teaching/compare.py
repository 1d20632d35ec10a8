"""Several runs side by side on the same data and seed: change one thing, see what it does.

A `Comparison` trains two or three `Run`s made from one base config and a few changes each.
Changes may touch the network and the training, never the data (`DATA_FIELDS`): with one
seed every run gets the same points, the same split, and — where the shapes agree — the same
initial weights and the same batch order, so the only difference is the one you made.

    comparison = Comparison(EXPERIMENTS["optimizer"].base, EXPERIMENTS["optimizer"].variants)
    comparison.advance(100)             # every run not paused takes 100 steps
    comparison.results()                # one row per run
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from nnviz.core import TrainingDiverged
from nnviz.datasets import Dataset
from nnviz.playground.config import RunConfig
from nnviz.playground.run import Run

DATA_FIELDS = ("dataset", "n_samples", "noise", "test_fraction", "seed", "standardize", "features")
MAX_RUNS = 3


@dataclass(frozen=True)
class Variant:
    """One run of a comparison: a label and the config fields it changes."""

    label: str
    changes: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Experiment:
    """A classic comparison: what to change, on which setup, and what to look for."""

    title: str
    question: str
    watch: str
    base: RunConfig
    variants: tuple[Variant, ...]


def variant_configs(base: RunConfig, variants: Sequence[Variant]) -> list[RunConfig]:
    """The config of each run; a change of a data field raises `ValueError` (the runs would
    no longer see the same points)."""
    if not 2 <= len(variants) <= MAX_RUNS:
        raise ValueError(f"compare 2 to {MAX_RUNS} runs, got {len(variants)}")
    configs = []
    for variant in variants:
        touched = sorted(set(variant.changes) & set(DATA_FIELDS))
        if touched:
            raise ValueError(
                f"{variant.label!r} changes the data ({', '.join(touched)}); every run of a "
                "comparison trains on the same points"
            )
        configs.append(replace(base, **variant.changes))
    return configs


class Comparison:
    """Runs that train side by side; each can be paused and stepped on its own.

    A run whose loss diverges is paused with the reason in `errors`; the others go on.
    """

    def __init__(
        self, base: RunConfig, variants: Sequence[Variant], dataset: Dataset | None = None
    ) -> None:
        self.base = base
        self.variants = tuple(variants)
        self.labels = [v.label for v in variants]
        self.runs = [Run(config, dataset) for config in variant_configs(base, variants)]
        self.paused = [False] * len(self.runs)
        self.errors: list[str | None] = [None] * len(self.runs)

    def advance(self, n_steps: int) -> None:
        """`n_steps` steps for every run that is not paused."""
        for i in range(len(self.runs)):
            if not self.paused[i]:
                self.step(i, n_steps)

    def step(self, i: int, n_steps: int = 1) -> None:
        """`n_steps` steps of run `i`, paused or not (the Step button of one run)."""
        if self.errors[i] is not None:
            return
        try:
            self.runs[i].advance(n_steps)
        except TrainingDiverged as err:
            self.paused[i] = True
            self.errors[i] = str(err)

    def toggle(self, i: int) -> None:
        self.paused[i] = not self.paused[i]

    @property
    def all_paused(self) -> bool:
        return all(self.paused)

    def results(self) -> list[dict]:
        """One row per run: its label, where it is, and its latest losses and accuracies."""
        rows = []
        for label, run, error in zip(self.labels, self.runs, self.errors, strict=True):
            h = run.history
            rows.append(
                {
                    "run": label,
                    "step": run.steps,
                    "epoch": run.trainer.epoch,
                    "train loss": h.train_loss[-1],
                    "test loss": h.test_loss[-1],
                    "train accuracy": h.train_accuracy[-1],
                    "test accuracy": h.test_accuracy[-1],
                    "diverged": error is not None,
                }
            )
        return rows

    def __repr__(self) -> str:
        return f"Comparison({' vs '.join(self.labels)}, steps {[r.steps for r in self.runs]})"


EXPERIMENTS: dict[str, Experiment] = {
    "activation": Experiment(
        "Sigmoid vs tanh vs ReLU",
        "Which activation lets a deep network learn?",
        "Three hidden layers of 6 units on the circles. Sigmoid's slope is at most 1/4, and "
        "backprop multiplies one slope per layer: the first layers get almost no gradient and "
        "the sigmoid network stays stuck at the flat loss of 0.69 (a coin toss). Tanh and ReLU "
        "pass gradients through and carve the circle.",
        RunConfig(dataset="circles", hidden=(6, 6, 6), learning_rate=0.1, batch_size=10),
        (
            Variant("sigmoid", {"activations": ("sigmoid",)}),
            Variant("tanh", {"activations": ("tanh",)}),
            Variant("ReLU", {"activations": ("relu",)}),
        ),
    ),
    "optimizer": Experiment(
        "SGD vs momentum vs Adam",
        "Does the way you step matter as much as the direction?",
        "Same network, same learning rate 0.03, same batches. Plain SGD creeps; momentum "
        "builds up speed along directions the gradient keeps pointing to; Adam rescales every "
        "weight's step and gets there first. Compare the loss curves in the first 200 steps.",
        RunConfig(dataset="circles", hidden=(6, 6), learning_rate=0.03, batch_size=10),
        (
            Variant("SGD", {"optimizer": "sgd"}),
            Variant("momentum", {"optimizer": "momentum"}),
            Variant("Adam", {"optimizer": "adam"}),
        ),
    ),
    "init": Experiment(
        "×0.01 initial weights vs Xavier",
        "Why do the starting weights matter?",
        "A 2-4-1 tanh network on noisy XOR. With weights ×0.01 every hidden unit starts almost "
        "the same and almost silent, so the gradients are tiny and the loss sits at 0.69. "
        "Xavier (Glorot) weights are large enough to break the symmetry: the loss drops at once.",
        RunConfig(dataset="xor", hidden=(4,), learning_rate=0.3, batch_size=10),
        (
            Variant("×0.01 (small random)", {"initializer": "small_random"}),
            Variant("Xavier (Glorot)", {"initializer": "glorot_uniform"}),
        ),
    ),
    "learning_rate": Experiment(
        "Learning rate: too small, about right, too large",
        "How big should a step be?",
        "α = 0.003 barely moves in 1,000 steps; α = 0.1 walks steadily downhill; α = 3 jumps "
        "around the valley — its loss curve is jagged and may never settle.",
        RunConfig(dataset="circles", hidden=(4, 2)),
        (
            Variant("α = 0.003", {"learning_rate": 0.003}),
            Variant("α = 0.1", {"learning_rate": 0.1}),
            Variant("α = 3", {"learning_rate": 3.0}),
        ),
    ),
    "batch": Experiment(
        "Batch size 1 vs 10 vs all",
        "How many samples should one step look at?",
        "One sample per step is noisy — the loss curve shakes — but each step is cheap. All "
        "samples per step (gradient descent) is smooth but needs a whole pass of the data per "
        "step. Compare the curves per step, then look at the epoch column of the table.",
        RunConfig(dataset="circles", hidden=(4, 2), learning_rate=0.1),
        (
            Variant("batch 1", {"batch_size": 1}),
            Variant("batch 10", {"batch_size": 10}),
            Variant("all (gradient descent)", {"batch_size": 1000}),
        ),
    ),
}
