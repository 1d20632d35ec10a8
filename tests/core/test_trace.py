import numpy as np
import pytest

from nnviz import Trainer, build_mlp, get_loss, get_optimizer
from nnviz.core.activations import sigmoid
from nnviz.core.trace import trace_step
from nnviz.datasets import DATASETS


@pytest.fixture
def trainer():
    rng = np.random.default_rng(0)
    data = DATASETS["xor_table"]()
    model = build_mlp([2, 3, 1], "sigmoid", rng=rng)
    return Trainer(
        model,
        get_loss("binary_crossentropy"),
        get_optimizer("sgd", learning_rate=0.5),
        data,
        batch_size=4,
        rng=rng,
    )


def test_trace_shows_the_textbook_equations_with_the_cores_numbers(trainer):
    trainer.run(500)  # any point of a run
    trace = trace_step(trainer)
    assert trace.step == 501 and len(trace.layers) == 2
    hidden, out = trace.layers
    m = len(trace.y)
    np.testing.assert_allclose(hidden.z, hidden.a_prev @ hidden.weights + hidden.bias)
    np.testing.assert_allclose(hidden.a, sigmoid(hidden.z))
    np.testing.assert_array_equal(out.a_prev, hidden.a)
    np.testing.assert_allclose(out.a, sigmoid(out.a_prev @ out.weights + out.bias))
    y = trace.y.reshape(-1, 1)
    np.testing.assert_allclose(out.grad_z, (out.a - y) / m)  # dZ = (A - Y) / m
    np.testing.assert_allclose(out.grad_weights, out.a_prev.T @ out.grad_z)
    np.testing.assert_allclose(out.grad_bias, out.grad_z.sum(axis=0))
    np.testing.assert_allclose(out.grad_a_prev, out.grad_z @ out.weights.T)
    np.testing.assert_allclose(hidden.grad_a, out.grad_a_prev)
    np.testing.assert_allclose(hidden.grad_z, hidden.grad_a * hidden.a * (1 - hidden.a))
    np.testing.assert_allclose(hidden.grad_weights, hidden.a_prev.T @ hidden.grad_z)
    assert hidden.grad_a_prev is None
    for layer in trace.layers:  # W ← W − α·dW
        np.testing.assert_allclose(layer.new_weights, layer.weights - 0.5 * layer.grad_weights)
        np.testing.assert_allclose(layer.new_bias, layer.bias - 0.5 * layer.grad_bias)
    np.testing.assert_array_equal(out.new_weights, trainer.model.dense_layers[1].weights.value)
    expected_loss = get_loss("binary_crossentropy")(trace.y, out.z)
    assert trace.loss == pytest.approx(expected_loss)


def test_recording_does_not_change_the_run():
    def run(record):
        rng = np.random.default_rng(1)
        data = DATASETS["moons"](n_samples=40, rng=rng)
        model = build_mlp([2, 4, 1], "tanh", rng=rng)
        t = Trainer(model, get_loss("binary_crossentropy"), get_optimizer("adam"), data, 8, rng)
        return [t.step(record=record).train_loss for _ in range(10)]

    assert run(True) == run(False)
