"""The Playground under AppTest: buttons do what they say, the URL carries the run."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.playground.config import RunConfig
from nnviz.ui.playground.panel import VIEW_LABELS
from tests.app.conftest import live_charts

PAGE = "pages/playground.py"


def run_of(at):
    return at.session_state["pg:run"]


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_page_shows_the_boundary_the_curves_and_the_neurons(open_page):
    at = open_page(PAGE)
    charts = live_charts(at)
    assert set(charts) == {"pg.chart.boundary", "pg.chart.curves", "pg.chart.neurons"}
    assert charts["pg.chart.boundary"]["data"][0]["type"] == "heatmap"
    assert metric(at, "Step") == "0"


def test_step_trains_exactly_one_mini_batch_and_changes_the_loss(open_page):
    at = open_page(PAGE)
    run = run_of(at)
    before = run.history.train_loss[-1]
    at.button(key="pg.step").click().run()
    assert run_of(at) is run
    assert run.steps == 1
    assert metric(at, "Step") == "1"
    assert run.history.train_loss[-1] != before


def test_step_epoch_finishes_one_pass(open_page):
    at = open_page(PAGE)
    at.button(key="pg.epoch").click().run()
    run = run_of(at)
    assert run.trainer.epoch == 1
    assert run.steps == int(np.ceil(len(run.data.train) / run.config.batch_size))


def test_play_trains_one_tick_per_run_and_pause_stops(open_page):
    at = open_page(PAGE, {"steps_per_frame": "5"})
    at.button(key="pg.play").click().run()
    assert run_of(at).steps == 5
    at.run()
    assert run_of(at).steps == 10
    assert at.button(key="pg.play").label == "Pause"
    at.button(key="pg.play").click().run()
    paused_at = run_of(at).steps
    at.run()
    assert run_of(at).steps == paused_at
    assert at.button(key="pg.play").label == "Play"


def test_reset_goes_back_to_step_zero_and_the_same_initial_weights(open_page):
    at = open_page(PAGE)
    initial = [p.value.copy() for p in run_of(at).trainer.model.parameters()]
    for _ in range(3):
        at.button(key="pg.step").click().run()
    at.button(key="pg.reset").click().run()
    run = run_of(at)
    assert run.steps == 0 and metric(at, "Step") == "0"
    for p, start in zip(run.trainer.model.parameters(), initial, strict=True):
        np.testing.assert_array_equal(p.value, start)


def test_switching_the_dataset_rebuilds(open_page):
    at = open_page(PAGE)
    at.button(key="pg.step").click().run()
    at.selectbox(key="pg.dataset").set_value("spirals3").run()
    run = run_of(at)
    assert run.steps == 0
    assert run.data.train.name.startswith("spirals3")
    assert run.trainer.model.sizes[-1] == 3


def test_adding_a_hidden_layer_rebuilds_the_network(open_page):
    at = open_page(PAGE)
    at.number_input(key="pg.layers").increment().run()
    at.number_input(key="pg.units.2").set_value(5).run()
    assert run_of(at).trainer.model.sizes == [2, 4, 2, 5, 1]
    assert run_of(at).config.hidden == (4, 2, 5)


def test_learning_rate_optimizer_and_batch_size_change_without_a_rebuild(open_page):
    at = open_page(PAGE)
    at.button(key="pg.step").click().run()
    run = run_of(at)
    at.select_slider(key="pg.lr").set_value(0.3).run()
    at.selectbox(key="pg.optimizer").set_value("adam").run()
    at.slider(key="pg.batch").set_value(32).run()
    assert run_of(at) is run and run.steps == 1
    assert run.trainer.optimizer.name == "adam"
    assert run.trainer.optimizer.learning_rate == 0.3
    assert run.trainer.batch_size == 32


def test_a_query_string_restores_the_same_config(open_page):
    config = RunConfig(
        dataset="moons",
        noise=0.25,
        hidden=(6, 3, 2),
        activations=("relu", "tanh", "sigmoid"),
        features=("x1", "x2", "x1·x2"),
        standardize=True,
        optimizer="adam",
        learning_rate=0.003,
        batch_size=16,
        seed=7,
        initializer="he_normal",
    )
    at = open_page(PAGE, config.to_query())
    assert run_of(at).config == config
    assert at.selectbox(key="pg.dataset").value == "moons"
    assert at.number_input(key="pg.units.0").value == 6
    assert at.selectbox(key="pg.act.2").value == "sigmoid"
    assert _flat(at.query_params) == config.to_query()


def test_changing_a_control_updates_the_url(open_page):
    at = open_page(PAGE)
    at.selectbox(key="pg.dataset").set_value("xor").run()
    assert RunConfig.from_query(_flat(at.query_params)) == RunConfig(dataset="xor")


def test_invalid_link_settings_are_ignored_not_fatal(open_page):
    at = open_page(PAGE, {"hidden": "99", "dataset": "gaussians", "nonsense": "1"})
    assert run_of(at).config == RunConfig(dataset="gaussians")


def test_a_classroom_link_hides_the_chosen_controls(open_page):
    at = open_page(PAGE, {"hide": "data,network"})
    keys = {w.key for w in [*at.selectbox, *at.number_input, *at.slider]}
    assert "pg.dataset" not in keys and "pg.layers" not in keys
    assert "pg.optimizer" in keys
    assert run_of(at).config.hide == ("data", "network")


def test_the_share_box_builds_a_classroom_link(open_page):
    at = open_page(PAGE)
    at.multiselect(key="pg.share_hide").set_value(["learning_rate"]).run()
    links = [c.value for c in at.code]
    assert any("hide=learning_rate" in link for link in links)


def test_a_bad_csv_shows_an_error_and_nothing_crashes(open_page):
    at = open_page(PAGE)
    at.selectbox(key="pg.dataset").set_value("csv").run()
    assert any("Upload a CSV" in i.value for i in at.info)
    at.file_uploader(key="pg.csv").upload("bad.csv", b"x1;x2;label\n1;2;0\n", "text/csv")
    at.run()
    assert not at.exception
    assert any("bad.csv" in e.value and "columns" in e.value for e in at.error)


def test_a_good_csv_trains(open_page):
    rows = "\n".join(f"{x},{y},{int(x * y > 0)}" for x in (-1, -0.5, 0.5, 1) for y in (-1, 1))
    at = open_page(PAGE)
    at.selectbox(key="pg.dataset").set_value("csv").run()
    at.file_uploader(key="pg.csv").upload("quads.csv", f"x1,x2,y\n{rows}\n".encode(), "text/csv")
    at.run()
    at.button(key="pg.step").click().run()
    assert not at.exception and not at.error
    assert run_of(at).steps == 1 and len(run_of(at).dataset) == 8


def test_a_diverging_learning_rate_pauses_and_says_what_to_try(open_page):
    query = {
        "dataset": "regression",
        "optimizer": "sgd",
        "learning_rate": "50.0",
        "steps_per_frame": "200",
    }
    at = open_page(PAGE, query)
    at.button(key="pg.play").click().run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "diverged" in message and "smaller learning rate" in message
    assert at.button(key="pg.play").label == "Play"
    at.button(key="pg.notice_reset").click().run()
    assert run_of(at).steps == 0 and not at.error


def test_a_frame_over_its_time_budget_is_throttled_and_says_so(open_page, monkeypatch):
    monkeypatch.setattr("nnviz.ui.playground.panel.WORK_SECONDS", 0.0)  # one step fills it
    at = open_page(PAGE, {"steps_per_frame": "200"})
    at.button(key="pg.play").click().run()
    assert run_of(at).steps == 1
    assert any("capped" in c.value and "not 200" in c.value for c in at.caption)
    at.button(key="pg.play").click().run()  # paused: no throttle note
    assert not any("capped" in c.value for c in at.caption)


def test_a_stop_condition_pauses_with_a_note(open_page):
    at = open_page(PAGE, {"stop_epochs": "1", "steps_per_frame": "200"})
    at.button(key="pg.play").click().run()
    assert run_of(at).trainer.epoch == 1
    assert any("1 epochs" in i.value for i in at.info)
    assert at.button(key="pg.play").label == "Play"


@pytest.mark.parametrize("view", ["network", "weights", "gradients"])
def test_each_inspector_tab_draws_its_figure(open_page, view):
    at = open_page(PAGE, {"activations": "relu"})
    at.session_state["pg.view"] = VIEW_LABELS[view]
    at.button(key="pg.step").click().run()
    assert f"pg.chart.{view}" in live_charts(at)


def _flat(params) -> dict[str, str]:
    return {k: v[-1] if isinstance(v, list) else v for k, v in dict(params).items()}


def test_link_values_outside_the_menus_still_work(open_page):
    at = open_page(PAGE, {"initializer": "xavier_uniform", "learning_rate": "0.02"})
    assert run_of(at).config == RunConfig(initializer="xavier_uniform", learning_rate=0.02)
    assert at.select_slider(key="pg.lr").value == 0.02


def test_a_network_without_hidden_layers(open_page):
    at = open_page(PAGE, {"hidden": ""})
    at.button(key="pg.step").click().run()
    assert run_of(at).trainer.model.sizes == [2, 1]
    assert "No hidden layers" in str(live_charts(at)["pg.chart.neurons"]["layout"])


def test_a_classroom_link_cannot_hide_the_csv_upload(open_page):
    at = open_page(PAGE, {"dataset": "csv", "hide": "data"})
    assert at.file_uploader(key="pg.csv") is not None


def test_the_loss_of_a_diverged_run_is_printed_short():
    from nnviz.ui.player import loss_text

    assert loss_text(0.123456) == "0.1235" and loss_text(1e300) == "1e+300"


def test_choosing_the_csv_dataset_keeps_the_batch_size_until_an_upload(open_page):
    at = open_page(PAGE, {"batch_size": "20"})
    at.selectbox(key="pg.dataset").set_value("csv").run()
    assert not at.exception
    assert any("once the CSV is uploaded" in c.value for c in at.caption)
    csv = "x1,x2,label\n" + "".join(f"{i / 50},{(i * 7 % 50) / 50},{i % 2}\n" for i in range(50))
    at.file_uploader(key="pg.csv").upload("points.csv", csv.encode(), "text/csv")
    at.run()
    assert at.slider(key="pg.batch").value == 20
