"""Runs compared: their loss (and accuracy) curves overlaid, one colour per run."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnviz.viz import theme
from nnviz.viz.curves import Curves, line_trace

RUN_COLORS = ("#1b9e77", "#7570b3", "#e7298a")
SOLID, DOTTED = {"dash": "solid"}, {"dash": "dot"}


def run_color(i: int) -> str:
    return RUN_COLORS[i % len(RUN_COLORS)]


def comparison_figure(
    histories: Sequence[Curves], labels: Sequence[str], height: int = 320
) -> go.Figure:
    """Loss against steps (left) and accuracy (right, for classes) of every run; training solid,
    held-out test dotted. The loss axis is logarithmic when the losses span a factor of 20."""
    has_accuracy = any(v is not None for h in histories for v in h.train_accuracy)
    split = 0.55 if has_accuracy else 1.0
    data = []
    for i, (h, label) in enumerate(zip(histories, labels, strict=True)):
        color = run_color(i)
        loss = {"xaxis": "x", "yaxis": "y", "legendgroup": label}
        data.append(line_trace(h.steps, h.train_loss, label, color, "loss", line=SOLID, **loss))
        if any(v is not None for v in h.test_loss):
            test = line_trace(h.steps, h.test_loss, label, color, "loss", line=DOTTED, **loss)
            data.append({**test, "showlegend": False})
        if has_accuracy:
            accuracy = h.test_accuracy if h.test_accuracy[-1] is not None else h.train_accuracy
            trace = line_trace(
                h.steps, accuracy, label, color, "accuracy", line=SOLID, xaxis="x2", yaxis="y2"
            )
            data.append({**trace, "legendgroup": label, "showlegend": False})
    losses = np.array([v for h in histories for v in h.train_loss if v is not None and v > 0])
    log = losses.size > 0 and losses.max() / losses.min() > 20
    layout = theme.base_layout(
        height,
        xaxis=theme.axis("step", rangemode="tozero", domain=[0, split - 0.08 * has_accuracy]),
        yaxis=theme.axis(
            "loss (solid: train, dotted: test)",
            type="log" if log else "linear",
            rangemode="tozero",
        ),
        margin={"l": 60, "r": 16, "t": 28, "b": 44},
    )
    if has_accuracy:
        layout["xaxis2"] = theme.axis("step", rangemode="tozero", domain=[split + 0.04, 1])
        layout["xaxis2"]["anchor"] = "y2"
        layout["yaxis2"] = theme.axis(
            "accuracy (test if held out)", range=[0, 1.02], tickformat=".0%", anchor="x2"
        )
    return theme.figure(data, layout)
