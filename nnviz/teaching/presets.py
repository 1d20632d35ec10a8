"""Classroom presets: the classic tutorials replayed, as data — a setup and what to watch.

A preset holds a Playground `RunConfig` or an MNIST `MnistConfig`, the tutorial it replays,
and a few sentences for the class. The Classroom page opens one from a link:

    ?preset=xor-stall&hide=network,data      # the preset, with two control groups hidden

`preset_query` writes that query and `parse_preset_query` reads it back (any page may: the
MNIST presets' `mnist` config is what a Train-on-MNIST page would load).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from nnviz.digits.mnist_run import MnistConfig
from nnviz.playground.config import HIDEABLE, RunConfig


@dataclass(frozen=True)
class Preset:
    """One lesson. Exactly one of `config` (Playground) and `mnist` (MNIST) is set."""

    key: str
    title: str
    source: str
    summary: str
    watch: tuple[str, ...]
    config: RunConfig | None = None
    mnist: MnistConfig | None = None

    def __post_init__(self) -> None:
        if (self.config is None) == (self.mnist is None):
            raise ValueError(f"preset {self.key!r} needs exactly one of config and mnist")

    @property
    def network(self) -> str:
        """The network in the tutorials' notation: "2-3-1 sigmoid", "784-10-10 relu"."""
        if self.mnist is not None:
            return self.mnist.name
        sizes = [len(self.config.features), *self.config.hidden, 1]
        if not self.config.hidden:
            return "-".join(map(str, sizes)) + ", a single neuron"
        return "-".join(map(str, sizes)) + " " + "/".join(sorted(set(self.config.activations)))


def preset_query(preset: Preset, hide: Sequence[str] = ()) -> dict[str, str]:
    """The link's query: the preset's key and the control groups hidden from students."""
    query = {"preset": preset.key}
    hidden = [name for name in HIDEABLE if name in hide]
    if hidden:
        query["hide"] = ",".join(hidden)
    return query


def parse_preset_query(params: Mapping[str, str | list[str]]) -> tuple[Preset | None, tuple]:
    """`(preset, hide)` from a link's query; `(None, ())` without a known preset. Unknown
    names in `hide` are dropped."""

    def last(name: str) -> str:
        value = params.get(name, "")
        return value[-1] if isinstance(value, list) else value

    preset = PRESETS.get(last("preset"))
    if preset is None:
        return None, ()
    asked = last("hide").split(",")
    return preset, tuple(name for name in HIDEABLE if name in asked)


def lesson_config(preset: Preset, hide: Sequence[str] = ()) -> RunConfig:
    """A Playground preset's config with `hide` applied."""
    if preset.config is None:
        raise ValueError(f"{preset.key!r} is an MNIST preset, it has no Playground config")
    return replace(preset.config, hide=tuple(name for name in HIDEABLE if name in hide))


_PRESETS = (
    Preset(
        "single-neuron",
        "A single neuron",
        "Real Python, “Python AI: How to Build a Neural Network & Make Predictions”",
        "One neuron, eight points, one sample per step: squared error, SGD with α = 0.1.",
        (
            "There is no hidden layer: the whole network is one neuron, σ(w₁x₁ + w₂x₂ + b), so "
            "its decision boundary is a straight line.",
            "Each step learns from one point (batch size 1), so the line is tugged towards one "
            "point at a time and the loss curve zigzags instead of falling smoothly.",
            "These eight points cannot be split by one straight line: the accuracy hovers at 4 "
            "or 5 of 8. What would the network need to do better?",
            "On *Step through the math*, a single neuron's dW is just the input times its "
            "error: Xᵀ·dZ with one row.",
        ),
        config=RunConfig(
            dataset="toy",
            hidden=(),
            loss="mse",
            optimizer="sgd",
            learning_rate=0.1,
            batch_size=1,
            steps_per_frame=2,
        ),
    ),
    Preset(
        "xor-stall",
        "XOR that stalls: 2-3-1 sigmoid, weights ×0.01",
        "the classic NumPy XOR tutorials (weights initialised as randn × 0.01)",
        "Four points, three sigmoid neurons, tiny starting weights: it does not learn. Why?",
        (
            "The loss sits at 0.693 = ln 2 and the picture stays a flat 50 %: the network "
            "answers 0.5 for every input, a coin toss.",
            "With weights ×0.01 every hidden neuron starts almost the same and sits in the flat "
            "middle of the sigmoid. The three get the same push at every step and stay alike, "
            "so together they act like one neuron — and one neuron cannot do XOR.",
            "Measure it: on *Step through the math*, inspect the Playground's run. The first "
            "layer's gradients are about 10⁻⁶ at the start and 10⁻⁸ once stalled (the gradient "
            "check still agrees — they really are that small).",
            "Next preset: change the shape, the activation and the starting weights.",
        ),
        config=RunConfig(
            dataset="xor_table",
            hidden=(3,),
            activations=("sigmoid",),
            initializer="small_random",
            learning_rate=0.5,
            batch_size=4,
        ),
    ),
    Preset(
        "xor-learns",
        "XOR that learns: 2-4-1 tanh, Xavier weights",
        "the classic NumPy XOR tutorials, with a better start",
        "Four tanh neurons that start different from each other: XOR in a few hundred steps.",
        (
            "The loss falls below 0.1 within about 200 steps and all four points end up on "
            "the right side.",
            "Open the Neurons tab: each hidden neuron draws its own line; the output combines "
            "two of them into the XOR shape.",
            "Which change mattered? On *Compare runs*, “×0.01 initial weights vs Xavier” "
            "changes only the starting weights.",
        ),
        config=RunConfig(
            dataset="xor_table",
            hidden=(4,),
            activations=("tanh",),
            initializer="glorot_uniform",
            learning_rate=0.5,
            batch_size=4,
        ),
    ),
    Preset(
        "mnist-gd",
        "MNIST 784-10-10, full-batch gradient descent",
        "the classic “MNIST from scratch in NumPy” tutorial (784-10-10, ReLU, softmax, α = 0.1)",
        "Ten hidden ReLU units, every step on all 10,000 training images, plain gradient descent.",
        (
            "One step looks at all 10,000 training images, so one step is one epoch and the "
            "loss curve is smooth.",
            "The test accuracy climbs slowly: roughly 80 % after 100 steps and nearly 89 % by "
            "300 — the tutorial's result.",
            "After training, *What it learned* shows the ten first-layer units as 28×28 "
            "images: blurry strokes, not digits — ten units are few.",
        ),
        mnist=MnistConfig(
            train_size=10_000,
            hidden=(10,),
            activation="relu",
            optimizer="sgd",
            learning_rate=0.1,
            batch_size=10_000,
            epochs=300,
        ),
    ),
    Preset(
        "mnist-adam",
        "MNIST 784-10-10, full batch, with Adam",
        "the same tutorial, with the Adam optimizer (α = 0.01)",
        "The same network, data and number of steps; only the optimizer changes.",
        (
            "Adam passes 90 % test accuracy within about 75 steps, where gradient descent needs "
            "around 300 to reach 88 %.",
            "Adam gives every weight its own step size from the history of its gradients: "
            "weights with small, steady gradients move faster.",
            "Run this one after the gradient-descent preset and compare the curves.",
        ),
        mnist=MnistConfig(
            train_size=10_000,
            hidden=(10,),
            activation="relu",
            optimizer="adam",
            learning_rate=0.01,
            batch_size=10_000,
            epochs=300,
        ),
    ),
)
PRESETS: dict[str, Preset] = {p.key: p for p in _PRESETS}
