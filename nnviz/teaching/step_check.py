"""The gradient check of one traced step, as rows to show: backprop against finite differences.

    ∂L/∂θᵢ ≈ (L(θ + εeᵢ) − L(θ − εeᵢ)) / 2ε        (central differences, ε = 10⁻⁶)

on the step's own batch and starting weights, for every weight and bias. In float64 the two
agree to a relative error far below `AGREE`; a gradient near 0 (a stalled network) is the
exception — rounding alone then gives it a large relative error, so the verdict there looks at
the absolute difference, which finite differences resolve to about `RESOLUTION`.
"""

from __future__ import annotations

import numpy as np

from nnviz.core import Loss, Sequential, gradient_check, relative_error
from nnviz.core.gradcheck import GradientCheck
from nnviz.core.trace import StepTrace
from nnviz.teaching.step_math import sup

MAX_CHECK_WORK = 60_000  # parameters × samples: two forward passes per parameter
AGREE = 1e-6  # relative error below which backprop and finite differences agree (float64)
RESOLUTION = 1e-9  # rounding in (f(θ+ε) - f(θ-ε)) / 2ε: differences below this mean nothing


def check_work(model: Sequential, trace: StepTrace) -> int:
    """How much a finite-difference check of this step costs, in parameter × sample units."""
    return model.n_parameters * len(trace.y)


def check_step(model: Sequential, loss: Loss, trace: StepTrace) -> list[GradientCheck]:
    """Backprop's gradient next to central differences, on the step's own batch and starting
    weights (a float64 copy of `model`; the model itself is not touched). The L2 term and
    dropout are left out: this checks the data loss's gradient."""
    if model.dtype != np.float64:
        raise ValueError("the gradient check needs a float64 model: float32 rounding drowns it")
    copy = model.copy()
    for dense, layer in zip(copy.dense_layers, trace.layers, strict=True):
        dense.weights.value[...] = layer.weights
        dense.bias.value[...] = layer.bias
    return gradient_check(copy, loss, trace.layers[0].a_prev, trace.y)


def check_rows(checks: list[GradientCheck]) -> list[dict]:
    """One row per weight and bias: both gradients, their difference, relative error, verdict.

    A gradient near 0 (say 1e-8, a stalled network) has a large relative error by rounding
    alone: finite differences resolve about `RESOLUTION`, so there the absolute difference counts.
    """
    rows = []
    for check in checks:
        analytic, numeric = check.analytic, check.numeric
        error = relative_error(analytic, numeric)
        for index in np.ndindex(analytic.shape):
            rows.append(
                {
                    "parameter": f"{parameter_symbol(check.name)}[{', '.join(map(str, index))}]",
                    "backprop": float(analytic[index]),
                    "finite differences": float(numeric[index]),
                    "difference": float(abs(analytic[index] - numeric[index])),
                    "relative error": float(error[index]),
                    "verdict": verdict(float(error[index]), abs(analytic[index] - numeric[index])),
                }
            )
    return rows


def parameter_symbol(name: str) -> str:
    """A Dense parameter's name as the equations write it: "L2.W" → "W⁽²⁾"."""
    layer, _, kind = name.partition(".")
    return f"{kind}{sup(layer[1:])}" if layer[:1] == "L" and layer[1:].isdigit() else name


def verdict(relative: float, difference: float) -> str:
    if relative < AGREE:
        return "agree"
    return "agree (too small to resolve)" if difference < RESOLUTION else "DISAGREE"
