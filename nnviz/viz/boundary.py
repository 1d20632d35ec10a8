"""The decision boundary: what the network predicts at every point of the plane, with the data.

Two classes: the colour is P(class 1), orange → white (0.5, the boundary) → blue.
More classes: each class owns a hue and the shade says how sure the network is.
Regression: the predicted value on the diverging scale, points coloured by their target.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.core import Grid
from nnviz.datasets import Dataset
from nnviz.viz import theme


def boundary_figure(
    grid: Grid,
    train: Dataset,
    test: Dataset | None = None,
    *,
    discretize: bool = False,
    height: int = 440,
) -> go.Figure:
    """The plane coloured by the model's output (`grid` from `decision_grid`) and the points.

    Args:
        grid: `values (res, res, k)`: k=1 is P(class 1) or the regression value, k>1 the
            class probabilities.
        train, test: raw 2-D points; test points get a dark rim.
        discretize: colour by the predicted class only (hard boundary).
    """
    task = train.task
    layout = theme.base_layout(
        height,
        xaxis=theme.axis("x₁", range=[grid.xs[0], grid.xs[-1]], constrain="domain", showgrid=False),
        yaxis=theme.axis(
            "x₂",
            range=[grid.ys[0], grid.ys[-1]],
            scaleanchor="x",
            constrain="domain",
            showgrid=False,
        ),
        margin={"l": 40, "r": 8, "t": 8, "b": 36},
    )
    values = grid.values
    if task == "regression":
        limit = float(max(np.abs(train.y).max(), 1e-6))
        layout["coloraxis"] = {
            "colorscale": theme.DIVERGING,
            "cmin": -limit,
            "cmax": limit,
            "colorbar": {"thickness": 12, "len": 0.8, "title": {"text": "y"}},
        }
        plane = _heatmap(grid, values[:, :, 0], coloraxis="coloraxis", hover="ŷ")
    elif values.shape[2] == 1:
        p = values[:, :, 0]
        z = (p > 0.5).astype(np.float32) if discretize else p
        plane = _heatmap(grid, z, colorscale=theme.BACKGROUND, zmin=0, zmax=1, hover="P(class 1)")
    else:
        z, colorscale = _class_shading(values, discretize)
        plane = _heatmap(grid, z, colorscale=colorscale, zmin=0, zmax=1, hover=None)
    data = [plane, *_points(train, "train", "white")]
    if test is not None:
        data += _points(test, "test", theme.INK)
    return theme.figure(data, layout)


def _heatmap(grid: Grid, z: np.ndarray, hover: str | None, **kw: object) -> dict:
    trace = {
        "type": "heatmap",
        "x": grid.xs,
        "y": grid.ys,
        "z": np.clip(z, -1e30, 1e30).astype(np.float32),  # a diverging net can overflow
        "showscale": False,
        "showlegend": False,
        "zsmooth": "fast",
        **kw,
    }
    if hover:
        trace["hovertemplate"] = f"(%{{x:.2f}}, %{{y:.2f}})<br>{hover} %{{z:.2f}}<extra></extra>"
    else:
        trace["hoverinfo"] = "skip"
    return trace


def _class_shading(probabilities: np.ndarray, discretize: bool) -> tuple[np.ndarray, list]:
    """Encode (predicted class c, confidence) in one number z ∈ [0, 1) per cell, with a
    colour scale of k bands, band c running from a pale to a strong shade of class c."""
    k = probabilities.shape[2]
    c = probabilities.argmax(axis=2)
    confidence = (probabilities.max(axis=2) - 1 / k) / (1 - 1 / k)
    if discretize:
        confidence = np.full_like(confidence, 0.6)
    z = (c + 0.999 * np.clip(confidence, 0, 1)) / k
    scale = []
    for j in range(k):
        color = theme.class_color(j)
        scale += [[j / k, theme.tint(color, 0.9)], [(j + 1) / k - 1e-9, theme.tint(color, 0.35)]]
    scale[-1][0] = 1.0
    return z, scale


def _points(d: Dataset, name: str, rim: str) -> list[dict]:
    """Scatter traces of `d`: one per class (one colour each, cheap to redraw), or one for
    regression coloured by the target."""
    marker = {"size": 9 if len(d) > 40 else 14, "line": {"color": rim, "width": 1.5}}
    if d.task == "regression":
        marker["line"]["color"] = theme.MUTED if rim == "white" else rim
        groups = [(np.ones(len(d), bool), {"color": d.y[:, 0], "coloraxis": "coloraxis"})]
        hover = "y %{marker.color:.3g}"
    else:
        groups = [(d.y == k, {"color": theme.class_color(k)}) for k in np.unique(d.y)]
        hover = f"{name}, class %{{meta}}"
    traces = []
    for i, (pick, color) in enumerate(groups):
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": d.x[pick, 0],
                "y": d.x[pick, 1],
                "name": name,
                "legendgroup": name,
                "showlegend": i == 0,
                "meta": int(np.unique(d.y)[i]) if d.task != "regression" else None,
                "marker": {**marker, **color},
                "hovertemplate": f"(%{{x:.2f}}, %{{y:.2f}})<br>{hover}<extra></extra>",
            }
        )
    return traces
