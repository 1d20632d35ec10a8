import numpy as np
import pytest

from nnviz.datasets import (
    FEATURES,
    Dataset,
    DatasetError,
    Standardizer,
    add_features,
    circles,
    gaussians,
    regression_plane,
    toy,
    train_test_split,
    xor_table,
)


def _rows(data: Dataset) -> set[tuple]:
    return {(*x, *np.atleast_1d(y)) for x, y in zip(data.x.tolist(), data.y.tolist(), strict=True)}


@pytest.mark.parametrize(("fraction", "n_test"), [(0.2, 20), (0.25, 25), (0.5, 50)])
def test_split_sizes_disjoint_and_complete(fraction, n_test):
    data = circles(n_samples=100, noise=0.3)
    train, test = train_test_split(data, fraction, rng=np.random.default_rng(1))
    assert (len(train), len(test)) == (100 - n_test, n_test)
    assert _rows(train).isdisjoint(_rows(test))
    assert _rows(train) | _rows(test) == _rows(data)
    assert train.name == "circles (train)" and test.name == "circles (test)"


def test_split_shuffles_and_is_deterministic():
    data = regression_plane(n_samples=50)
    a, _ = train_test_split(data, 0.2, rng=np.random.default_rng(3))
    b, _ = train_test_split(data, 0.2, rng=np.random.default_rng(3))
    c, _ = train_test_split(data, 0.2, rng=np.random.default_rng(4))
    assert np.array_equal(a.x, b.x) and not np.array_equal(a.x, c.x)
    assert not np.array_equal(a.x, data.x[:40])
    assert a.y.shape == (40, 1)


def test_every_class_stays_in_train_even_when_rare():
    x = np.arange(20.0).reshape(10, 2)
    data = Dataset(x, np.array([0] * 8 + [1, 2]), "rare")
    for seed in range(20):
        train, _ = train_test_split(data, 0.7, rng=np.random.default_rng(seed))
        assert set(train.y.tolist()) == {0, 1, 2}


@pytest.mark.parametrize("make", [toy, xor_table])
def test_tiny_sets_without_test_rows_give_none(make):
    data = make()
    train, test = train_test_split(data, 0.0)
    assert test is None and _rows(train) == _rows(data)
    _, test = train_test_split(data, 0.05)
    assert test is None


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 1.5])
def test_split_rejects_bad_fractions(fraction):
    with pytest.raises(DatasetError, match=r"test_fraction must be in \[0, 1\)"):
        train_test_split(toy(), fraction)


def test_standardizer_gives_train_mean_zero_std_one_and_reuses_it():
    train = gaussians(n_samples=200, noise=0.5)
    scaler = Standardizer.fit(train)
    scaled = scaler.transform(train)
    assert isinstance(scaled, Dataset) and np.array_equal(scaled.y, train.y)
    assert np.allclose(scaled.x.mean(axis=0), 0) and np.allclose(scaled.x.std(axis=0), 1)
    point = np.array([[1.0, -2.0]])
    assert np.allclose(scaler.transform(point), (point - train.x.mean(0)) / train.x.std(0))


def test_standardizer_keeps_constant_columns_unscaled():
    x = np.array([[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]])
    scaler = Standardizer.fit(x)
    assert scaler.std[0] == 1.0
    assert np.allclose(scaler.transform(x)[:, 0], 0)


def test_standardizer_is_frozen_and_has_a_repr():
    scaler = Standardizer.fit(np.array([[0.0, 0.0], [2.0, 4.0]]))
    assert repr(scaler) == "Standardizer(mean=[1. 2.], std=[1. 2.])"
    with pytest.raises(AttributeError):
        scaler.mean = np.zeros(2)
    with pytest.raises(ValueError, match="read-only"):
        scaler.mean[0] = 5.0


def test_standardizer_rejects_wrong_shapes():
    with pytest.raises(DatasetError, match="non-empty"):
        Standardizer.fit(np.empty((0, 2)))
    with pytest.raises(DatasetError, match=r"expected shape \(m, 2\)"):
        Standardizer.fit(np.ones((3, 2))).transform(np.ones((3, 3)))


def test_features_are_numerically_correct():
    x = np.array([[0.5, -2.0], [3.0, 0.25]])
    x1, x2 = x.T
    expected = [x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)]
    assert FEATURES == ("x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2")
    assert np.allclose(add_features(x, FEATURES), np.stack(expected, axis=1))
    assert np.allclose(add_features(x, ["x2²", "x1"]), np.stack([x2**2, x1], axis=1))


def test_squared_features_make_circles_linearly_separable():
    data = circles(noise=0.0)
    radius_squared = add_features(data.x, ["x1²", "x2²"]).sum(axis=1)
    assert radius_squared[data.y == 1].max() < radius_squared[data.y == 0].min()


def test_add_features_rejects_bad_input():
    with pytest.raises(DatasetError, match="unknown feature 'x3'.*x1·x2.*sin x2"):
        add_features(np.ones((2, 2)), ["x1", "x3"])
    with pytest.raises(DatasetError, match="at least one feature"):
        add_features(np.ones((2, 2)), [])
    with pytest.raises(DatasetError, match=r"\(m, 2\) points"):
        add_features(np.ones((2, 3)), ["x1"])
