"""The matrix, gradient-check and comparison figures: what they draw, and that plotly accepts it."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from nnviz.core.trace import trace_step
from nnviz.playground.config import RunConfig
from nnviz.playground.run import History, Run
from nnviz.teaching import step_check as sc
from nnviz.teaching import step_math as sm
from nnviz.teaching.step_math import DEFAULT_NETWORK as DEFAULT
from nnviz.viz.comparison import comparison_figure, run_color
from nnviz.viz.matrices import (
    FLOW_COLORS,
    MAX_ROWS,
    equation_figure,
    gradient_check_figure,
    number_text,
    term_style,
)


def valid(figure: go.Figure) -> dict:
    """The figure as plotly's JSON dict, validated property by property."""
    return go.Figure(figure.to_dict()).to_dict()


def panels(figure: dict) -> list[tuple[float, float]]:
    layout = figure["layout"]
    names = sorted((k for k in layout if k.startswith("xaxis")), key=lambda k: int(k[5:] or 1))
    return [tuple(layout[name]["domain"]) for name in names]


def test_every_term_is_a_heatmap_with_its_numbers_printed():
    terms = (
        sm.Term("A", np.array([[1.0, -0.5], [0.25, 2e-7]])),
        sm.Term("W", np.array([[3.0], [-1.0]])),
        sm.Term("Z", np.array([[2.5], [0.75]]), key="Z1", flow="kept"),
    )
    figure = valid(equation_figure(terms, ("·", "=")))
    heatmaps = [t for t in figure["data"] if t["type"] == "heatmap"]
    assert len(heatmaps) == 3
    assert heatmaps[0]["text"] == [["1", "−0.5"], ["0.25", "2e−07"]]
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert "·" in texts and "=" in texts
    assert "<b>Z</b>" in texts
    assert any("2 × 1" in t and "kept" in t for t in texts)


def test_panels_sit_side_by_side_inside_the_figure():
    run = Run(DEFAULT)
    trace = trace_step(run.trainer)
    for equation in [
        sm.forward_equation(trace.layers[0], False),
        sm.output_gradient_equation(trace, run.trainer.loss),  # three narrow columns
        *sm.backward_equations(trace.layers[1]),
    ]:
        domains = panels(valid(equation_figure(equation.terms, equation.operators)))
        assert len(domains) == len(equation.terms)
        assert all(0 <= lo < hi <= 1 for lo, hi in domains)
        assert all(a[1] < b[0] for a, b in zip(domains, domains[1:], strict=False))


def test_a_big_matrix_shows_its_corner_and_says_so():
    big = np.arange(200 * 32, dtype=float).reshape(200, 32)
    shown = equation_figure((sm.Term("A", big), sm.Term("b", big[:1])), ("+",))
    figure = valid(shown)
    assert np.asarray(shown.data[0].z).shape == (MAX_ROWS, 8)
    np.testing.assert_array_equal(shown.data[0].z, big[:MAX_ROWS, :8])
    texts = " ".join(a["text"] for a in figure["layout"]["annotations"])
    assert "200 × 32 (8 × 8 shown)" in texts


def test_the_same_quantity_has_the_same_colour_and_gradients_are_dashed():
    assert term_style("A1") == (FLOW_COLORS[1], "solid")
    assert term_style("dA1") == (FLOW_COLORS[1], "dash")
    assert term_style("Z2") == (FLOW_COLORS[2], "dot")
    assert term_style(None) == (None, "solid")
    run = Run(DEFAULT)
    trace = trace_step(run.trainer)
    forward = equation_figure(*_parts(sm.forward_equation(trace.layers[0], False)))
    backward = equation_figure(*_parts(sm.backward_equations(trace.layers[1])[0]))
    a1_forward = forward.layout.shapes[-1]  # A⁽¹⁾, last term of layer 1's forward pass
    a1_backward = backward.layout.shapes[0]  # A⁽¹⁾ᵀ, first term of dW⁽²⁾
    assert a1_forward.line.color == a1_backward.line.color == FLOW_COLORS[1]


def _parts(equation: sm.Equation):
    return equation.terms, equation.operators


def test_number_text_uses_three_significant_digits_and_a_real_minus():
    assert number_text(-0.012345) == "−0.0123"
    assert number_text(1234.5) == "1.23e+03"


def test_gradient_check_figure_has_a_point_per_weight_and_the_agreement_line():
    run = Run(DEFAULT)
    trace = trace_step(run.trainer)
    rows = sc.check_rows(sc.check_step(run.trainer.model, run.trainer.loss, trace))
    figure = valid(gradient_check_figure(rows, sc.AGREE))
    assert sum(len(t["x"]) for t in figure["data"]) == len(rows) == 13
    assert figure["layout"]["shapes"][0]["y0"] == sc.AGREE
    assert figure["layout"]["yaxis"]["type"] == "log"


@pytest.mark.parametrize("dataset", ["circles", "regression"])
def test_comparison_figure_overlays_one_colour_per_run(dataset):
    runs = [Run(RunConfig(dataset=dataset, learning_rate=lr)) for lr in (0.01, 0.3)]
    for run in runs:
        run.advance(20)
    figure = valid(comparison_figure([r.history for r in runs], ["slow", "fast"]))
    train = [t for t in figure["data"] if t["yaxis"] == "y" and t["line"]["dash"] == "solid"]
    assert [t["name"] for t in train] == ["slow", "fast"]
    assert [t["line"]["color"] for t in train] == [run_color(0), run_color(1)]
    assert ("yaxis2" in figure["layout"]) == (dataset != "regression")


def test_comparison_figure_switches_to_a_log_axis_for_a_wide_range():
    h = History()
    h.append(
        steps=0, epochs=0, train_loss=1.0, test_loss=None, train_accuracy=None,
        test_accuracy=None, grad_norms=[],
    )  # fmt: skip
    h.append(
        steps=10, epochs=1, train_loss=0.001, test_loss=None, train_accuracy=None,
        test_accuracy=None, grad_norms=[],
    )  # fmt: skip
    assert comparison_figure([h], ["one"]).layout.yaxis.type == "log"
