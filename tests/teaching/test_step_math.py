"""The math page's equations hold with the numbers they show, and the gradient check is honest."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from nnviz.core import ACTIVATIONS, get_loss
from nnviz.core.trace import trace_step
from nnviz.playground.config import RunConfig
from nnviz.playground.run import Run
from nnviz.teaching import step_math as sm
from nnviz.teaching.step_math import DEFAULT_NETWORK as DEFAULT

CONFIGS = {
    "default": DEFAULT,
    "two-layers-mse-l2": RunConfig(
        dataset="toy", hidden=(4, 2), activations=("relu", "tanh"), loss="mse", l2=0.01,
        batch_size=8,
    ),
    "softmax-adam": RunConfig(dataset="gaussians", hidden=(3,), optimizer="adam", batch_size=6),
    "single-neuron": RunConfig(dataset="toy", hidden=(), loss="mse", batch_size=1),
    "regression": RunConfig(dataset="regression", hidden=(3,), activations=("sigmoid",)),
}  # fmt: skip


def traced(config: RunConfig, steps_before: int = 20):
    run = Run(config)
    run.advance(steps_before)
    return run, trace_step(run.trainer)


def values(equation: sm.Equation) -> list[np.ndarray]:
    return [np.atleast_2d(t.values) for t in equation.terms]


@pytest.mark.parametrize("name", CONFIGS)
def test_forward_equations_hold_with_the_numbers_shown(name):
    run, trace = traced(CONFIGS[name])
    for i, layer in enumerate(trace.layers):
        last = i == len(trace.layers) - 1
        a_prev, w, b, z, a = values(sm.forward_equation(layer, last))
        np.testing.assert_allclose(z, a_prev @ w + b)
        if i + 1 < len(trace.layers):  # A⁽ˡ⁾ is the next layer's input
            np.testing.assert_array_equal(a, trace.layers[i + 1].a_prev)
    before = run.trainer.model.copy()
    for dense, layer in zip(before.dense_layers, trace.layers, strict=True):
        dense.weights.value[...], dense.bias.value[...] = layer.weights, layer.bias
    np.testing.assert_allclose(a, before.predict_proba(trace.layers[0].a_prev))


@pytest.mark.parametrize("name", CONFIGS)
def test_loss_of_each_sample_averages_to_the_step_loss(name):
    run, trace = traced(CONFIGS[name])
    _, _, per_sample = values(sm.loss_equation(trace, run.trainer.loss))
    assert per_sample.shape == (len(trace.y), 1)
    penalty = 0.5 * run.config.l2 * sum(float((layer.weights**2).sum()) for layer in trace.layers)
    assert per_sample.mean() + penalty == pytest.approx(trace.loss, rel=1e-12)


@pytest.mark.parametrize("name", CONFIGS)
def test_backward_equations_hold_with_the_numbers_shown(name):
    run, trace = traced(CONFIGS[name])
    l2 = run.config.l2
    for layer in trace.layers:
        equations = sm.backward_equations(layer, l2)
        if l2:
            a_prev_t, dz, penalty, dw = values(equations[0])
            np.testing.assert_allclose(penalty, l2 * layer.weights)
            np.testing.assert_allclose(dw, a_prev_t @ dz + penalty)
        else:
            a_prev_t, dz, dw = values(equations[0])
            np.testing.assert_allclose(dw, a_prev_t @ dz)  # no 1/m: it is inside dZ
        dz, db = values(equations[1])
        np.testing.assert_allclose(db, dz.sum(axis=0, keepdims=True))
        if layer.index > 1:
            dz, w_t, da = values(equations[2])
            np.testing.assert_allclose(da, dz @ w_t)
            np.testing.assert_array_equal(da, trace.layers[layer.index - 2].grad_a)
        else:
            assert len(equations) == 2  # nothing below the first layer needs dA⁽⁰⁾
        if layer.grad_a is not None:
            da, slope, dz = values(sm.hidden_gradient_equation(layer))
            np.testing.assert_allclose(dz, da * slope)


def test_the_output_gradient_carries_the_one_over_m():
    run, trace = traced(DEFAULT)
    a, y, dz = values(sm.output_gradient_equation(trace, run.trainer.loss))
    m = len(trace.y)
    np.testing.assert_allclose(dz, (a - y) / m)
    assert f"1/{m}" in sm.output_gradient_equation(trace, run.trainer.loss).note


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_update_is_what_the_optimizer_did(optimizer):
    config = replace(DEFAULT, optimizer=optimizer)
    run, trace = traced(config, steps_before=3)
    for layer, dense in zip(trace.layers, run.trainer.model.dense_layers, strict=True):
        weights, bias = sm.update_equations(layer, optimizer, trace.learning_rate)
        old, middle, new = values(weights)
        np.testing.assert_array_equal(new, dense.weights.value)
        if optimizer == "sgd":
            np.testing.assert_allclose(new, old - trace.learning_rate * middle)
        else:
            np.testing.assert_allclose(new, old + middle)
        np.testing.assert_array_equal(values(bias)[2], dense.bias.value.reshape(1, -1))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(name):
    z = np.array([[-2.0, -0.3, 0.4, 1.7]])
    slope = sm.activation_derivative(name, z)
    g = ACTIVATIONS[name]()
    numeric = np.array(
        [[(g.forward(np.array(v + 1e-6)) - g.forward(np.array(v - 1e-6))) / 2e-6 for v in z[0]]]
    )
    np.testing.assert_allclose(slope, numeric, atol=1e-6)


def test_sample_losses_of_a_known_case():
    loss = get_loss("binary_crossentropy")
    per = sm.sample_losses(loss, np.array([1, 0]), np.array([[0.0], [0.0]]))
    np.testing.assert_allclose(per, [[math.log(2)], [math.log(2)]])


def test_symbols_and_superscripts():
    assert sm.sup(12) == "⁽¹²⁾"
