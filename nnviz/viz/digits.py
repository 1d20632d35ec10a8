"""One digit through the model: what it sees, what it says, and why.

Images are drawn as MNIST stores them, white ink on black, one heatmap cell per pixel (square
pixels, row 0 on top). Probabilities are bars over the ten digits; the model's answer is blue,
or orange when it is less sure than the user's threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnviz.datasets import DrawingStages
from nnviz.viz import theme

GREYS = [[0.0, "#000000"], [1.0, "#ffffff"]]
ACTIVE = [[0.0, "#ffffff"], [1.0, theme.BLUE]]
MAX_DISPLAY = 112  # larger stage images are box-averaged down to about this for display
GAP = 0.14  # between image panels, in panel widths
DIGITS = [str(d) for d in range(10)]


def image_trace(z: np.ndarray, **kw: object) -> dict:
    """A grey image as a heatmap: 0 black, 1 white."""
    return {
        "type": "heatmap",
        "z": np.asarray(z, dtype=np.float32),
        "colorscale": GREYS,
        "zmin": 0,
        "zmax": 1,
        "showscale": False,
        "hovertemplate": "%{z:.2f}<extra></extra>",
        **kw,
    }


def panel(trace: dict, i: int, gap: float = GAP) -> dict:
    """Place a heatmap (or contour) trace in the unit square of panel `i`, centred, with
    square cells: panels share one pair of axes (x from `i (1 + gap)`, y down from 0), which
    keeps a figure of several images as cheap to build as one."""
    rows, cols = np.shape(trace["z"])
    cell = 1 / max(rows, cols)
    x0 = i * (1 + gap) + (1 - cols * cell) / 2 + cell / 2
    return trace | {"x0": x0, "dx": cell, "y0": (1 - rows * cell) / 2 + cell / 2, "dy": cell}


def panels_layout(titles: Sequence[str], height: int, gap: float = GAP) -> dict:
    """Axes for `len(titles)` square panels in a row, each titled above."""
    n = len(titles)
    notes = [
        {
            "text": text,
            "x": i * (1 + gap) + 0.5,
            "y": 0,
            "xref": "x",
            "yref": "y",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 13, "color": theme.MUTED},
        }
        for i, text in enumerate(titles)
    ]
    return theme.base_layout(
        height,
        margin={"l": 4, "r": 4, "t": 26, "b": 4},
        showlegend=False,
        xaxis=theme.hidden_axis(range=[-0.01, n + (n - 1) * gap + 0.01]),
        yaxis=theme.hidden_axis(range=[1.01, -0.01], scaleanchor="x"),
        annotations=notes,
    )


def image_axes(layout: dict, axis: str, domain: Sequence[float], size: tuple[int, int]) -> None:
    """Square-pixel axes for an image panel of `size` = (rows, cols), row 0 on top."""
    rows, cols = size
    layout[f"xaxis{axis}"] = theme.hidden_axis(
        domain=list(domain), range=[-0.5, cols - 0.5], constrain="domain"
    )
    layout[f"yaxis{axis}"] = theme.hidden_axis(
        range=[rows - 0.5, -0.5], scaleanchor=f"x{axis}", constrain="domain"
    )


def shrink(image: np.ndarray, side: int = MAX_DISPLAY) -> tuple[np.ndarray, int]:
    """Box-average by a whole factor `k` so the longer side is ≤ about `side`: (image, k)."""
    k = max(1, int(np.ceil(max(image.shape) / side)))
    if k == 1:
        return image.astype(np.float32, copy=False), 1
    h, w = image.shape[0] // k * k, image.shape[1] // k * k
    blocks = image[:h, :w].reshape(h // k, k, w // k, k)
    return blocks.mean(axis=(1, 3), dtype=np.float32), k


def square(image: np.ndarray) -> np.ndarray:
    """Pad with black to a centred square, so every stage is drawn as a square panel."""
    h, w = image.shape
    side = max(h, w)
    out = np.zeros((side, side), image.dtype)
    top, left = (side - h) // 2, (side - w) // 2
    out[top : top + h, left : left + w] = image
    return out


def ink_box(grey: np.ndarray, level: float) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of the pixels brighter than `level`, None if there are none."""
    ink = grey > level
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return None
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def _as_grey(image: np.ndarray) -> tuple[np.ndarray, float]:
    """A bitmap as one grey channel (the brightest of R, G, B: white ink on black) and the
    value of full intensity (255 for 8-bit, else 1)."""
    a = np.asarray(image)
    if a.ndim == 3:
        a = np.maximum(np.maximum(a[..., 0], a[..., 1]), a[..., 2])
    return a, 255.0 if a.dtype == np.uint8 else 1.0


def stages_figure(
    stages: DrawingStages,
    raw: np.ndarray | None = None,
    title: str = "your drawing",
    height: int = 250,
) -> go.Figure:
    """Your drawing → cropped to its ink → fitted to 20 px → centred in 28×28 (the input).

    Args:
        stages: from `drawing_stages` (or `classify_drawing(...).stages`).
        raw: the drawing as the user made it (a canvas RGBA / grey bitmap); default: the ink.
        title: the first panel's title.
    """
    if raw is not None:
        grey, full = _as_grey(raw)
        grey = square(grey)
        box = ink_box(grey, 0.1 * full)
    else:
        grey, full = square(stages.ink), 1.0
        h, w = stages.ink.shape
        dt, dl = (max(h, w) - h) // 2, (max(h, w) - w) // 2
        t, left, b, r = stages.box
        box = (t + dt, left + dl, b + dt, r + dl)
    fit_h, fit_w = stages.fitted.shape
    images = [shrink(grey)[0] / full, shrink(square(stages.cropped))[0], square(stages.fitted)]
    images.append(stages.centred)
    titles = [title, "cropped to the ink", f"fitted {fit_w}×{fit_h} (in 20×20)"]
    titles.append("centred 28×28: the input")
    data = [panel(image_trace(image), i) for i, image in enumerate(images)]
    layout = panels_layout(titles, height)
    if box is not None:
        top, left, bottom, right = (v / grey.shape[0] for v in box)
        rect = {"type": "rect", "xref": "x", "yref": "y", "x0": left, "x1": right}
        layout["shapes"] = [
            rect | {"y0": top, "y1": bottom, "line": {"color": theme.ORANGE, "width": 2}}
        ]
    return theme.figure(data, layout)


def probabilities_figure(
    probabilities: np.ndarray,
    *,
    threshold: float | None = None,
    before: np.ndarray | None = None,
    height: int = 260,
) -> go.Figure:
    """The ten class probabilities as bars; with `before`, the previous model's beside them."""
    p = np.asarray(probabilities, dtype=np.float64)
    top = int(p.argmax())
    sure = threshold is None or p[top] >= threshold
    colors = [theme.tint(theme.MUTED, 0.55)] * 10
    colors[top] = theme.BLUE if sure else theme.ORANGE
    bars = {
        "type": "bar",
        "x": DIGITS,
        "y": p,
        "name": "after" if before is not None else "probability",
        "marker": {"color": colors},
        "text": [f"{v:.0%}" if v >= 0.005 else "" for v in p],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "digit %{x}: %{y:.1%}<extra></extra>",
    }
    data = [bars]
    if before is not None:
        old = {**bars, "y": np.asarray(before, dtype=np.float64), "name": "before", "text": None}
        data = [old | {"marker": {"color": theme.tint(theme.ORANGE, 0.35)}}]
        data.append(bars | {"marker": {"color": theme.BLUE}})
    layout = theme.base_layout(
        height,
        xaxis=theme.axis(type="category", tickfont={"size": 15, "color": theme.INK}),
        yaxis=theme.axis(range=[0, 1.12], tickformat=".0%", dtick=0.25),
        margin={"l": 44, "r": 8, "t": 24 if before is not None else 12, "b": 28},
        showlegend=before is not None,
        barmode="group",
        bargap=0.25,
    )
    if threshold is not None:
        layout["shapes"] = [_threshold_line(threshold)]
    return theme.figure(data, layout)


def _threshold_line(threshold: float) -> dict:
    return {
        "type": "line",
        "xref": "paper",
        "x0": 0,
        "x1": 1,
        "y0": threshold,
        "y1": threshold,
        "line": {"color": theme.ORANGE, "width": 1.5, "dash": "dot"},
    }


def saliency_figure(
    image: np.ndarray, saliency: np.ndarray, label: int, height: int = 260
) -> go.Figure:
    """Left: the input. Right: ∂ logit[label] / ∂ pixel, with the digit's outline on top;
    blue = more ink here would raise the score of `label`, orange = lower it (scaled to the
    largest |gradient|, white = no effect)."""
    limit = float(np.abs(saliency).max()) or 1.0
    gradient = {
        "type": "heatmap",
        "z": np.asarray(saliency, dtype=np.float32),
        "colorscale": theme.DIVERGING,
        "zmin": -limit,
        "zmax": limit,
        "showscale": False,
        "hovertemplate": "∂ score / ∂ pixel: %{z:.3g}<extra></extra>",
    }
    outline = {
        "type": "contour",
        "z": np.asarray(image, dtype=np.float32),
        "contours": {"start": 0.4, "end": 0.4, "size": 1, "coloring": "none"},
        "line": {"color": theme.INK, "width": 1.5},
        "showscale": False,
        "hoverinfo": "skip",
    }
    data = [panel(image_trace(image), 0), panel(gradient, 1), panel(outline, 1)]
    titles = ["what the model sees", f"saliency of “{label}” (outline: the digit)"]
    return theme.figure(data, panels_layout(titles, height))


def activations_figure(activations: Sequence[np.ndarray], height: int = 240) -> go.Figure:
    """Each hidden layer's outputs for one input as a grid of cells (unit 0 top left), each
    layer scaled to its own largest |output|; a ReLU layer shows which units are off (white)."""
    if not activations:
        return theme.empty_figure("This model has no hidden layers.", height)
    data, titles = [], []
    for i, acts in enumerate(activations):
        a = np.asarray(acts, dtype=np.float64).ravel()
        cols = int(np.ceil(np.sqrt(a.size)))
        grid = np.full(cols * int(np.ceil(a.size / cols)), np.nan)
        grid[: a.size] = a
        grid = grid.reshape(-1, cols)
        limit = float(np.nanmax(np.abs(grid))) or 1.0
        signed = bool((a < 0).any())
        trace = {
            "type": "heatmap",
            "z": grid,
            "customdata": np.arange(grid.size).reshape(grid.shape),
            "colorscale": theme.DIVERGING if signed else ACTIVE,
            "zmin": -limit if signed else 0,
            "zmax": limit,
            "showscale": False,
            "xgap": 1,
            "ygap": 1,
            "hoverongaps": False,
            "hovertemplate": "unit %{customdata}: %{z:.3f}<extra></extra>",
        }
        data.append(panel(trace, i, gap=0.3))
        titles.append(f"hidden layer {i + 1}: {a.size} units, {float((a > 0).mean()):.0%} active")
    layout = panels_layout(titles, height, gap=0.3)
    layout["shapes"] = [_backdrop(trace) for trace in data]  # the cell gaps outline every unit
    return theme.figure(data, layout)


def _backdrop(trace: dict) -> dict:
    """A grey rectangle under a heatmap placed by `panel`, showing through its cell gaps."""
    rows, cols = np.shape(trace["z"])
    x0, y0 = trace["x0"] - trace["dx"] / 2, trace["y0"] - trace["dy"] / 2
    return {
        "type": "rect",
        "xref": "x",
        "yref": "y",
        "x0": x0,
        "x1": x0 + cols * trace["dx"],
        "y0": y0,
        "y1": y0 + rows * trace["dy"],
        "fillcolor": theme.GRID,
        "line": {"width": 0},
        "layer": "below",
    }
