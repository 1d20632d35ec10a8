"""RunConfig ⇄ URL query, build_trainer, and the live Run."""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np
import pytest

from nnviz.core import TrainingDiverged
from nnviz.datasets import Dataset, DatasetError
from nnviz.playground.config import (
    LIVE_FIELDS,
    RunConfig,
    build_trainer,
    make_loss,
    parse_query,
    plot_box,
    train_size,
)
from nnviz.playground.run import Run

EVERY_FIELD_CHANGED = RunConfig(
    dataset="spirals3",
    n_samples=120,
    noise=0.35,
    test_fraction=0.25,
    seed=42,
    standardize=True,
    features=("x1", "x2", "x1²", "sin x2"),
    hidden=(8, 5, 3),
    activations=("relu", "leaky_relu", "sigmoid"),
    initializer="small_random",
    dropout=0.1,
    l2=0.003,
    loss="mse",
    optimizer="rmsprop",
    learning_rate=3e-05,
    batch_size=7,
    steps_per_frame=50,
    stop_epochs=30,
    stop_loss=0.05,
    hide=("data", "learning_rate"),
)


def test_the_fixture_changes_every_field():
    default = RunConfig()
    assert all(
        getattr(EVERY_FIELD_CHANGED, f.name) != getattr(default, f.name) for f in fields(default)
    )


@pytest.mark.parametrize("config", [RunConfig(), EVERY_FIELD_CHANGED, RunConfig(hidden=())])
def test_query_round_trip(config):
    query = config.to_query()
    assert all(isinstance(v, str) for v in query.values())
    assert RunConfig.from_query(query) == config


def test_defaults_make_an_empty_query():
    assert RunConfig().to_query() == {}
    assert RunConfig(seed=3).to_query() == {"seed": "3"}


def test_query_values_may_be_lists_as_in_streamlit():
    assert RunConfig.from_query({"seed": ["1", "9"]}).seed == 9


def test_bad_query_values_are_reported_and_keep_their_defaults():
    config, ignored = parse_query(
        {
            "hidden": "8,x",
            "learning_rate": "-1",
            "dataset": "moons",
            "colour": "red",
            "standardize": "maybe",
            "activations": "tanh,softplus",
        }
    )
    assert config == RunConfig(dataset="moons")
    assert sorted(ignored) == ["activations", "colour", "hidden", "learning_rate", "standardize"]


@pytest.mark.parametrize(
    "change",
    [
        {"hidden": (4,) * 7},
        {"hidden": (33,)},
        {"features": ()},
        {"features": ("x3",)},
        {"optimizer": "lbfgs"},
        {"dropout": 1.0},
        {"learning_rate": float("nan")},
        {"dataset": "mnist"},
        {"hide": ("everything",)},
        {"n_samples": 5},
    ],
)
def test_invalid_settings_raise(change):
    with pytest.raises(ValueError):
        replace(RunConfig(), **change)


def test_activations_follow_the_number_of_layers():
    assert RunConfig(hidden=(3, 3, 3), activations=("relu",)).activations == ("relu",) * 3
    assert RunConfig(hidden=(3,), activations=("relu", "tanh")).activations == ("relu",)


def test_only_data_network_and_loss_changes_need_a_rebuild():
    config = RunConfig()
    for name in LIVE_FIELDS:
        other = replace(config, **{name: getattr(EVERY_FIELD_CHANGED, name)})
        assert not config.needs_rebuild(other), name
    assert config.needs_rebuild(replace(config, hidden=(3,)))
    assert config.needs_rebuild(replace(config, loss="mse"))


def test_build_trainer_is_reproducible_from_the_seed():
    a, data_a = build_trainer(EVERY_FIELD_CHANGED)
    b, data_b = build_trainer(EVERY_FIELD_CHANGED)
    np.testing.assert_array_equal(data_a.train.x, data_b.train.x)
    a.run(5), b.run(5)
    for p, q in zip(a.model.parameters(), b.model.parameters(), strict=True):
        np.testing.assert_array_equal(p.value, q.value)


def test_build_trainer_shapes_the_network_from_config_and_data():
    trainer, data = build_trainer(EVERY_FIELD_CHANGED)
    assert trainer.model.sizes == [4, 8, 5, 3, 3]
    assert len(data.train) + len(data.test) == 120 and len(data.test) == 30
    assert trainer.loss.name == "mse" and trainer.loss.link == "softmax"
    assert trainer.batch_size == 7 and trainer.l2 == 0.003
    np.testing.assert_allclose(data.train_inputs.x.mean(axis=0), 0, atol=1e-12)  # standardized
    assert data.inputs(np.zeros((5, 2))).shape == (5, 4)


def test_tables_keep_every_point_for_training():
    trainer, data = build_trainer(RunConfig(dataset="toy", test_fraction=0.5))
    assert data.test is None and len(data.train) == 8 == train_size(RunConfig(dataset="toy"))


def test_train_size_matches_the_split():
    config = RunConfig(n_samples=130, test_fraction=0.3)
    assert train_size(config) == len(build_trainer(config)[1].train) == 91


def test_regression_always_uses_mse_on_a_linear_output():
    trainer, _ = build_trainer(RunConfig(dataset="regression", loss="cross_entropy"))
    assert trainer.loss.name == "mse" and trainer.loss.link == "identity"
    assert trainer.model.output == "linear"
    assert make_loss("cross_entropy", "binary").name == "binary_crossentropy"
    assert make_loss("mse", "binary").link == "sigmoid"


def test_csv_needs_its_dataset():
    with pytest.raises(DatasetError):
        build_trainer(RunConfig(dataset="csv"))
    points = Dataset(np.array([[0.0, 0], [1, 1], [0, 1], [1, 0]]), np.array([0, 0, 1, 1]), "mine")
    trainer, data = build_trainer(RunConfig(dataset="csv", test_fraction=0.0), points)
    assert len(data.train) == 4 and data.test is None


def test_plot_box_is_a_padded_square_around_the_points():
    x0, x1, y0, y1 = plot_box(np.array([[0.0, 0.0], [4.0, 1.0]]))
    assert x1 - x0 == pytest.approx(y1 - y0) == pytest.approx(4.8)
    assert (x0 + x1) / 2 == pytest.approx(2) and (y0 + y1) / 2 == pytest.approx(0.5)


def test_run_records_full_set_losses_per_advance():
    run = Run(RunConfig(hidden=(6,)))
    run.advance(7)
    run.advance(3)
    assert run.history.steps == [0, 7, 10]
    expected = run.trainer.evaluate(run.data.test_inputs).loss
    assert run.history.test_loss[-1] == expected
    assert len(run.history.grad_norms[-1]) == 2


def test_run_reconfigure_changes_live_settings_in_place():
    run = Run(RunConfig())
    run.advance(2)
    weights = run.trainer.model.parameters()[0].value.copy()
    run.reconfigure(replace(run.config, optimizer="adam", learning_rate=0.3, batch_size=50))
    assert run.steps == 2 and run.trainer.optimizer.name == "adam"
    assert run.trainer.optimizer.learning_rate == 0.3 and run.trainer.batch_size == 50
    np.testing.assert_array_equal(run.trainer.model.parameters()[0].value, weights)
    with pytest.raises(ValueError):
        run.reconfigure(replace(run.config, hidden=(2,)))


def test_run_stops_at_the_epoch_limit():
    run = Run(RunConfig(stop_epochs=2))
    run.advance(10_000)
    assert run.trainer.epoch == 2 and run.finished is not None


def test_run_divergence_keeps_the_history():
    run = Run(RunConfig(dataset="regression", learning_rate=50.0))
    with pytest.raises(TrainingDiverged):
        run.advance(500)
    assert run.history.steps[-1] == run.steps > 0
    assert np.isfinite(run.history.train_loss[-1])


def test_history_thins_old_rows_but_keeps_the_latest():
    run = Run(RunConfig())
    run.history.limit = 50
    for _ in range(80):
        run.advance(1)
    assert len(run.history.steps) <= 51 and run.history.steps[-1] == 80
    assert run.history.steps == sorted(run.history.steps)


def test_advance_stops_when_its_time_is_up_and_says_how_far_it_got():
    run = Run(RunConfig(dataset="moons", hidden=(8, 8)))
    assert run.advance(50, seconds=0.0) == 1  # the first step already spends the budget
    assert run.steps == 1 and run.history.steps[-1] == 1
    assert run.advance(50) == 50 and run.steps == 51
