"""A Playground frame's figures: the run's arrays (`nnviz.playground`) drawn by `nnviz.viz`.

No Streamlit here, so benchmarks and tests can build a frame without an app.
"""

from __future__ import annotations

import plotly.graph_objects as go

from nnviz.playground import VIEWS, Run, boundary_grid, dead_units, neuron_maps
from nnviz.viz import (
    boundary_figure,
    curves_figure,
    gradients_figure,
    network_figure,
    neurons_figure,
    weights_figure,
)


def playground_figures(
    run: Run, views: tuple[str, ...] = ("neurons",), discretize: bool = False
) -> dict[str, go.Figure]:
    """The figures of one frame: "boundary", "curves" (loss, and accuracy for classes), and
    each of `views` (a subset of `VIEWS`)."""
    h, data = run.history, run.data
    figures = {
        "boundary": boundary_figure(
            boundary_grid(run), data.train, data.test, discretize=discretize
        ),
        "curves": curves_figure(
            h.steps, h.train_loss, h.test_loss, h.train_accuracy, h.test_accuracy
        ),
    }
    for view in views:
        figures[view] = view_figure(run, view)
    return figures


def view_figure(run: Run, view: str) -> go.Figure:
    """One of the inspector pictures (`VIEWS`) for the run's current model."""
    dense, config = run.trainer.model.dense_layers, run.config
    weights = [d.weights.value for d in dense]
    if view == "neurons":
        names = [f"layer {i + 1} · {a}" for i, a in enumerate(config.activations)]
        return neurons_figure(neuron_maps(run), names, config.activations)
    if view == "network":
        return network_figure(weights, [d.bias.value for d in dense], config.features)
    if view == "weights":
        return weights_figure(weights, config.features)
    if view == "gradients":
        return gradients_figure(run.history.steps, run.history.grad_norms, dead_units(run))
    raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
