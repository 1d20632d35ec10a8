"""Curves over training steps: loss, accuracy, and per-layer gradient norms with dead units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import plotly.graph_objects as go

from nnviz.viz import theme


class Curves(Protocol):
    """A run's recorded curves, one value per recorded step (None where not measured)."""

    steps: Sequence[int]
    train_loss: Sequence[float]
    test_loss: Sequence[float | None]
    train_accuracy: Sequence[float | None]
    test_accuracy: Sequence[float | None]


def line_trace(
    x: Sequence[float], y: Sequence[float | None], name: str, color: str, what: str = "", **kw
) -> dict:
    """A step curve (None values become gaps); extra keys (`xaxis`, `legendgroup`, `line`…)
    pass through to the trace."""
    return {
        "type": "scatter",
        "mode": "lines",
        "x": np.asarray(x),
        "y": np.array([np.nan if v is None else v for v in y], dtype=np.float64),
        "name": name,
        "line": {"color": color, "width": 2.5, **kw.pop("line", {})},
        "hovertemplate": f"{name} {what}: %{{y:.4g}}<extra>step %{{x}}</extra>",
        **kw,
    }


def curves_figure(
    steps: Sequence[int],
    train_loss: Sequence[float],
    test_loss: Sequence[float | None] | None = None,
    train_accuracy: Sequence[float | None] | None = None,
    test_accuracy: Sequence[float | None] | None = None,
    height: int = 230,
) -> go.Figure:
    """Loss (left) and accuracy (right, when there is one) against the step count; train
    solid, test dotted.

    Two panels in one figure: half the drawing work of two charts, which matters when it is
    redrawn several times a second.
    """
    has_accuracy = train_accuracy is not None and any(v is not None for v in train_accuracy)
    split = 0.5 if has_accuracy else 1.0
    data = _pair(steps, train_loss, test_loss, "loss", "x", "y")
    layout = theme.base_layout(
        height,
        xaxis=theme.axis("step", rangemode="tozero", domain=[0, split - 0.07 * has_accuracy]),
        yaxis=theme.axis("loss", rangemode="tozero"),
        margin={"l": 56, "r": 16, "t": 16, "b": 44},
    )
    if has_accuracy:
        data += _pair(steps, train_accuracy, test_accuracy, "accuracy", "x2", "y2", legend=False)
        layout["xaxis2"] = theme.axis("step", rangemode="tozero", domain=[split + 0.07, 1])
        layout["xaxis2"]["anchor"] = "y2"
        layout["yaxis2"] = theme.axis("accuracy", range=[0, 1.02], tickformat=".0%", anchor="x2")
    return theme.figure(data, layout)


def _pair(steps, train, test, what: str, xaxis: str, yaxis: str, legend: bool = True):
    kw = {"xaxis": xaxis, "yaxis": yaxis, "showlegend": legend}
    data = [line_trace(steps, train, "train", theme.TRAIN_LINE, what, legendgroup="train", **kw)]
    if test is not None and any(v is not None for v in test):
        dotted = {"dash": "dot"}
        data.append(
            line_trace(
                steps, test, "test", theme.TEST_LINE, what, line=dotted, legendgroup="test", **kw
            )
        )
    return data


def gradients_figure(
    steps: Sequence[int],
    grad_norms: Sequence[Sequence[float]],
    dead: Sequence[float | None],
    height: int = 420,
) -> go.Figure:
    """Left: ‖dW‖ of each layer over the steps (log scale). Right: share of dead units now.

    Gradient norms that fall by orders of magnitude toward the input layer are the vanishing
    gradient; a dead unit (ReLU off for every input) gets no gradient and never recovers.
    `dead[i]` belongs to hidden layer i, None when its activation cannot die (not ReLU);
    the bars appear only when some layer is ReLU.
    """
    norms = np.asarray(grad_norms, dtype=np.float64).reshape(len(steps), -1)
    norms = np.where(norms > 0, norms, np.nan)  # log axis: a zero norm (step 0) is no point
    data = [
        line_trace(steps, norms[:, i], f"‖dW{i + 1}‖", theme.LAYER_COLORS[i % 7])
        for i in range(norms.shape[1])
    ]
    relu = [(f"hidden {i + 1}", d) for i, d in enumerate(dead) if d is not None]
    split = 0.62 if relu else 1.0
    layout = theme.base_layout(
        height,
        "Gradient size per layer" + ("  ·  dead ReLU units" if relu else ""),
        xaxis=theme.axis("step", domain=[0, split - 0.1 * bool(relu)]),
        yaxis=theme.axis("‖dW‖ (log scale)", type="log", exponentformat="power"),
        legend={"orientation": "h", "y": -0.2, "x": 0, "font": {"size": 12}},
    )
    if relu:
        data.append(
            {
                "type": "bar",
                "x": [name for name, _ in relu],
                "y": [d for _, d in relu],
                "text": [f"{d:.0%}" for _, d in relu],
                "textposition": "outside",
                "marker": {"color": theme.MUTED},
                "name": "dead units",
                "showlegend": False,
                "xaxis": "x2",
                "yaxis": "y2",
                "hovertemplate": "%{x}: %{text} of its units are dead<extra></extra>",
            }
        )
        layout["xaxis2"] = theme.axis(domain=[split, 1], anchor="y2", type="category")
        layout["yaxis2"] = theme.axis(range=[0, 1.15], tickformat=".0%", anchor="x2")
    return theme.figure(data, layout)
