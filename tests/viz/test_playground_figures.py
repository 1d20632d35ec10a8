"""The figure builders return figures with the traces and shapes their pictures need."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from nnviz.core import Grid
from nnviz.datasets import Dataset
from nnviz.viz import (
    boundary_figure,
    curves_figure,
    gradients_figure,
    network_figure,
    neurons_figure,
    theme,
    unit_names,
    weights_figure,
)
from nnviz.viz.neurons import GAP, MID


@pytest.fixture(autouse=True)
def validating(monkeypatch):
    """The builders skip plotly's validation for speed (invalid keys would be dropped
    silently); here every figure is built with it, so a bad property fails the test."""
    monkeypatch.setattr(
        theme, "figure", lambda data, layout: go.Figure({"data": data, "layout": layout})
    )


def grid(k: int, res: int = 10) -> Grid:
    values = np.random.default_rng(0).dirichlet(np.ones(max(k, 2)), (res, res))[:, :, :k]
    return Grid(np.linspace(-1, 1, res), np.linspace(-2, 2, res), values)


def points(y: np.ndarray) -> Dataset:
    return Dataset(np.random.default_rng(1).normal(size=(len(y), 2)), y, "pts")


def test_binary_boundary_is_the_probability_plane_plus_points():
    fig = boundary_figure(grid(1), points(np.array([0, 1, 1])), points(np.array([1, 0])))
    plane, *scatters = fig.data
    assert plane.type == "heatmap" and plane.z.shape == (10, 10)
    assert (plane.zmin, plane.zmax) == (0, 1)
    assert [s.name for s in scatters] == ["train", "train", "test", "test"]
    assert sum(len(s.x) for s in scatters) == 5
    assert fig.layout.yaxis.scaleanchor == "x"


def test_discretize_shows_only_the_predicted_class():
    g = grid(1)
    fig = boundary_figure(g, points(np.array([0, 1])), discretize=True)
    np.testing.assert_array_equal(fig.data[0].z, (g.values[:, :, 0] > 0.5).astype(np.float32))


def test_three_classes_get_three_colour_bands():
    g = grid(3)
    fig = boundary_figure(g, points(np.array([0, 1, 2, 2])))
    z = np.asarray(fig.data[0].z)
    np.testing.assert_array_equal(np.floor(z * 3), g.values.argmax(axis=2))
    assert len({s.marker.color for s in fig.data[1:]}) == 3


def test_regression_shows_a_surface_and_points_on_one_colour_axis():
    data = Dataset(np.zeros((4, 2)), np.array([[-2.0], [0.0], [1.0], [0.5]]), "r")
    fig = boundary_figure(grid(1), data)
    assert fig.data[0].coloraxis == "coloraxis" and fig.data[1].marker.coloraxis == "coloraxis"
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (-2, 2)


def test_curves_have_loss_and_accuracy_panels_for_train_and_test():
    fig = curves_figure(
        [0, 5, 10], [1.0, 0.8, 0.5], [1.1, 0.9, None], [0.5, 0.6, 0.9], [0.4, 0.5, 0.8]
    )
    assert [(t.name, t.yaxis) for t in fig.data] == [
        ("train", "y"),
        ("test", "y"),
        ("train", "y2"),
        ("test", "y2"),
    ]
    assert np.isnan(fig.data[1].y[2])


def test_curves_for_regression_have_no_accuracy_panel():
    fig = curves_figure([0, 1], [2.0, 1.0], None, [None, None])
    assert [t.name for t in fig.data] == ["train"] and "yaxis2" not in fig.layout.to_plotly_json()


def test_neurons_are_tiled_by_layer_and_scaled_around_their_midpoint():
    res = 8
    tanh = np.random.default_rng(2).uniform(-0.5, 0.5, (res, res, 3))
    sigmoid = np.full((res, res, 2), 0.5)
    fig = neurons_figure([tanh, sigmoid], ["a", "b"], ["tanh", "sigmoid"])
    z = np.asarray(fig.data[0].z, dtype=float)
    tiles = z != GAP
    assert tiles.sum() == (3 + 2) * res * res
    assert np.abs(z[tiles] - MID).max() == 127  # every tile spans its own full scale
    assert [a.text for a in fig.layout.annotations] == ["<b>a</b>", "<b>b</b>"]


def test_no_hidden_layers_gives_an_explaining_empty_panel():
    fig = neurons_figure([], [], [])
    assert not fig.data and "No hidden layers" in fig.layout.annotations[0].text


def test_weights_are_one_heatmap_per_layer_on_a_scale_centred_on_zero():
    ws = [np.array([[1.0, -3.0]]), np.array([[0.5], [2.0]])]
    fig = weights_figure(ws, ["x1"])
    assert [t.type for t in fig.data] == ["heatmap", "heatmap"]
    assert [np.asarray(t.z).shape for t in fig.data] == [(1, 2), (2, 1)]
    assert (fig.layout.coloraxis.cmin, fig.layout.coloraxis.cmax) == (-3, 3)
    assert list(fig.data[1].y) == ["h1.1", "h1.2"]


def test_network_links_follow_weight_sign_and_size():
    ws = [np.array([[1.0, -0.1], [0.0, -2.0]]), np.array([[0.3], [-0.3]])]
    fig = network_figure(ws, [np.zeros(2), np.zeros(1)], ["x1", "x2"])
    lines = [t for t in fig.data if t.mode == "lines"]
    blue = [t for t in lines if t.line.color == "#2878b5"]
    orange = [t for t in lines if t.line.color == "#e8822a"]
    segments = lambda ts: sum(np.isnan(np.asarray(t.x, dtype=float)).sum() for t in ts)  # noqa: E731
    assert segments(blue) == 3 and segments(orange) == 3  # w ≥ 0 blue, w < 0 orange
    widest = max(lines, key=lambda t: t.line.width)
    assert widest.line.color == "#e8822a"  # |-2| is the largest weight
    hover = next(
        t
        for t in fig.data
        if t.mode == "markers" and t.customdata is not None and len(t.customdata) == 6
    )
    assert sorted(hover.customdata) == sorted([1, -0.1, 0, -2, 0.3, -0.3])


def test_unit_names():
    assert unit_names([2, 3, 1], ["x1", "x2"]) == [["x1", "x2"], ["h1.1", "h1.2", "h1.3"], ["ŷ"]]


def test_gradients_figure_without_relu_layers_has_no_bars():
    fig = gradients_figure([0, 1], [[0.1, 0.2], [0.1, 0.3]], [None])
    assert [t.type for t in fig.data] == ["scatter", "scatter"]


def test_gradients_figure_has_a_line_per_layer_and_dead_unit_bars():
    fig = gradients_figure([0, 1, 2], [[0, 0], [1e-3, 0.5], [1e-4, 0.2]], [0.25])
    lines = [t for t in fig.data if t.type == "scatter"]
    assert [t.name for t in lines] == ["‖dW1‖", "‖dW2‖"]
    assert np.isnan(lines[0].y[0])  # a zero norm has no place on a log axis
    bars = next(t for t in fig.data if t.type == "bar")
    assert list(bars.y) == [0.25] and fig.layout.yaxis.type == "log"
