"""Analytic gradients of every layer, activation and loss match central finite differences."""

import numpy as np
import pytest

from nnviz.core import (
    ACTIVATIONS,
    Dense,
    Dropout,
    build_mlp,
    get_activation,
    get_loss,
    gradient_check,
    numerical_gradient,
)

RTOL = 1e-5


def assert_close(analytic, numeric):
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=1e-8)


def layer_input_gradient(layer, x, rng):
    """Check dL/dx for L = Σ upstream ⊙ layer(x), a random linear read-out of the output."""
    upstream = rng.standard_normal(layer.forward(x).shape)
    layer.forward(x)
    analytic = layer.backward(upstream)
    numeric = numerical_gradient(lambda: float(np.sum(upstream * layer.forward(x))), x)
    return analytic, numeric


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@pytest.mark.parametrize("shape", [(3, 4), (7, 2), (1, 5)])
def test_activation_gradient(name, shape):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape) * 2
    x[np.abs(x) < 1e-3] = 0.5  # keep ReLU's kink away from the finite-difference step
    assert_close(*layer_input_gradient(get_activation(name), x, rng))


@pytest.mark.parametrize("shape", [(4, 3, 5), (1, 2, 1), (9, 6, 2)])
def test_dense_gradients(shape):
    batch, fan_in, fan_out = shape
    rng = np.random.default_rng(2)
    layer = Dense(fan_in, fan_out, rng=rng)
    layer.bias.value[:] = rng.standard_normal(fan_out)
    x = rng.standard_normal((batch, fan_in))
    upstream = rng.standard_normal((batch, fan_out))

    def read_out():
        return float(np.sum(upstream * layer.forward(x)))

    layer.forward(x)
    grad_x = layer.backward(upstream)
    assert_close(grad_x, numerical_gradient(read_out, x))
    for p in layer.parameters():
        assert_close(p.grad, numerical_gradient(read_out, p.value))


def test_dropout_gradient_with_fixed_mask():
    rng = np.random.default_rng(3)
    layer = Dropout(0.4)
    x = rng.standard_normal((6, 5))
    upstream = rng.standard_normal((6, 5))

    def read_out():
        layer.rng = np.random.default_rng(7)  # the same mask on every call
        return float(np.sum(upstream * layer.forward(x, training=True)))

    read_out()
    analytic = layer.backward(upstream)
    assert_close(analytic, numerical_gradient(read_out, x))
    assert (layer._mask == 0).any(), "the mask should drop something at rate 0.4"


def test_dropout_is_identity_at_inference_and_keeps_the_mean_in_training():
    layer = Dropout(0.5, np.random.default_rng(0))
    x = np.ones((2000, 50))
    assert layer.forward(x) is x
    dropped = layer.forward(x, training=True)
    assert set(np.unique(dropped)) == {0.0, 2.0}
    assert abs(dropped.mean() - 1.0) < 0.02


LOSS_CASES = [
    ("mse", {}, lambda rng, m: rng.standard_normal((m, 3))),
    ("mse", {"link": "sigmoid"}, lambda rng, m: rng.integers(0, 2, m)),
    ("mse", {"link": "softmax"}, lambda rng, m: rng.integers(0, 4, m)),
    ("binary_crossentropy", {}, lambda rng, m: rng.integers(0, 2, m)),
    ("categorical_crossentropy", {}, lambda rng, m: rng.integers(0, 4, m)),
]


@pytest.mark.parametrize(("name", "kwargs", "targets"), LOSS_CASES)
@pytest.mark.parametrize("m", [1, 5, 16])
def test_loss_gradient(name, kwargs, targets, m):
    rng = np.random.default_rng(4)
    y = targets(rng, m)
    outputs = 1 if name == "binary_crossentropy" or kwargs.get("link") == "sigmoid" else 3
    outputs = (
        4 if name == "categorical_crossentropy" or kwargs.get("link") == "softmax" else outputs
    )
    logits = rng.standard_normal((m, outputs)) * 3
    loss = get_loss(name, **kwargs)
    assert_close(loss.gradient(y, logits), numerical_gradient(lambda: loss(y, logits), logits))


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "leaky_relu"])
def test_whole_network_gradient_with_l2(activation):
    rng = np.random.default_rng(5)
    model = build_mlp([3, 5, 4, 3], activation, rng=rng)
    loss = get_loss("categorical_crossentropy")
    x, y = rng.standard_normal((8, 3)), rng.integers(0, 3, 8)
    for check in gradient_check(model, loss, x, y):
        assert check.max_relative_error < 1e-5, check.name


def testl2_penalty_gradient_through_the_trainer():
    from nnviz import Trainer, get_optimizer
    from nnviz.datasets import Dataset

    rng = np.random.default_rng(6)
    model = build_mlp([2, 3, 1], "tanh", rng=rng)
    data = Dataset(rng.standard_normal((5, 2)), rng.integers(0, 2, 5))
    loss = get_loss("binary_crossentropy")
    trainer = Trainer(model, loss, get_optimizer("sgd", learning_rate=0.0), data, 5, rng, l2=0.3)
    trainer.step()  # learning rate 0: computes gradients (incl. λW) and leaves weights as they are

    def objective():
        return loss(data.y, model.forward(data.x)) + trainer.l2_penalty()

    for p in model.parameters():
        assert_close(p.grad, numerical_gradient(objective, p.value))
        if not p.regularize:
            assert p.name.endswith(".b")
