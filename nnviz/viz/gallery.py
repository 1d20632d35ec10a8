"""A class's drawings as a gallery: one row per digit, the latest drawings of each, the ones the
model misreads framed in orange with what it read.

Hundreds of 28×28 tiles would make a heatmap of a quarter of a million cells, sent again at
every live refresh; as one PNG (RGBA, transparent between the tiles) 240 drawings are about
90 KB, encoded in about 10 ms, and the hover text rides on one invisible marker per tile.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from nnviz.viz import theme
from nnviz.viz.digits import DIGITS

SIDE = 28
GAP_X, GAP_Y = 6, 16  # pixels between tiles; the row gap holds the "read as" note
FRAME = 2
SCALE = 1.5  # screen pixels per image pixel, for the figure's height
LABELS = 44  # image pixels left of the tiles for each row's digit and count
MISREAD = {"size": 11, "color": theme.ORANGE}
ROW = {"size": 15, "color": theme.INK}


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def gallery_rows(labels: Sequence[int], columns: int) -> list[np.ndarray]:
    """For each digit 0–9, the indices of its last `columns` drawings (in the order given)."""
    labels = np.asarray(labels, dtype=np.int64)
    return [np.flatnonzero(labels == d)[-columns:] for d in range(10)]


def gallery_figure(
    images: np.ndarray,
    labels: Sequence[int],
    predicted: Sequence[int],
    hover: Sequence[str],
    columns: int = 16,
) -> theme.Figure:
    """The drawings `(n, 28, 28)` (uint8 or [0, 1]) by true digit, each row the digit's latest
    `columns`; a drawing whose `predicted` differs from its label is framed in orange.

    Args:
        hover: one text per drawing, shown when the pointer rests on it.
    """
    images = np.asarray(images)
    unit = images.astype(np.float32) / 255 if images.dtype == np.uint8 else images
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    rows = gallery_rows(labels, columns)
    step_x, step_y = SIDE + GAP_X, SIDE + GAP_Y
    canvas = np.zeros((10 * step_y, columns * step_x, 4), np.uint8)  # transparent
    orange = np.array([*_rgb(theme.ORANGE), 255], np.uint8)
    xs, ys, texts, notes = [], [], [], []
    for digit, members in enumerate(rows):
        for col, i in enumerate(members):
            top, left = digit * step_y + GAP_Y // 2, col * step_x + GAP_X // 2
            misread = predicted[i] != labels[i]
            if misread:
                canvas[_box(top, left, FRAME)] = orange
            ink = np.rint(np.clip(unit[i], 0, 1) * 255).astype(np.uint8)
            canvas[_box(top, left)] = np.dstack([ink, ink, ink, np.full_like(ink, 255)])
            xs.append(left + SIDE / 2)
            ys.append(top + SIDE / 2)
            texts.append(hover[i])
            if misread:
                note = _note(f"read {predicted[i]}", left + SIDE / 2, top + SIDE + FRAME, MISREAD)
                notes.append(note)
    counts = np.bincount(labels.astype(np.int64), minlength=10) if len(labels) else np.zeros(10)
    for digit in range(10):
        label = f"<b>{DIGITS[digit]}</b>  <span style='color:{theme.MUTED}'>{counts[digit]}</span>"
        y = digit * step_y + step_y / 2
        notes.append(_note(label, -8, y, ROW, xanchor="right", yanchor="middle"))
    height, width = canvas.shape[:2]
    data = [
        {
            "type": "image",
            "source": _png_uri(canvas),
            "x0": 0,
            "y0": 0,
            "dx": 1,
            "dy": 1,
            "hoverinfo": "skip",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "x": np.asarray(xs, dtype=np.float32),
            "y": np.asarray(ys, dtype=np.float32),
            "hovertext": texts,
            "hoverinfo": "text",
            "marker": {"size": 26, "opacity": 0, "symbol": "square"},
            "showlegend": False,
        },
    ]
    layout = theme.base_layout(
        int(height * SCALE) + 16,
        margin={"l": 4, "r": 4, "t": 8, "b": 8},
        showlegend=False,
        xaxis=theme.hidden_axis(range=[-LABELS, width - 0.5], constrain="domain"),
        yaxis=theme.hidden_axis(range=[height - 0.5, -0.5], scaleanchor="x", constrain="domain"),
        annotations=notes,
    )
    return theme.figure(data, layout)


def _box(top: int, left: int, pad: int = 0) -> tuple[slice, slice]:
    """The pixels of the tile at (`top`, `left`), grown by `pad` on every side."""
    return slice(top - pad, top + SIDE + pad), slice(left - pad, left + SIDE + pad)


def _note(text: str, x: float, y: float, font: dict, **kw: object) -> dict:
    place = {"xref": "x", "yref": "y", "showarrow": False, "yanchor": "top"}
    return {"text": text, "x": x, "y": y, "font": font, **place, **kw}


def _png_uri(rgba: np.ndarray) -> str:
    out = io.BytesIO()
    Image.fromarray(rgba).save(out, format="PNG", compress_level=3)  # 10 ms; level 9: 250
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
