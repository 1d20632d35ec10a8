import numpy as np
import pytest

import nnviz
from nnviz import Trainer, TrainingDiverged, build_mlp, get_loss, get_optimizer
from nnviz.core.trainer import _diverged_message
from nnviz.datasets import DATASETS, Dataset


def make_trainer(
    data,
    sizes,
    activation="tanh",
    optimizer="sgd",
    lr=0.5,
    batch=None,
    seed=0,
    loss="binary_crossentropy",
    **build,
):
    rng = np.random.default_rng(seed)
    model = build_mlp(sizes, activation, rng=rng, **build)
    opt = get_optimizer(optimizer, learning_rate=lr)
    return Trainer(
        model,
        get_loss(**loss) if isinstance(loss, dict) else get_loss(loss),
        opt,
        data,
        batch_size=batch or len(data),
        rng=rng,
    )


def test_xor_truth_table_is_learned_by_a_2_4_1_tanh_net():
    data = DATASETS["xor_table"](rng=np.random.default_rng(0))
    trainer = make_trainer(data, [2, 4, 1], lr=0.5)
    trainer.run(2000)
    assert trainer.evaluate(data).accuracy == 1.0
    np.testing.assert_array_equal(trainer.model.predict(data.x), [0, 1, 1, 0])


def test_noisy_xor_clusters_are_learned():
    data = DATASETS["xor"](n_samples=200, noise=0.1, rng=np.random.default_rng(1))
    trainer = make_trainer(data, [2, 4, 1], optimizer="adam", lr=0.03, batch=20)
    for _ in range(60):
        trainer.run_epoch()
    assert trainer.evaluate(data).accuracy >= 0.97


def test_toy_set_is_fitted_with_per_sample_sgd():
    data = DATASETS["toy"](rng=np.random.default_rng(0))
    x = (data.x - data.x.mean(axis=0)) / data.x.std(axis=0)
    data = Dataset(x, data.y, "toy standardized")
    trainer = make_trainer(data, [2, 6, 1], optimizer="adam", lr=0.05, batch=1)
    for _ in range(300):
        trainer.run_epoch()
    assert trainer.evaluate(data).accuracy == 1.0
    assert trainer.epoch == 300 and trainer.steps == 300 * 8


def test_three_arm_spirals_reach_95_percent():
    data = DATASETS["spirals3"](n_samples=300, noise=0.02, rng=np.random.default_rng(2))
    assert data.n_classes == 3
    trainer = make_trainer(
        data,
        [2, 32, 32, 3],
        "relu",
        optimizer="adam",
        lr=0.02,
        batch=16,
        loss="categorical_crossentropy",
    )
    for _ in range(200):
        trainer.run_epoch()
    assert trainer.evaluate(data).accuracy >= 0.95


def test_small_random_sigmoid_xor_stays_stuck():
    """The tutorials' 2-2-1 sigmoid net with ×0.01 init and MSE: symmetric units, flat sigmoid."""
    data = DATASETS["xor_table"](rng=np.random.default_rng(0))
    trainer = make_trainer(
        data,
        [2, 2, 1],
        "sigmoid",
        lr=0.1,
        initializer="small_random",
        loss={"name": "mse", "link": "sigmoid"},
    )
    trainer.run(5000)
    final = trainer.evaluate(data)
    assert final.loss == pytest.approx(0.25, abs=0.01)
    assert final.accuracy <= 0.75


def test_same_seed_same_history_bit_for_bit():
    def history(seed):
        data = DATASETS["moons"](n_samples=100, noise=0.2, rng=np.random.default_rng(seed))
        trainer = make_trainer(
            data, [2, 8, 1], optimizer="adam", lr=0.01, batch=10, seed=seed, dropout=0.2
        )
        return [(r.step, r.epoch, r.train_loss, r.train_accuracy) for r in trainer.run(50)]

    assert history(3) == history(3)
    assert history(3) != history(4)


def test_batch_sizes_steps_and_epochs():
    data = Dataset(np.zeros((10, 2)), np.zeros(10, dtype=int))
    trainer = make_trainer(data, [2, 1], batch=4)
    assert len(trainer.run_epoch()) == 3  # 4 + 4 + 2
    assert (trainer.steps, trainer.epoch) == (3, 1)
    trainer.batch_size = 1
    assert len(trainer.run_epoch()) == 10
    trainer.batch_size = 1000  # clamps to the full set: plain gradient descent
    assert trainer.batch_size == 10
    results = trainer.run(3)
    assert [r.epoch for r in results] == [3, 4, 5]
    assert [r.step for r in trainer.history] == list(range(1, 17))


def test_knobs_turn_between_steps_without_rebuilding():
    data = DATASETS["xor_table"](rng=np.random.default_rng(0))
    trainer = make_trainer(data, [2, 4, 1], lr=0.5)
    model = trainer.model
    trainer.run(5)
    trainer.optimizer.learning_rate = 0.0
    before = [p.value.copy() for p in model.parameters()]
    trainer.step()
    assert all(np.array_equal(b, p.value) for b, p in zip(before, model.parameters(), strict=True))
    trainer.optimizer = get_optimizer("adam", learning_rate=0.05)
    trainer.run(200)
    assert trainer.model is model and trainer.steps == 206
    assert trainer.evaluate(data).accuracy == 1.0


def test_divergence_raises_and_restores_the_last_finite_parameters():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((50, 2)) * 100
    data = Dataset(x, (x @ [[3.0], [-2.0]]) * 100, "steep regression")
    trainer = make_trainer(data, [2, 8, 1], "relu", lr=50.0, loss="mse", output="linear")
    with pytest.raises(TrainingDiverged, match="smaller learning rate") as info:
        for _ in range(100):
            trainer.step()
    steps = trainer.steps
    assert steps < 100 and "step" in str(info.value)
    params = [p.value for p in trainer.model.parameters()]
    assert all(np.isfinite(v).all() for v in params)
    # the restored state is the one that produced the last finite loss
    assert trainer.evaluate(data).loss == pytest.approx(trainer.history[-1].train_loss, rel=1e-9)
    trainer.optimizer.learning_rate = 1e-9
    assert np.isfinite(trainer.step().train_loss)


def test_evaluate_matches_the_loss_on_the_whole_set():
    data = DATASETS["circles"](n_samples=120, noise=0.05, rng=np.random.default_rng(0))
    trainer = make_trainer(data, [2, 5, 1])
    loss = trainer.loss(data.y, trainer.model.forward(data.x))
    assert trainer.evaluate(data, batch_size=7).loss == pytest.approx(loss, rel=1e-12)


def test_reprs_read_like_the_architecture():
    model = build_mlp([2, 8, 8, 1], ["relu", "tanh"], dropout=0.1)
    assert repr(model) == (
        "Dense(2 → 8) · relu · Dropout(0.1) · Dense(8 → 8) · tanh · Dropout(0.1) · "
        "Dense(8 → 1) · [sigmoid]"
    )
    assert repr(get_optimizer("adam")) == "adam(learning_rate=0.001)"
    assert repr(nnviz.core.Parameter("L1.W", np.zeros((2, 8)))) == "Parameter(L1.W, 2 × 8)"


def test_build_mlp_rejects_bad_specs():
    with pytest.raises(ValueError, match="relu"):
        build_mlp([2, 3, 1], "swish")
    with pytest.raises(ValueError, match="2 hidden layers but 1"):
        build_mlp([2, 3, 3, 1], ["tanh"])
    with pytest.raises(ValueError, match="glorot_uniform"):
        build_mlp([2, 3, 1], initializer="ones")
    with pytest.raises(ValueError, match="at least"):
        build_mlp([2])


def test_a_divergence_driven_by_l2_names_the_penalty():
    x = np.random.default_rng(1).standard_normal((40, 2))
    data = Dataset(x, (x[:, :1] > 0).astype(int).ravel(), "split")
    trainer = make_trainer(data, [2, 4, 1], "tanh", lr=10.0)
    trainer.l2 = 1.0  # α·λ = 10: each step scales the weights by -9
    with pytest.raises(TrainingDiverged, match="smaller L2 penalty") as info:
        trainer.run(200)
    assert "by -9" in str(info.value) and "standardized" not in str(info.value)
    without_l2 = make_trainer(data, [2, 4, 1], "tanh", lr=10.0)
    assert "L2" not in _diverged_message(float("inf"), without_l2)
