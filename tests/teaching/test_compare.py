"""Comparisons: same data and seed for every run, one change each, runs paused and stepped alone."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.playground.config import RunConfig
from nnviz.teaching.compare import EXPERIMENTS, Comparison, Variant, variant_configs

BASE = RunConfig(dataset="moons", hidden=(4,), batch_size=10)
TWO = (Variant("SGD", {"optimizer": "sgd"}), Variant("Adam", {"optimizer": "adam"}))


def test_a_variant_may_not_change_the_data():
    with pytest.raises(ValueError, match="changes the data .*seed"):
        variant_configs(BASE, [Variant("a"), Variant("b", {"seed": 3})])
    with pytest.raises(ValueError, match="2 to 3 runs"):
        variant_configs(BASE, [Variant("alone")])


def test_runs_see_the_same_points_and_start_from_the_same_weights():
    comparison = Comparison(BASE, TWO)
    first, second = comparison.runs
    np.testing.assert_array_equal(first.data.train.x, second.data.train.x)
    np.testing.assert_array_equal(first.data.test.y, second.data.test.y)
    pairs = zip(first.trainer.model.parameters(), second.trainer.model.parameters(), strict=True)
    for p, q in pairs:
        np.testing.assert_array_equal(p.value, q.value)
    assert [r.config.optimizer for r in comparison.runs] == ["sgd", "adam"]


def test_advance_skips_paused_runs_and_step_moves_one_run():
    comparison = Comparison(BASE, TWO)
    comparison.toggle(1)
    comparison.advance(5)
    assert [r.steps for r in comparison.runs] == [5, 0]
    comparison.step(1)
    assert [r.steps for r in comparison.runs] == [5, 1]
    comparison.toggle(1)
    comparison.advance(2)
    assert [r.steps for r in comparison.runs] == [7, 3]
    assert not comparison.all_paused


def test_a_diverging_run_is_paused_with_the_reason_and_the_others_go_on():
    base = RunConfig(dataset="regression", hidden=(8,), activations=("relu",))
    comparison = Comparison(
        base, [Variant("sane", {"learning_rate": 0.01}), Variant("wild", {"learning_rate": 1000.0})]
    )
    comparison.advance(50)
    assert comparison.paused == [False, True]
    assert "diverged" not in (comparison.errors[0] or "")
    assert "learning rate" in comparison.errors[1]
    assert comparison.runs[0].steps == 50
    rows = comparison.results()
    assert [r["diverged"] for r in rows] == [False, True]


def test_results_have_one_row_per_run_with_its_latest_numbers():
    comparison = Comparison(BASE, TWO)
    comparison.advance(10)
    rows = comparison.results()
    assert [r["run"] for r in rows] == ["SGD", "Adam"]
    for row, run in zip(rows, comparison.runs, strict=True):
        assert row["step"] == 10
        assert row["train loss"] == run.history.train_loss[-1]
        assert 0 <= row["test accuracy"] <= 1


@pytest.mark.parametrize("key", EXPERIMENTS)
def test_every_experiment_builds_and_trains(key):
    experiment = EXPERIMENTS[key]
    comparison = Comparison(experiment.base, experiment.variants)
    comparison.advance(3)
    assert all(run.steps == 3 for run in comparison.runs)
    assert len({run.config for run in comparison.runs}) == len(comparison.runs)


def test_the_init_experiment_shows_what_its_text_says():
    experiment = EXPERIMENTS["init"]
    comparison = Comparison(experiment.base, experiment.variants)
    comparison.advance(400)
    small, xavier = (r.history.train_loss[-1] for r in comparison.runs)
    assert small > 0.68  # stuck at ln 2
    assert xavier < 0.2


def test_the_activation_experiment_shows_what_its_text_says():
    experiment = EXPERIMENTS["activation"]
    comparison = Comparison(experiment.base, experiment.variants)
    comparison.advance(600)
    sigmoid, tanh, relu = (r.history.train_loss[-1] for r in comparison.runs)
    assert sigmoid > 0.68
    assert tanh < 0.4 and relu < 0.4
