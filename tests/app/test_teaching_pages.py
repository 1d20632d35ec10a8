"""The teaching pages under AppTest: Step through the math, Compare runs, Classroom, Export."""

from __future__ import annotations

import ast
import base64

import numpy as np
import plotly.io as pio
import pytest

from nnviz.core.activations import sigmoid
from nnviz.playground.config import RunConfig
from nnviz.ui.teaching.math_panel import TABS

MATH, COMPARE, CLASSROOM, PLAYGROUND = (
    "pages/step_math.py",
    "pages/compare.py",
    "pages/classroom.py",
    "pages/playground.py",
)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def shown_figures(at) -> list:
    return [pio.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]


def shown_matrix(at, symbol: str) -> np.ndarray:
    """The numbers of the matrix titled `symbol` in the first figure that shows it."""
    for figure in shown_figures(at):
        titles = [a.text for a in figure.layout.annotations if a.text.startswith("<b>")]
        if f"<b>{symbol}</b>" in titles:
            heatmaps = [t for t in figure.data if t.type == "heatmap"]
            return decoded(heatmaps[titles.index(f"<b>{symbol}</b>")].z)
    raise AssertionError(f"no matrix {symbol} shown")


def decoded(z) -> np.ndarray:
    """Plotly's JSON keeps arrays as base64 (`{"dtype", "bdata", "shape"}`): read them back."""
    if not isinstance(z, dict):
        return np.asarray(z)
    shape = tuple(int(n) for n in str(z["shape"]).split(","))
    return np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(shape)


def query_value(at, name: str) -> str:
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


def own_run(at):
    return at.session_state["math:run"]


# Step through the math


def test_math_page_waits_for_the_first_step(open_page):
    at = open_page(MATH)
    assert any("Press **Step** to take step 1" in i.value for i in at.info)
    assert own_run(at).config.hidden == (3,)  # 2-3-1 on XOR by default
    assert own_run(at).data.train.name.startswith("xor_table")


def test_a_step_shows_the_core_s_numbers_and_the_next_step_starts_from_the_update(open_page):
    at = open_page(MATH)
    model = own_run(at).trainer.model
    w1 = model.dense_layers[0].weights.value.copy()
    at.button(key="math.step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "1" and metric(at, "Batch size m") == "4"
    x, z1, a1 = shown_matrix(at, "A⁽⁰⁾ = X"), shown_matrix(at, "Z⁽¹⁾"), shown_matrix(at, "A⁽¹⁾")
    np.testing.assert_array_equal(shown_matrix(at, "W⁽¹⁾"), w1)  # the weights before the update
    np.testing.assert_allclose(z1, x @ w1 + model.dense_layers[0].bias.value * 0)  # b starts at 0
    np.testing.assert_allclose(a1, sigmoid(z1))
    inspection = at.session_state["math:inspected"]
    assert inspection.trace.step == 1 and inspection.run is own_run(at)

    at.session_state["math.tab"] = TABS[3]  # the update
    at.run()
    new_w1 = shown_matrix(at, "new W⁽¹⁾")
    np.testing.assert_array_equal(new_w1, model.dense_layers[0].weights.value)
    at.button(key="math.step").click().run()
    at.session_state["math.tab"] = TABS[0]
    at.run()
    assert metric(at, "Step") == "2"
    np.testing.assert_array_equal(shown_matrix(at, "W⁽¹⁾"), new_w1)


def test_every_tab_renders_its_equations(open_page):
    at = open_page(MATH)
    at.button(key="math.step").click().run()
    expected = {0: "Z^{(1)} = A^{(0)}", 1: r"\log", 2: r"dW^{(2)}", 3: r"\leftarrow"}
    for i, label in enumerate(TABS[:4]):
        at.session_state["math.tab"] = label
        at.run()
        assert not at.exception
        assert any(expected[i] in latex.value for latex in at.latex), label
    at.session_state["math.tab"] = TABS[2]
    at.run()
    dz2 = shown_matrix(at, "dZ⁽²⁾")
    trace = at.session_state["math:inspected"].trace
    np.testing.assert_allclose(dz2, (trace.layers[1].a - trace.y.reshape(-1, 1)) / 4)
    assert any("1/4" in c.value for c in at.caption)  # the honest 1/m note


def test_gradient_check_shows_errors_below_1e_6(open_page):
    at = open_page(MATH)
    at.button(key="math.step").click().run()
    at.session_state["math.tab"] = TABS[4]
    at.run()
    assert not at.exception
    assert float(metric(at, "Largest relative error")) < 1e-6
    assert metric(at, "Weights checked") == "13"
    assert any("Backprop is right" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert len(table) == 13 and (table["relative error"] < 1e-6).all()


def test_train_100_then_step_inspects_step_101_and_reset_goes_back(open_page):
    at = open_page(MATH)
    at.button(key="math.skip").click().run()
    at.button(key="math.step").click().run()
    assert metric(at, "Step") == "101"
    at.button(key="math.reset").click().run()
    assert own_run(at).steps == 0
    assert any("Press **Step**" in i.value for i in at.info)


def test_own_network_controls_shape_the_run(open_page):
    at = open_page(MATH)
    at.number_input(key="math.layers").set_value(2).run()
    at.number_input(key="math.units.1").set_value(4).run()
    at.toggle(key="math.per_sample").set_value(True).run()
    at.selectbox(key="math.dataset").set_value("toy").run()
    run = own_run(at)
    assert run.trainer.model.sizes == [2, 3, 4, 1]
    assert run.trainer.batch_size == 1
    at.button(key="math.step").click().run()
    assert metric(at, "Batch size m") == "1"
    assert shown_matrix(at, "A⁽⁰⁾ = X").shape == (1, 2)


def test_a_single_neuron_steps_too(open_page):
    at = open_page(MATH)
    at.number_input(key="math.layers").set_value(0).run()
    at.button(key="math.step").click().run()
    assert not at.exception
    assert own_run(at).trainer.model.sizes == [2, 1]


def test_inspecting_the_playground_s_run_takes_its_next_step(open_page):
    at = open_page(PLAYGROUND)
    at.button(key="pg.epoch").click().run()
    run = at.session_state["pg:run"]
    steps = run.steps
    at.switch_page(MATH).run()
    at.radio(key="math.source").set_value("playground").run()
    at.button(key="math.step").click().run()
    assert not at.exception
    assert run.steps == steps + 1 and run.history.steps[-1] == steps + 1
    assert metric(at, "Step") == f"{steps + 1}"
    assert shown_matrix(at, "A⁽⁰⁾ = X").shape == (8, 2)  # a batch of 10: the first 8 rows


def test_a_big_playground_network_is_shown_in_part_and_not_checked(open_page):
    big = RunConfig(dataset="spirals", n_samples=1000, hidden=(32, 32, 32), batch_size=700)
    at = open_page(PLAYGROUND, big.to_query())
    at.switch_page(MATH).run()
    at.radio(key="math.source").set_value("playground").run()
    at.button(key="math.step").click().run()
    assert not at.exception
    assert shown_matrix(at, "Z⁽²⁾").shape == (8, 8)
    at.session_state["math.tab"] = TABS[4]
    at.run()
    assert not at.exception
    assert any("too many to nudge" in i.value for i in at.info)


# Compare runs


def comparison(at):
    return at.session_state["cmp:comparison"]


def test_compare_page_shows_every_run_and_steps_them_together(open_page):
    at = open_page(COMPARE)
    labels = comparison(at).labels
    assert labels == ["sigmoid", "tanh", "ReLU"]
    at.button(key="cmp.step").click().run()
    assert [r.steps for r in comparison(at).runs] == [1, 1, 1]
    assert len(at.dataframe[0].value) == 3


def test_a_paused_run_waits_while_play_trains_the_others(open_page):
    at = open_page(COMPARE)
    at.button(key="cmp.pause.1").click().run()
    at.button(key="cmp.play").click().run()  # one tick under AppTest
    assert [r.steps for r in comparison(at).runs] == [10, 0, 10]
    at.button(key="cmp.step.1").click().run()
    assert [r.steps for r in comparison(at).runs][1] == 1
    at.button(key="cmp.play").click().run()
    assert at.button(key="cmp.play").label == "Play all"


def test_choosing_another_experiment_builds_its_runs_on_its_data(open_page):
    at = open_page(COMPARE)
    at.selectbox(key="cmp.experiment").set_value("init").run()
    assert comparison(at).labels == ["×0.01 (small random)", "Xavier (Glorot)"]
    assert at.selectbox(key="cmp.dataset").value == "xor"
    at.selectbox(key="cmp.dataset").set_value("moons").run()
    assert all(r.data.train.name.startswith("moons") for r in comparison(at).runs)


def test_compare_can_start_from_the_playground_s_settings(open_page):
    at = open_page(PLAYGROUND, {"dataset": "spirals", "hidden": "5"})
    at.switch_page(COMPARE).run()
    at.toggle(key="cmp.from_playground").set_value(True).run()
    assert not at.exception
    assert all(r.config.hidden == (5,) for r in comparison(at).runs)
    assert all(r.config.dataset == "spirals" for r in comparison(at).runs)


# Classroom


def test_a_lesson_link_loads_the_preset_with_hidden_controls(open_page):
    at = open_page(CLASSROOM, {"preset": "xor-stall", "hide": "network"})
    config = at.session_state["pg:config"]
    assert config.initializer == "small_random" and config.hide == ("network",)
    assert "pg.layers" not in {w.key for w in at.number_input}
    assert query_value(at, "preset") == "xor-stall"
    at.button(key="pg.step").click().run()
    assert at.session_state["pg:run"].steps == 1
    assert any("preset=xor-stall" in c.value and "hide=network" in c.value for c in at.code)


def test_choosing_a_lesson_replaces_the_playground_run(open_page):
    at = open_page(CLASSROOM)
    assert at.session_state["pg:config"].hidden == ()  # the first lesson
    at.pills(key="class.pick").set_value("xor-learns").run()
    assert not at.exception
    run = at.session_state["pg:run"]
    assert run.config.hidden == (4,) and run.steps == 0
    assert at.number_input(key="pg.units.0").value == 4  # the sidebar shows the preset
    assert query_value(at, "preset") == "xor-learns"


def test_a_run_link_made_on_the_classroom_page_opens_the_playground(open_page):
    at = open_page(CLASSROOM, {"dataset": "moons", "hidden": "6"})
    assert not at.exception
    assert at.session_state["pg:run"].config == RunConfig(dataset="moons", hidden=(6,))
    assert at.selectbox(key="pg.dataset").value == "moons"


def test_an_mnist_lesson_renders_its_settings(open_page):
    at = open_page(CLASSROOM, {"preset": "mnist-gd"})
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "784-10-10 relu" in text and "full batch" in text


# Export


@pytest.fixture
def export_open(open_page):
    at = open_page(PLAYGROUND)
    at.button(key="pg.epoch").click().run()
    at.session_state["export.open"] = True
    at.run()
    return at


def test_export_shows_the_numpy_script_for_this_run(export_open):
    at = export_open
    steps = at.session_state["pg:run"].steps
    code = at.code[0].value
    ast.parse(code)
    assert f"STEPS = {steps}" in code and "final_loss=" in code
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download nnviz_run.py"]


def test_export_shows_keras_code_and_offers_the_history_and_the_model(export_open):
    at = export_open
    at.session_state["export.tab"] = "Keras code"
    at.run()
    assert "model.fit(" in at.code[0].value
    ast.parse(at.code[0].value)
    at.session_state["export.tab"] = "History, model, charts"
    at.run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download history (.csv)", "Download model (.npz)"]
    assert any("camera icon" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2  # the boundary and the curves, with a PNG button


def test_history_frame_matches_the_run():
    from nnviz.playground.run import Run
    from nnviz.ui.teaching.export import history_frame

    run = Run(RunConfig())
    run.advance(5)
    frame = history_frame(run)
    assert list(frame["step"]) == [0, 5]
    assert frame["train_loss"].iloc[-1] == run.history.train_loss[-1]
