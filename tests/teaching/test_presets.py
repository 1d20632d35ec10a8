"""Classroom presets: each loads and trains, links round-trip, the lessons behave as told."""

from __future__ import annotations

import math

import pytest

from nnviz.datasets import load_mnist
from nnviz.digits.mnist_run import MnistConfig, MnistRun
from nnviz.playground.config import RunConfig
from nnviz.playground.run import Run
from nnviz.teaching.presets import (
    PRESETS,
    Preset,
    lesson_config,
    parse_preset_query,
    preset_query,
)

PLAYGROUND = [key for key, p in PRESETS.items() if p.config is not None]
MNIST = [key for key, p in PRESETS.items() if p.mnist is not None]


def test_the_classic_lessons_are_there():
    assert PLAYGROUND == ["single-neuron", "xor-stall", "xor-learns"]
    assert MNIST == ["mnist-gd", "mnist-adam"]
    assert PRESETS["single-neuron"].config.hidden == ()  # a single neuron: no hidden layer
    assert PRESETS["single-neuron"].network == "2-1, a single neuron"
    assert PRESETS["xor-stall"].network == "2-3-1 sigmoid"
    assert PRESETS["mnist-gd"].network == "784-10-10 relu"
    gd, adam = (PRESETS[k].mnist for k in MNIST)
    assert gd.batch_size == gd.train_size  # full batch
    assert (gd.optimizer, adam.optimizer) == ("sgd", "adam")


@pytest.mark.parametrize("key", PLAYGROUND)
def test_every_playground_preset_loads_and_trains_a_step(key):
    run = Run(lesson_config(PRESETS[key], ["network"]))
    before = run.history.train_loss[-1]
    run.advance(1)
    assert run.steps == 1 and run.history.train_loss[-1] != before
    assert run.config.hide == ("network",)


@pytest.mark.mnist
@pytest.mark.parametrize("key", MNIST)
def test_every_mnist_preset_loads_and_trains_a_step(key, mnist_dir):
    train, test = load_mnist(mnist_dir)
    run = MnistRun(PRESETS[key].mnist, train, test)
    run.advance(0.0)  # at least one step
    assert run.steps == 1 and run.epoch == 1  # full batch: one step is one epoch
    assert math.isfinite(run.losses[0])


def test_links_round_trip_with_the_hidden_controls():
    preset = PRESETS["xor-stall"]
    query = preset_query(preset, ["optimizer", "network"])
    assert query == {"preset": "xor-stall", "hide": "network,optimizer"}
    assert parse_preset_query(query) == (preset, ("network", "optimizer"))
    assert parse_preset_query({"preset": ["xor-learns"]}) == (PRESETS["xor-learns"], ())


def test_bad_links_fall_back_quietly():
    assert parse_preset_query({}) == (None, ())
    assert parse_preset_query({"preset": "no-such-lesson"}) == (None, ())
    assert parse_preset_query({"preset": "xor-stall", "hide": "network,bogus"})[1] == ("network",)


def test_a_preset_has_exactly_one_setup():
    with pytest.raises(ValueError, match="exactly one"):
        Preset("x", "x", "x", "x", ())
    with pytest.raises(ValueError, match="exactly one"):
        Preset("x", "x", "x", "x", (), config=RunConfig(), mnist=MnistConfig())
    with pytest.raises(ValueError, match="MNIST preset"):
        lesson_config(PRESETS["mnist-gd"])


def test_xor_with_tiny_weights_stalls_at_ln_2_and_with_xavier_learns():
    stalled, learns = Run(PRESETS["xor-stall"].config), Run(PRESETS["xor-learns"].config)
    stalled.advance(500)
    learns.advance(300)
    assert stalled.history.train_loss[-1] == pytest.approx(math.log(2), abs=1e-3)
    assert stalled.history.train_accuracy[-1] == 0.5
    assert learns.history.train_loss[-1] < 0.1
    assert learns.history.train_accuracy[-1] == 1.0


def test_a_single_neuron_cannot_separate_the_toy_points():
    run = Run(PRESETS["single-neuron"].config)
    run.advance(400)
    assert run.history.train_accuracy[-1] <= 5 / 8
