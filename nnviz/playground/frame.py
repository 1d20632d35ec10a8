"""The arrays a Playground frame is drawn from, read off the run's model through the probes.

Plain functions of a `Run`: the figures (`nnviz.viz`) are built from what these return, and
training is not part of it (the caller advances the run, then asks for the pictures).
"""

from __future__ import annotations

import numpy as np

from nnviz.core import Grid, dead_unit_fraction, decision_grid, hidden_activations
from nnviz.core.probes import grid_points
from nnviz.playground.run import Run

VIEWS = ("neurons", "network", "weights", "gradients")


def boundary_grid(run: Run, resolution: int = 100) -> Grid:
    """The model's output over the plot's box, `resolution` points a side."""
    return decision_grid(run.trainer.model, run.data.box, resolution, transform=run.data.inputs)


def neuron_resolution(total_units: int) -> int:
    """Tile resolution for the neuron maps: finer when there are few tiles to draw."""
    return 40 if total_units <= 16 else 24 if total_units <= 64 else 16


def neuron_maps(run: Run) -> list[np.ndarray]:
    """Every hidden unit's output over the plot's box: one `(res, res, units)` per layer."""
    res = neuron_resolution(sum(run.config.hidden))
    _, _, points = grid_points(run.data.box, res)
    activations = hidden_activations(run.trainer.model, run.data.inputs(points))
    return [a.reshape(res, res, -1) for a in activations]


def dead_units(run: Run) -> list[float | None]:
    """Per hidden layer: the share of ReLU units dead on the training inputs (None if not ReLU)."""
    fractions = iter(dead_unit_fraction(run.trainer.model, run.data.train_inputs.x))
    return [next(fractions) if a == "relu" else None for a in run.config.activations]
