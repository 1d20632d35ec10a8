"""Every hidden neuron's output over the plane, as small multiples laid out by layer.

All tiles sit in one heatmap separated by empty gaps: a single trace draws hundreds of
neurons as fast as one, which keeps live frames cheap. Each tile is scaled on its own around
its activation's midpoint (0, or 0.5 for sigmoid): blue = above, orange = below, white = at
it, so the picture shows where a neuron switches. The picture travels as one byte per cell
(`GAP` for the gaps, `MID ± 127` for the scaled outputs): a quarter of float32's bytes, and
the eye cannot tell 255 shades from more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnviz.viz import theme

MIDPOINTS = {"sigmoid": 0.5}
GAP, MID = 0, 128
# byte → colour: the gap is transparent, 1 … 255 run orange → white (at MID) → blue
BYTE_SCALE = [
    [0.0, "rgba(0,0,0,0)"],
    [0.5 / 255, "rgba(0,0,0,0)"],
    [1 / 255, theme.ORANGE],
    [MID / 255, theme.WHITE],
    [1.0, theme.BLUE],
]


def neurons_figure(
    layers: Sequence[np.ndarray],
    names: Sequence[str],
    activations: Sequence[str],
    *,
    box_px: tuple[int, int] = (620, 600),
) -> go.Figure:
    """Small multiples of hidden-neuron outputs.

    Args:
        layers: one array per hidden layer, `(res, res, units)`; `[i, j]` is the point
            `(xs[j], ys[i])` of the plane, as in `decision_grid`.
        names: a label per layer ("layer 1 · tanh").
        activations: each layer's activation name (sets the colour midpoint).
        box_px: about the (width, height) in pixels the figure gets; the tiles per row are
            chosen to make the tiles as large as that box allows.
    """
    if not layers:
        return theme.empty_figure("No hidden layers: the inputs feed the output directly.")
    res = layers[0].shape[0]
    gap, label = max(2, res // 6), max(6, res // 2)
    cols, tile_px = _tiling([a.shape[2] for a in layers], box_px, label / res)
    width = cols * (res + gap) - gap
    heights = [label + math.ceil(a.shape[2] / cols) * (res + gap) for a in layers]
    z = np.full((sum(heights), width), GAP, dtype=np.uint8)
    notes, top = [], 0
    for k, (acts, name) in enumerate(zip(layers, names, strict=True)):
        mid = MIDPOINTS.get(activations[k], 0.0)
        notes.append(_label(name, top + label * 0.55))
        for unit in range(acts.shape[2]):
            row, col = divmod(unit, cols)
            r0, c0 = top + label + row * (res + gap), col * (res + gap)
            tile = acts[::-1, :, unit]  # image rows run top-down, the plane's y runs up
            spread = max(float(np.abs(tile - mid).max()), 1e-12)
            z[r0 : r0 + res, c0 : c0 + res] = MID + np.rint(127 * (tile - mid) / spread)
        top += heights[k]
    trace = {
        "type": "heatmap",
        "z": z,
        "colorscale": BYTE_SCALE,
        "zmin": 0,
        "zmax": 255,
        "showscale": False,
        "zsmooth": "fast",
        "hoverinfo": "skip",
    }
    scale = tile_px / (res + gap)
    layout = theme.base_layout(
        int(top * scale) + 16,
        xaxis=theme.hidden_axis(range=[-0.5, width - 0.5], constrain="domain"),
        yaxis=theme.hidden_axis(autorange="reversed", scaleanchor="x", constrain="domain"),
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        annotations=notes,
        showlegend=False,
    )
    return theme.figure([trace], layout)


def _tiling(units: list[int], box_px: tuple[int, int], label: float) -> tuple[int, float]:
    """(tiles per row, tile size in px) that fits every layer's tiles into `box_px` with the
    largest tiles; `label` is a layer caption's height in tiles."""
    best = (1, 0.0)
    for cols in range(1, max(units) + 1):
        rows = sum(math.ceil(u / cols) + label for u in units)
        size = min(box_px[0] / cols, box_px[1] / rows)
        if size > best[1]:
            best = (cols, size)
    return best[0], min(best[1], 120.0)


def _label(text: str, y: float) -> dict:
    return {
        "text": f"<b>{text}</b>",
        "x": -0.5,
        "y": y,
        "xref": "x",
        "yref": "y",
        "xanchor": "left",
        "showarrow": False,
        "font": {"size": 13, "color": theme.MUTED},
    }
