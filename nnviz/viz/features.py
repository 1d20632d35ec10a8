"""Feature maps and filters of a convolutional net as small multiples: one tile per filter.

Each tile is scaled to its own largest |value| on the diverging scale (blue positive, orange
negative), so a weak filter still shows its pattern; a tile's label is its filter number.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from nnviz.viz import theme
from nnviz.viz.digits import image_axes
from nnviz.viz.mnist import tiles


def feature_maps_figure(
    maps: np.ndarray, title: str | None = None, columns: int = 8, tile_px: int = 72
) -> go.Figure:
    """`maps (filters, height, width)` → a grid of images labelled 1…filters.

    Args:
        maps: feature maps of one input, or a layer's filters (or their change) as images.
        title: shown above the grid.
        columns: tiles per row (fewer when there are fewer maps).
        tile_px: the height of one row of tiles on screen.
    """
    maps = np.asarray(maps, dtype=np.float32)
    if maps.ndim != 3 or not maps.size:
        raise ValueError(f"feature maps must be (filters, height, width), got {maps.shape}")
    n, h, w = maps.shape
    scaled = maps / np.maximum(np.abs(maps).max(axis=(1, 2), keepdims=True), 1e-12)
    columns = min(columns, n)
    gap = max(2, h // 3)  # room for the label above each tile
    z = np.pad(tiles(scaled, columns, gap), ((gap, 0), (0, 0)), constant_values=np.nan)
    rows = -(-n // columns)
    labels = [
        {
            "text": str(k + 1),
            "x": (k % columns) * (w + gap) + (w - 1) / 2,
            "y": gap + (k // columns) * (h + gap) - 0.5,
            "xref": "x",
            "yref": "y",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 10, "color": theme.MUTED},
        }
        for k in range(n)
    ]
    trace = theme.scaled_heatmap(z, hoverinfo="skip")
    top = 30 if title else 6
    layout = theme.base_layout(rows * tile_px + top + 8, title, annotations=labels)
    layout["margin"] = {"l": 4, "r": 4, "t": top, "b": 4}
    layout["showlegend"] = False
    image_axes(layout, "", (0, 1), z.shape)
    return theme.figure([trace], layout)
