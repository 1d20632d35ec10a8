"""What an MNIST network learned: loss and accuracy while it trains, its first-layer weights as
images, the confusion matrix, accuracy per digit, and the test digits it got wrong.

Many small images share one heatmap separated by empty (NaN) gaps, so 128 weight images or a
page of mistakes cost one trace.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnviz.viz import theme
from nnviz.viz.digits import DIGITS, GREYS, image_axes

BLUES = [[0.0, "#ffffff"], [0.15, "#dbe8f4"], [1.0, theme.BLUE]]
MAX_POINTS = 1500  # per loss line


def smooth(values: Sequence[float], weight: float = 0.95) -> np.ndarray:
    """Exponential moving average with bias correction (TensorBoard's smoothing):
    `s_t = w s_{t-1} + (1 - w) v_t`, divided by `1 - w^t` so early values are not pulled to 0."""
    v = np.asarray(values, dtype=np.float64)
    out = np.empty_like(v)
    acc = 0.0
    for t, value in enumerate(v, start=1):
        acc = weight * acc + (1 - weight) * value
        out[t - 1] = acc / (1 - weight**t)
    return out


def training_curves_figure(
    losses: Sequence[float],
    epoch_steps: Sequence[int],
    test_accuracy: Sequence[float],
    total_steps: int,
    height: int = 380,
) -> go.Figure:
    """Top: training loss per step, raw (pale) and smoothed. Bottom: test accuracy after each
    epoch. The step axis spans the whole run from the start, so the curves grow into it.

    Long runs are drawn with every k-th step (at most `MAX_POINTS` per line, smoothed over all
    steps first), so a redraw costs the same at step 100 and at step 10,000."""
    stride = max(1, -(-len(losses) // MAX_POINTS))
    steps = np.arange(1, len(losses) + 1)[::stride]
    smoothed = smooth(losses)[::stride]
    losses = np.asarray(losses, dtype=np.float64)[::stride]
    hover = "step %{x}: %{y:.4f}<extra></extra>"
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": steps,
            "y": losses,
            "name": "loss",
            "line": {"color": theme.tint(theme.TRAIN_LINE, 0.7), "width": 1},
            "hovertemplate": hover,
        },
        {
            "type": "scatter",
            "mode": "lines",
            "x": steps,
            "y": smoothed,
            "name": "loss, smoothed",
            "line": {"color": theme.TRAIN_LINE, "width": 2.5},
            "hovertemplate": hover,
        },
        {
            "type": "scatter",
            "mode": "lines+markers+text",
            "x": np.asarray(epoch_steps),
            "y": np.asarray(test_accuracy, dtype=np.float64),
            "text": _labels(test_accuracy),
            "textposition": "top center",
            "cliponaxis": False,
            "name": "test accuracy",
            "line": {"color": theme.TEST_LINE, "width": 2},
            "marker": {"size": 8},
            "xaxis": "x2",
            "yaxis": "y2",
            "hovertemplate": "after step %{x}: %{y:.2%}<extra>test accuracy</extra>",
        },
    ]
    span = [0, max(total_steps, 1) * 1.04]
    low = min([0.8, *test_accuracy]) if test_accuracy else 0.8
    layout = theme.base_layout(
        height,
        legend={
            "orientation": "h",
            "y": 1.02,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "entrywidth": 140,  # fixed: the live chart's iframe may measure another font
        },
        margin={"l": 64, "r": 16, "t": 12, "b": 40},
        xaxis=theme.axis(None, range=span, anchor="y", showticklabels=False),
        yaxis=theme.axis("loss", rangemode="tozero", domain=[0.42, 1]),
        xaxis2=theme.axis("step", range=span, anchor="y2", matches="x"),
        yaxis2=theme.axis(
            "accuracy", range=[max(0.0, low - 0.05), 1.03], tickformat=".0%", domain=[0, 0.3]
        ),
    )
    return theme.figure(data, layout)


def _labels(accuracy: Sequence[float], most: int = 12) -> list[str]:
    """Every point's value, or only the latest one when there are more than `most`."""
    if len(accuracy) <= most:
        return [f"{a:.1%}" for a in accuracy]
    return [""] * (len(accuracy) - 1) + [f"{accuracy[-1]:.1%}"]


def tiles(images: np.ndarray, columns: int, gap: int = 2) -> np.ndarray:
    """`(n, h, w)` images in rows of `columns`, separated by NaN gaps: one array to draw."""
    n, h, w = images.shape
    rows = -(-n // columns)
    out = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), np.nan, np.float32)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = image
    return out


def weights_grid_figure(weights: np.ndarray, columns: int = 16, tile_px: int = 56) -> go.Figure:
    """Column j of the first layer's `W (784, units)` as a 28×28 image: the pattern hidden unit j
    responds to. Each image is scaled to its own largest |w|: blue pixels push the unit up
    when inked, orange ones push it down."""
    w = np.asarray(weights, dtype=np.float32)
    units = w.shape[1]
    images = w.T.reshape(units, 28, 28)
    images = images / np.maximum(np.abs(images).max(axis=(1, 2), keepdims=True), 1e-12)
    columns = min(columns, units)
    z = tiles(images, columns)
    rows = -(-units // columns)
    trace = theme.scaled_heatmap(z, hoverinfo="skip")
    layout = theme.base_layout(rows * tile_px + 16, margin={"l": 4, "r": 4, "t": 8, "b": 8})
    layout["showlegend"] = False
    image_axes(layout, "", (0, 1), z.shape)
    return theme.figure([trace], layout)


def confusion_figure(confusion: np.ndarray, rates: bool = False, height: int = 460) -> go.Figure:
    """Rows: the true digit; columns: what the model said. Cells show counts or the share of
    each true digit (row rates); colour follows √rate so the few mistakes still show."""
    c = np.asarray(confusion, dtype=np.float64)
    rate = c / np.maximum(c.sum(axis=1, keepdims=True), 1)
    text = [
        [f"{v:.1%}" if rates else f"{int(n):,}" for v, n in zip(rr, cr, strict=True)]
        for rr, cr in zip(rate, c, strict=True)
    ]
    trace = {
        "type": "heatmap",
        "z": np.sqrt(rate),
        "x": DIGITS,
        "y": DIGITS,
        "customdata": np.dstack([c, rate]),
        "text": text,
        "texttemplate": "%{text}",
        "textfont": {"size": 12},
        "colorscale": BLUES,
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "xgap": 1,
        "ygap": 1,
        "hovertemplate": "true %{y}, said %{x}: %{customdata[0]:,} "
        "(%{customdata[1]:.1%} of the %{y}s)<extra></extra>",
    }
    layout = theme.base_layout(
        height,
        xaxis=theme.axis(
            "predicted digit", type="category", side="top", showgrid=False, constrain="domain"
        ),
        yaxis=theme.axis(
            "true digit",
            type="category",
            autorange="reversed",
            showgrid=False,
            scaleanchor="x",
            constrain="domain",
        ),
        margin={"l": 56, "r": 8, "t": 48, "b": 8},
        showlegend=False,
    )
    return theme.figure([trace], layout)


def per_class_figure(per_class: np.ndarray, height: int = 240) -> go.Figure:
    """Test accuracy on each digit; the worst one in orange."""
    acc = np.nan_to_num(np.asarray(per_class, dtype=np.float64))
    colors = [theme.BLUE] * len(acc)
    colors[int(acc.argmin())] = theme.ORANGE
    trace = {
        "type": "bar",
        "x": DIGITS[: len(acc)],
        "y": acc,
        "text": [f"{a:.1%}" for a in acc],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": colors},
        "hovertemplate": "digit %{x}: %{y:.2%} right<extra></extra>",
    }
    low = max(0.0, float(acc.min()) - 0.1)
    layout = theme.base_layout(
        height,
        xaxis=theme.axis("true digit", type="category"),
        yaxis=theme.axis(range=[low, 1.04], tickformat=".0%"),
        margin={"l": 48, "r": 8, "t": 16, "b": 44},
        showlegend=False,
    )
    return theme.figure([trace], layout)


def mistakes_figure(
    images: np.ndarray,
    labels: Sequence[int],
    predicted: Sequence[int],
    confidence: Sequence[float] | None = None,
    columns: int = 10,
    tile_px: int = 84,
) -> go.Figure:
    """Misclassified digits, each captioned "true → said · confidence" (when given)."""
    if len(images) == 0:
        return theme.empty_figure("No mistakes to show here.", 160)
    unit = np.asarray(images, dtype=np.float32)
    unit = unit / 255 if np.asarray(images).dtype == np.uint8 else unit
    gap = 9  # room for the caption under each tile
    z = tiles(unit, columns, gap)
    notes = []
    sure = [None] * len(unit) if confidence is None else confidence
    for i, (t, p, conf) in enumerate(zip(labels, predicted, sure, strict=True)):
        r, c = divmod(i, columns)
        said = f"<b>{t}</b> → <b style='color:{theme.ORANGE}'>{p}</b>"
        notes.append(
            {
                "text": said if conf is None else f"{said} · {conf:.0%}",
                "x": c * (28 + gap) + 13.5,
                "y": r * (28 + gap) + 28 + 3.5,
                "xref": "x",
                "yref": "y",
                "showarrow": False,
                "font": {"size": 12, "color": theme.INK},
            }
        )
    trace = {
        "type": "heatmap",
        "z": z,
        "colorscale": GREYS,
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "hoverongaps": False,
        "hoverinfo": "skip",
    }
    rows = -(-len(unit) // columns)
    layout = theme.base_layout(rows * tile_px + 24, margin={"l": 4, "r": 4, "t": 4, "b": 4})
    layout["showlegend"] = False
    layout["annotations"] = notes
    image_axes(layout, "", (0, 1), (z.shape[0] + gap, z.shape[1]))
    return theme.figure([trace], layout)
