"""Golden single steps, computed by hand from each optimizer's textbook update."""

import numpy as np
import pytest

from nnviz.core import OPTIMIZERS, Parameter, get_optimizer


def param(values, grads):
    p = Parameter("w", np.array(values, dtype=np.float64))
    p.grad[:] = grads
    return p


def test_adam_golden_step_as_in_keras():
    p = param([1.0, 2.0, 3.0, 4.0], [1.0, 6.0, 7.0, 2.0])
    get_optimizer("adam", learning_rate=0.5).step([p])
    np.testing.assert_allclose(p.value, [0.5, 1.5, 2.5, 3.5], rtol=1e-5)


def test_adam_second_step():
    p = param([0.0], [2.0])
    opt = get_optimizer("adam", learning_rate=0.1)
    opt.step([p])
    p.grad[:] = [1.0]
    opt.step([p])
    m1, v1 = 0.1 * 2.0, 0.001 * 4.0
    w1 = -0.1 * np.sqrt(1 - 0.999) / (1 - 0.9) * m1 / (np.sqrt(v1) + 1e-7)
    m2, v2 = 0.9 * m1 + 0.1 * 1.0, 0.999 * v1 + 0.001 * 1.0
    alpha = 0.1 * np.sqrt(1 - 0.999**2) / (1 - 0.9**2)
    np.testing.assert_allclose(p.value, [w1 - alpha * m2 / (np.sqrt(v2) + 1e-7)], rtol=1e-12)


def test_sgd_step():
    p = param([1.0, -1.0], [0.5, -2.0])
    get_optimizer("sgd", learning_rate=0.1).step([p])
    np.testing.assert_allclose(p.value, [0.95, -0.8])


@pytest.mark.parametrize(
    ("nesterov", "expected"),
    # v1 = -0.1·1 = -0.1; v2 = 0.9·(-0.1) - 0.1·1 = -0.19
    # plain: w = 1 - 0.1 - 0.19 = 0.71; nesterov: w1 = 1 + 0.9·(-0.1) - 0.1 = 0.81,
    # w2 = 0.81 + 0.9·(-0.19) - 0.1 = 0.539
    [(False, 0.71), (True, 0.539)],
)
def test_momentum_two_steps(nesterov, expected):
    p = param([1.0], [1.0])
    opt = get_optimizer("momentum", learning_rate=0.1, momentum=0.9, nesterov=nesterov)
    opt.step([p])
    opt.step([p])
    np.testing.assert_allclose(p.value, [expected], rtol=1e-12)


def test_rmsprop_step():
    p = param([1.0], [2.0])
    get_optimizer("rmsprop", learning_rate=0.01).step([p])
    v = 0.1 * 4.0  # (1 - ρ)·g²
    np.testing.assert_allclose(p.value, [1.0 - 0.01 * 2.0 / (np.sqrt(v) + 1e-7)], rtol=1e-12)


def test_keras_defaults_and_state_per_parameter():
    assert get_optimizer("sgd").learning_rate == 0.01
    assert get_optimizer("adam").learning_rate == 0.001
    adam = get_optimizer("adam")
    assert (adam.beta_1, adam.beta_2, adam.epsilon) == (0.9, 0.999, 1e-7)
    a, b = param([1.0], [1.0]), param([1.0], [-1.0])
    adam.step([a, b])
    assert set(adam.state) == {a, b}
    assert a.value[0] < 1.0 < b.value[0]
    adam.reset()
    assert adam.state == {} and adam.iterations == 0


def test_unknown_optimizer():
    with pytest.raises(ValueError, match=", ".join(sorted(OPTIMIZERS))):
        get_optimizer("lbfgs")
