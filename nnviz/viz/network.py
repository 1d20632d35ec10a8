"""The weights, two ways: one heatmap per layer, and the network drawn as nodes and links.

Blue is positive and orange negative everywhere, white is zero. In the diagram a link's width
and strength follow |w| relative to the largest weight, a node's fill its bias.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from nnviz.viz import theme


def unit_names(sizes: Sequence[int], input_names: Sequence[str]) -> list[list[str]]:
    """Readable names per layer: the input features, then h1.1, h1.2, …, then ŷ / ŷ1, ŷ2, …"""
    names = [list(input_names)]
    for layer, n in enumerate(sizes[1:-1], start=1):
        names.append([f"h{layer}.{i + 1}" for i in range(n)])
    out = sizes[-1]
    names.append(["ŷ"] if out == 1 else [f"ŷ{i}" for i in range(out)])
    return names


def weights_figure(
    weights: Sequence[np.ndarray], input_names: Sequence[str], height: int = 420
) -> go.Figure:
    """One heatmap per layer: `W[i, j]` is the weight from unit i (rows) to unit j (columns).

    A shared diverging scale, centred on 0 and symmetric, so equal colours mean equal weights
    in every layer.
    """
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    names = unit_names(sizes, input_names)
    limit = max(float(np.abs(w).max()) for w in weights) or 1.0
    n, gap = len(weights), 0.05
    span = (1 - gap * (n - 1)) / n
    data, layout_axes, notes = [], {}, []
    for i, w in enumerate(weights):
        suffix = "" if i == 0 else str(i + 1)
        x0 = i * (span + gap)
        data.append(
            {
                "type": "heatmap",
                "z": w,
                "x": names[i + 1],
                "y": names[i],
                "coloraxis": "coloraxis",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "xgap": 1,
                "ygap": 1,
                "hovertemplate": "%{y} → %{x}<br>w = %{z:.3f}<extra></extra>",
            }
        )
        ticks = {"showticklabels": max(w.shape) <= 12, "type": "category", "showgrid": False}
        layout_axes[f"xaxis{suffix}"] = theme.axis(domain=[x0, x0 + span], **ticks)
        layout_axes[f"yaxis{suffix}"] = theme.axis(
            autorange="reversed", anchor=f"x{suffix}", **ticks
        )
        notes.append(
            {
                "text": f"W{i + 1} · {w.shape[0]}×{w.shape[1]}",
                "xref": "paper",
                "yref": "paper",
                "x": x0 + span / 2,
                "y": 1.0,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 13, "color": theme.MUTED},
            }
        )
    layout = theme.base_layout(
        height,
        coloraxis={
            "colorscale": theme.DIVERGING,
            "cmin": -limit,
            "cmax": limit,
            "colorbar": {"thickness": 12, "len": 0.9, "title": {"text": "w"}},
        },
        annotations=notes,
        margin={"l": 56, "r": 16, "t": 32, "b": 36},
        showlegend=False,
        **layout_axes,
    )
    return theme.figure(data, layout)


def network_figure(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    input_names: Sequence[str],
    height: int = 560,
    width_bins: int = 6,
) -> go.Figure:
    """The network as a graph: columns of units, a link per weight.

    Links are grouped into `width_bins` widths per sign, so even 32×32 layers draw as a
    dozen traces; invisible markers at the links' midpoints carry the hover values.
    """
    sizes = [weights[0].shape[0]] + [w.shape[1] for w in weights]
    names = unit_names(sizes, input_names)
    ys = [np.linspace(-(n - 1) / 2, (n - 1) / 2, n)[::-1] for n in sizes]
    limit = max(float(np.abs(w).max()) for w in weights) or 1.0
    x0, x1, y0, y1, w_all = [], [], [], [], []
    for layer, w in enumerate(weights):
        i, j = np.meshgrid(np.arange(w.shape[0]), np.arange(w.shape[1]), indexing="ij")
        x0.append(np.full(w.size, layer)), x1.append(np.full(w.size, layer + 1))
        y0.append(ys[layer][i.ravel()]), y1.append(ys[layer + 1][j.ravel()])
        w_all.append(w.ravel())
    x0, x1, y0, y1, w_all = map(np.concatenate, (x0, x1, y0, y1, w_all))
    strength = np.abs(w_all) / limit
    level = np.minimum((strength * width_bins).astype(int), width_bins - 1)
    data = []
    for sign, color in ((1, theme.BLUE), (-1, theme.ORANGE)):
        for b in range(width_bins):
            pick = (level == b) & ((w_all >= 0) if sign > 0 else (w_all < 0))
            if not pick.any():
                continue
            seg_x = np.column_stack([x0[pick], x1[pick], np.full(pick.sum(), np.nan)]).ravel()
            seg_y = np.column_stack([y0[pick], y1[pick], np.full(pick.sum(), np.nan)]).ravel()
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "x": seg_x,
                    "y": seg_y,
                    "hoverinfo": "skip",
                    "line": {"color": color, "width": 0.6 + 5 * (b + 0.5) / width_bins},
                    "opacity": 0.3 + 0.7 * (b + 1) / width_bins,
                    "showlegend": False,
                }
            )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "x": (x0 + x1) / 2,
            "y": (y0 + y1) / 2,
            "marker": {"size": 8, "opacity": 0},
            "customdata": w_all,
            "showlegend": False,
            "hovertemplate": "w = %{customdata:.3f}<extra></extra>",
        }
    )
    data += _nodes(sizes, ys, names, biases)
    layout = theme.base_layout(
        height,
        xaxis=theme.hidden_axis(range=[-0.75, len(sizes) - 0.25]),
        yaxis=theme.hidden_axis(range=[-(max(sizes) + 1) / 2, (max(sizes) + 1) / 2]),
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        showlegend=False,
        coloraxis={"colorscale": theme.DIVERGING, "cmid": 0, "showscale": False},
    )
    return theme.figure(data, layout)


def _nodes(
    sizes: list[int], ys: list[np.ndarray], names: list[list[str]], biases: Sequence[np.ndarray]
) -> list[dict]:
    """The units (fill = bias; inputs have none) and the input and output labels beside them."""
    bias = np.concatenate([np.zeros(sizes[0])] + [np.asarray(b, np.float64) for b in biases])
    size = 24 if max(sizes) <= 8 else 15 if max(sizes) <= 16 else 9
    nodes = {
        "type": "scatter",
        "mode": "markers",
        "x": np.concatenate([np.full(n, k) for k, n in enumerate(sizes)]),
        "y": np.concatenate(ys),
        "hovertext": [name for layer in names for name in layer],
        "customdata": bias,
        "marker": {
            "size": size,
            "color": bias,
            "coloraxis": "coloraxis",
            "line": {"color": theme.INK, "width": 1.2},
        },
        "hovertemplate": "%{hovertext}<br>bias %{customdata:.3f}<extra></extra>",
        "showlegend": False,
    }
    last = len(sizes) - 1
    labels = [
        {
            "type": "scatter",
            "mode": "text",
            "x": np.full(len(names[k]), k + shift),
            "y": ys[k],
            "text": names[k],
            "textposition": position,
            "textfont": {"size": 13, "color": theme.INK},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for k, shift, position in ((0, -0.16, "middle left"), (last, 0.16, "middle right"))
    ]
    return [nodes, *labels]
