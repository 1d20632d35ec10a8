"""The gradient check of a traced step: honest in float64, and honest about tiny gradients."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from nnviz.core import build_mlp, get_loss
from nnviz.teaching import step_check as sc
from nnviz.teaching.step_math import DEFAULT_NETWORK as DEFAULT
from tests.teaching.test_step_math import CONFIGS, traced


@pytest.mark.parametrize("name", CONFIGS)
def test_gradient_check_agrees_in_float64(name):
    run, trace = traced(CONFIGS[name])
    rows = sc.check_rows(sc.check_step(run.trainer.model, run.trainer.loss, trace))
    assert len(rows) == run.trainer.model.n_parameters
    assert max(r["relative error"] for r in rows) < sc.AGREE
    assert {r["verdict"] for r in rows} == {"agree"}


def test_gradient_check_uses_the_step_s_starting_weights_not_the_updated_ones():
    run, trace = traced(DEFAULT)
    checks = sc.check_step(run.trainer.model, run.trainer.loss, trace)
    for check, layer in zip(checks[::2], trace.layers, strict=True):
        np.testing.assert_allclose(check.analytic, layer.grad_weights, rtol=1e-10)
    after = [p.value.copy() for p in run.trainer.model.parameters()]
    sc.check_step(run.trainer.model, run.trainer.loss, trace)
    for p, value in zip(run.trainer.model.parameters(), after, strict=True):
        np.testing.assert_array_equal(p.value, value)  # the model itself is untouched


def test_a_stalled_network_s_tiny_gradients_are_flagged_as_too_small_not_wrong():
    stalled = replace(DEFAULT, initializer="small_random")
    run, trace = traced(stalled, steps_before=300)
    rows = sc.check_rows(sc.check_step(run.trainer.model, run.trainer.loss, trace))
    assert max(abs(r["backprop"]) for r in rows) < 1e-6  # the stall: gradients near zero
    assert "DISAGREE" not in {r["verdict"] for r in rows}
    assert "agree (too small to resolve)" in {r["verdict"] for r in rows}


def test_a_wrong_gradient_is_called_out():
    assert sc.verdict(relative=1e-3, difference=1e-4) == "DISAGREE"
    assert sc.verdict(relative=1e-8, difference=1e-4) == "agree"


def test_gradient_check_refuses_float32():
    rng = np.random.default_rng(0)
    model = build_mlp([2, 2, 1], rng=rng, dtype=np.float32)
    run, trace = traced(DEFAULT)
    with pytest.raises(ValueError, match="float64"):
        sc.check_step(model, get_loss("binary_crossentropy"), trace)


def test_check_work_counts_parameters_times_samples():
    run, trace = traced(DEFAULT)
    assert sc.check_work(run.trainer.model, trace) == 13 * 4


def test_parameters_are_named_as_the_equations_write_them():
    assert sc.parameter_symbol("L3.W") == "W⁽³⁾"
    assert sc.parameter_symbol("L1.b") == "b⁽¹⁾"
    assert sc.parameter_symbol("weights") == "weights"
