import numpy as np
import pytest

from nnviz.datasets import DATASETS, DatasetError, get_dataset, synthetic

CLASSES = {"xor": 2, "circles": 2, "moons": 2, "spirals": 2, "spirals3": 3, "gaussians": 3}
RANDOM = [*CLASSES, "regression"]


def test_registry_has_the_documented_names():
    assert set(DATASETS) == {*RANDOM, "xor_table", "toy"}


@pytest.mark.parametrize("name", list(CLASSES))
@pytest.mark.parametrize("n", [7, 200])
def test_classification_shapes_and_dtypes(name, n):
    data = DATASETS[name](n_samples=n, noise=0.1, rng=np.random.default_rng(1))
    assert data.x.shape == (n, 2) and data.x.dtype == np.float64
    assert data.y.shape == (n,) and data.y.dtype == np.int64
    assert set(data.y.tolist()) == set(range(CLASSES[name]))
    assert np.all(np.isfinite(data.x))
    counts = np.bincount(data.y)
    assert counts.max() - counts.min() <= 1


def test_regression_shapes_and_dtypes():
    data = DATASETS["regression"](n_samples=50, rng=np.random.default_rng(1))
    assert data.task == "regression"
    assert data.x.shape == (50, 2) and data.y.shape == (50, 1)
    assert data.x.dtype == data.y.dtype == np.float64


@pytest.mark.parametrize("name", RANDOM)
def test_same_seed_same_data_other_seed_other_data(name):
    def make(seed):
        return DATASETS[name](n_samples=60, noise=0.2, rng=np.random.default_rng(seed))

    a, b, c = make(3), make(3), make(4)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.allclose(a.x, c.x)


@pytest.mark.parametrize("name", RANDOM)
def test_no_rng_means_seed_zero(name):
    a = DATASETS[name](n_samples=30)
    b = DATASETS[name](n_samples=30, rng=np.random.default_rng(0))
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)


@pytest.mark.parametrize("name", [name for name in RANDOM if name != "gaussians"])
def test_noise_moves_points(name):
    def make(noise):
        return DATASETS[name](n_samples=100, noise=noise, rng=np.random.default_rng(5))

    clean, noisy = make(0.0), make(0.3)
    moved = noisy.y - clean.y if name == "regression" else noisy.x - clean.x
    assert 0.2 < moved.std() < 0.4


def test_clean_xor_sits_on_the_corners_and_follows_the_truth_table():
    data = synthetic.xor(n_samples=40, noise=0.0)
    assert set(map(tuple, data.x.tolist())) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert np.array_equal(data.y, data.x[:, 0].astype(int) ^ data.x[:, 1].astype(int))


def test_noisy_xor_labels_follow_the_nearest_corner():
    data = synthetic.xor(n_samples=400, noise=0.1, rng=np.random.default_rng(2))
    bits = (data.x > 0.5).astype(int)
    assert np.mean(data.y == bits[:, 0] ^ bits[:, 1]) > 0.99


def test_xor_table_and_toy_are_exact_and_ignore_arguments():
    table = synthetic.xor_table(n_samples=999, noise=5.0, rng=np.random.default_rng(9))
    assert table.x.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert table.y.tolist() == [0, 1, 1, 0]
    rows = [(3, 1.5, 0), (2, 1, 1), (4, 1.5, 0), (3, 4, 1)]
    rows += [(3.5, 0.5, 0), (2, 0.5, 1), (5.5, 1, 1), (1, 1, 0)]
    data = synthetic.toy(n_samples=3, noise=1.0)
    assert data.x.dtype == np.float64 and data.y.dtype == np.int64
    assert [(*x, y) for x, y in zip(data.x.tolist(), data.y.tolist(), strict=True)] == rows


def test_clean_circles_radii_separate_the_classes():
    data = synthetic.circles(n_samples=300, noise=0.0)
    radius = np.hypot(*data.x.T)
    assert radius[data.y == 1].max() <= 0.5 < 0.7 <= radius[data.y == 0].min()
    assert radius.max() <= 1.0


def test_clean_moons_lie_on_their_half_circles():
    data = synthetic.moons(n_samples=100, noise=0.0)
    upper, lower = data.x[data.y == 0], data.x[data.y == 1]
    assert np.allclose(np.hypot(*upper.T), 1) and np.all(upper[:, 1] >= 0)
    assert np.allclose(np.hypot(*(lower - [1, 0.5]).T), 1) and np.all(lower[:, 1] <= 0.5)


@pytest.mark.parametrize("arms", [2, 3])
def test_clean_spiral_arms_follow_their_curve(arms):
    data = synthetic.spirals(n_samples=90, noise=0.0, arms=arms)
    r = np.hypot(*data.x.T)
    expected = 3.5 * np.pi * r + 2 * np.pi * data.y / arms
    turn = np.angle(np.exp(1j * (np.arctan2(data.x[:, 1], data.x[:, 0]) - expected)))
    assert np.allclose(turn, 0, atol=1e-9)
    assert data.n_classes == arms and r.max() < 1


def test_clean_gaussians_are_separated_blobs():
    data = synthetic.gaussians(n_samples=300, noise=0.0, k=4)
    assert data.n_classes == 4
    means = np.array([data.x[data.y == c].mean(axis=0) for c in range(4)])
    nearest = np.argmin(np.linalg.norm(data.x[:, None] - means, axis=2), axis=1)
    assert np.array_equal(nearest, data.y)
    assert np.allclose(np.linalg.norm(means, axis=1), 1.5, atol=0.15)


@pytest.mark.parametrize(("noise", "spread"), [(0.0, 0.25), (0.3, np.hypot(0.25, 0.3))])
def test_gaussian_noise_widens_the_blobs(noise, spread):
    data = synthetic.gaussians(n_samples=3000, noise=noise, k=2, rng=np.random.default_rng(6))
    blob = data.x[data.y == 0]
    assert np.allclose(blob.std(axis=0), spread, rtol=0.1)
    assert np.allclose(blob.mean(axis=0), [1.5 / np.sqrt(2)] * 2, atol=0.05)


def test_clean_regression_is_the_plane():
    data = synthetic.regression_plane(n_samples=50, noise=0.0)
    assert np.allclose(data.y[:, 0], (data.x[:, 0] + data.x[:, 1]) / 2)
    assert np.all(np.abs(data.x) <= 1)


def test_get_dataset_builds_by_name_and_lists_names_when_unknown():
    assert get_dataset("spirals3", n_samples=9).n_classes == 3
    with pytest.raises(ValueError, match="unknown dataset 'swirl'.*moons.*spirals3"):
        get_dataset("swirl")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_samples": 0}, "n_samples must be at least 1"),
        ({"noise": -0.1}, "noise must be"),
        ({"noise": float("nan")}, "noise must be"),
    ],
)
def test_bad_arguments_raise(kwargs, message):
    with pytest.raises(DatasetError, match=message):
        synthetic.circles(**kwargs)


def test_too_few_arms_or_blobs_raise():
    with pytest.raises(DatasetError, match="at least 2 arms"):
        synthetic.spirals(arms=1)
    with pytest.raises(DatasetError, match="at least 2 blobs"):
        synthetic.gaussians(k=1)
