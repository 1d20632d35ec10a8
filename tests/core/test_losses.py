import numpy as np
import pytest

from nnviz.core import accuracy, get_loss


def test_binary_crossentropy_matches_the_textbook_formula():
    z = np.array([[-2.0], [0.5], [3.0]])
    y = np.array([0, 1, 1])
    a = 1 / (1 + np.exp(-z[:, 0]))
    expected = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert get_loss("binary_crossentropy")(y, z) == pytest.approx(expected, rel=1e-12)


def test_categorical_crossentropy_matches_the_textbook_formula():
    z = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    y = np.array([1, 2])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[[0, 1], y]))
    assert get_loss("categorical_crossentropy")(y, z) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy"])
def test_extreme_logits_stay_finite_and_exact(name):
    big = 1000.0
    if name == "binary_crossentropy":
        logits = np.array([[big], [-big], [big], [-big]])
        y = np.array([1, 0, 0, 1])
    else:
        logits = np.array([[big, -big], [-big, big], [big, -big], [-big, big]])
        y = np.array([0, 1, 1, 0])
    loss = get_loss(name)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        value = loss(y, logits)
        grad = loss.gradient(y, logits)
    # two samples right with certainty (loss 0), two wrong by a margin of ~1000-2000
    assert np.isfinite(value) and value > 400
    assert np.isfinite(grad).all()
    assert np.abs(grad).max() <= 1 / len(y) + 1e-12


def test_mse_regression_and_probability_forms():
    y = np.array([[1.0], [3.0]])
    z = np.array([[2.0], [1.0]])
    assert get_loss("mse")(y, z) == pytest.approx((1 + 4) / 2)
    # on probabilities: σ(0) = 0.5 against labels 1 and 0 → 0.25 each
    assert get_loss("mse", link="sigmoid")(np.array([1, 0]), np.zeros((2, 1))) == 0.25


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="binary_crossentropy"):
        get_loss("hinge")
    with pytest.raises(ValueError, match="softmax"):
        get_loss("mse", link="cubic")


def test_accuracy_binary_multiclass_regression():
    assert accuracy(np.array([1, 0, 1]), np.array([[2.0], [-1.0], [-0.5]])) == pytest.approx(2 / 3)
    assert accuracy(np.array([2, 0]), np.array([[0, 1, 5.0], [0, 1, 0.0]])) == 0.5
    assert accuracy(np.zeros((2, 1)), np.zeros((2, 1))) is None


@pytest.mark.parametrize(
    ("name", "kwargs", "y", "outputs"),
    [
        ("binary_crossentropy", {}, np.array([0, 1, 1, 0, 1]), 1),
        ("categorical_crossentropy", {}, np.array([0, 2, 1, 2, 0]), 3),
        ("mse", {"link": "sigmoid"}, np.array([0, 1, 1, 0, 1]), 1),
    ],
)
def test_value_and_gradient_agree_with_the_separate_calls(name, kwargs, y, outputs):
    logits = np.random.default_rng(0).standard_normal((5, outputs)) * 4
    loss = get_loss(name, **kwargs)
    value, grad = loss.value_and_gradient(y, logits)
    assert value == pytest.approx(loss(y, logits), rel=1e-12)
    np.testing.assert_allclose(grad, loss.gradient(y, logits), rtol=1e-12)
