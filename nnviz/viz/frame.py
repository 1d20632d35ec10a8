"""One live frame of the playground: read the model through the probes, build the figures.

A plain function of a `Run`, so the bench can time it without Streamlit. Training is not part
of it: the caller advances the run, then asks for the pictures.
"""

from __future__ import annotations

import plotly.graph_objects as go

from nnviz.core import dead_unit_fraction, decision_grid, hidden_activations
from nnviz.core.probes import grid_points
from nnviz.run import Run
from nnviz.viz.boundary import boundary_figure
from nnviz.viz.curves import curves_figure, gradients_figure
from nnviz.viz.network import network_figure, weights_figure
from nnviz.viz.neurons import neurons_figure

VIEWS = ("neurons", "network", "weights", "gradients")


def neuron_resolution(total_units: int) -> int:
    """Tile resolution for the neuron maps: finer when there are few tiles to draw."""
    return 40 if total_units <= 16 else 24 if total_units <= 64 else 16


def playground_figures(
    run: Run, views: tuple[str, ...] = ("neurons",), discretize: bool = False
) -> dict[str, go.Figure]:
    """The figures of one frame: "boundary", "curves" (loss, and accuracy for classes), and
    each of `views` (a subset of `VIEWS`)."""
    h, data, model = run.history, run.data, run.trainer.model
    grid = decision_grid(model, data.box, 100, transform=data.inputs)
    figures = {
        "boundary": boundary_figure(grid, data.train, data.test, discretize=discretize),
        "curves": curves_figure(
            h.steps, h.train_loss, h.test_loss, h.train_accuracy, h.test_accuracy
        ),
    }
    for view in views:
        figures[view] = view_figure(run, view)
    return figures


def view_figure(run: Run, view: str) -> go.Figure:
    """One of the inspector pictures (`VIEWS`) for the run's current model."""
    model, data, config = run.trainer.model, run.data, run.config
    weights = [d.weights.value for d in model.dense_layers]
    if view == "neurons":
        res = neuron_resolution(sum(config.hidden))
        _, _, points = grid_points(data.box, res)
        layers = [a.reshape(res, res, -1) for a in hidden_activations(model, data.inputs(points))]
        names = [f"layer {i + 1} · {a}" for i, a in enumerate(config.activations)]
        return neurons_figure(layers, names, config.activations)
    if view == "network":
        biases = [d.bias.value for d in model.dense_layers]
        return network_figure(weights, biases, config.features)
    if view == "weights":
        return weights_figure(weights, config.features)
    if view == "gradients":
        return gradients_figure(run.history.steps, run.history.grad_norms, dead_units(run))
    raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")


def dead_units(run: Run) -> list[float | None]:
    """Per hidden layer: the share of ReLU units dead on the training inputs (None if not ReLU)."""
    fractions = iter(dead_unit_fraction(run.trainer.model, run.data.train_inputs.x))
    return [next(fractions) if a == "relu" else None for a in run.config.activations]
