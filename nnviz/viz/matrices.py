"""Matrices with their numbers: one equation of a training step drawn as a row of heatmaps.

`equation_figure(terms, operators)` lays the terms out left to right with the operators between
them (`A⁽⁰⁾ · W⁽¹⁾ + b⁽¹⁾ = Z⁽¹⁾`), every cell printed. Cells have one size in every panel, so
shapes read at a glance: a (4 × 3) matrix is visibly taller than a (1 × 3) bias row. A term
with a `key` gets its layer's colour and a border wherever it appears — solid for values
(A, Z), dashed for gradients (dZ, dA, dW, db) — so the eye can follow it to where it flows next.
Each panel has its own colour scale, centred on 0 (blue positive, orange negative).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import plotly.graph_objects as go

from nnviz.viz import theme


class Term(Protocol):
    """One matrix of an equation, as `equation_figure` reads it (the teaching package makes
    them): terms with the same `key` get one colour; `flow` says where the matrix goes next."""

    symbol: str
    values: np.ndarray
    key: str | None
    flow: str


MAX_ROWS, MAX_COLS = 8, 8
CELL = 32  # px per row
GAP = 1.6  # the least space for an operator, in cell widths
# One colour per layer for the frames; no orange or blue, which mean negative and positive here.
FLOW_COLORS = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#e6ab02", "#5b6770")
VERDICT_COLORS = {
    "agree": "#2e9e6b",
    "agree (too small to resolve)": theme.MUTED,
    "DISAGREE": "#d1495b",
}


def number_text(value: float) -> str:
    """Three significant digits, a real minus sign: "−0.0123", "4.56e−07"."""
    return f"{value:.3g}".replace("-", "−")


def term_style(key: str | None) -> tuple[str | None, str]:
    """(colour, line dash) of a highlighted quantity: its layer's colour; solid for A, dotted
    for Z, dashed for gradients."""
    match = re.fullmatch(r"(d?)([A-Za-z]+)(\d+)", key or "")
    if match is None:
        return None, "solid"
    color = FLOW_COLORS[int(match.group(3)) % len(FLOW_COLORS)]
    if match.group(1):
        return color, "dash"
    return color, "dot" if match.group(2) == "Z" else "solid"


def equation_figure(
    terms: Sequence[Term],
    operators: Sequence[str],
    max_rows: int = MAX_ROWS,
    max_cols: int = MAX_COLS,
) -> go.Figure:
    """The terms as annotated heatmaps in a row, `operators[i]` between term i and term i + 1.

    Matrices larger than `max_rows × max_cols` show their top-left corner; the label under the
    panel gives the full shape and says so.
    """
    shown = [_corner(np.atleast_2d(t.values), max_rows, max_cols) for t in terms]
    widths = [max(s.shape[1] * _cell_width(s), 1.4) for s in shown]
    gaps = [max(GAP, 0.3 * len(op)) for op in operators[: len(terms) - 1]]
    gaps += [GAP] * (len(terms) - 1 - len(gaps))
    total = sum(widths) + sum(gaps)
    tallest = max(s.shape[0] for s in shown)
    plot_height = tallest * CELL
    height = plot_height + 98
    data, layout, notes, shapes = [], {}, [], []
    x = 0.0
    for i, (term, values) in enumerate(zip(terms, shown, strict=True)):
        suffix = "" if i == 0 else str(i + 1)
        x0, x1 = x / total, min((x + widths[i]) / total, 1.0)  # rounding may pass 1
        span = values.shape[0] / tallest
        y0, y1 = 0.5 - span / 2, 0.5 + span / 2
        data.append(_heatmap(term, values, suffix))
        cols = values.shape[1]
        pad = (widths[i] / _cell_width(values) - cols) / 2
        layout[f"xaxis{suffix}"] = theme.hidden_axis(
            domain=[x0, x1], range=[-0.5 - pad, cols - 0.5 + pad]
        )
        layout[f"yaxis{suffix}"] = theme.hidden_axis(
            domain=[y0, y1], autorange="reversed", anchor=f"x{suffix}"
        )
        layout[f"xaxis{suffix}"]["anchor"] = f"y{suffix}"
        color, dash = term_style(term.key)
        cx = (x0 + x1) / 2
        notes.append(_note(term.symbol, cx, y1, "bottom", 15, color or theme.INK, bold=True))
        notes.append(_note(_shape_label(term.values, values, term.flow), cx, y0, "top", 12))
        if color:
            inset = (x1 - x0) * pad / (cols + 2 * pad)  # the frame hugs the cells
            shapes.append(_frame(x0 + inset, x1 - inset, y0, y1, color, dash, plot_height))
        if i < len(operators):
            gap_center = (x + widths[i] + gaps[i] / 2) / total
            notes.append(
                _note(operators[i], gap_center, 0.5, "middle", _operator_size(operators[i]))
            )
        x += widths[i] + (gaps[i] if i < len(gaps) else 0)
    layout = theme.base_layout(
        height,
        showlegend=False,
        margin={"l": 28, "r": 28, "t": 34, "b": 64},
        annotations=notes,
        shapes=shapes,
        **layout,
    )
    layout.pop("uirevision")
    return theme.figure(data, layout)


def _corner(values: np.ndarray, max_rows: int, max_cols: int) -> np.ndarray:
    return values[:max_rows, :max_cols]


def _cell_width(values: np.ndarray) -> float:
    """A cell's width in units of a short number's cell: wider for long numbers like −0.00599."""
    longest = max((len(number_text(v)) for v in values.flat), default=1)
    return max(1.0, longest / 5.5)


def _heatmap(term: Term, values: np.ndarray, suffix: str) -> dict:
    finite = values[np.isfinite(values)]
    limit = float(np.abs(finite).max()) if finite.size else 1.0
    limit = limit or 1.0
    return {
        "type": "heatmap",
        "z": values,
        "text": [[number_text(v) for v in row] for row in values],
        "texttemplate": "%{text}",
        "textfont": {"size": 13, "family": theme.FONT},
        "colorscale": theme.DIVERGING,
        "zmin": -limit,
        "zmax": limit,
        "showscale": False,
        "xgap": 2,
        "ygap": 2,
        "xaxis": f"x{suffix}",
        "yaxis": f"y{suffix}",
        "hovertemplate": f"{term.symbol}[%{{y}}, %{{x}}] = %{{z:.6g}}<extra></extra>",
    }


def _shape_label(full: np.ndarray, shown: np.ndarray, flow: str) -> str:
    rows, cols = np.atleast_2d(full).shape
    label = f"{rows} × {cols}"
    if shown.shape[1] < cols:
        label += f" ({shown.shape[0]} × {shown.shape[1]} shown)"
    elif shown.shape[0] < rows:
        label += f" ({shown.shape[0]} rows shown)"
    return label + (f"<br><i>{flow}</i>" if flow else "")


def _note(
    text: str, x: float, y: float, anchor: str, size: int, color: str = theme.MUTED, bold=False
) -> dict:
    return {
        "text": f"<b>{text}</b>" if bold else text,
        "x": x,
        "y": y,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": anchor,
        "yshift": {"bottom": 4, "top": -4, "middle": 0}[anchor],
        "showarrow": False,
        "font": {"size": size, "color": color},
    }


def _operator_size(operator: str) -> int:
    return 40 if operator == "·" else 24 if len(operator) <= 2 else 13


def _frame(x0: float, x1: float, y0: float, y1: float, color: str, dash: str, px: int) -> dict:
    pad = 4 / px  # px: the plot's height; across, 4 px of a ~1,100 px wide page
    return {
        "type": "rect",
        "xref": "paper",
        "yref": "paper",
        "x0": x0 - 0.004,
        "x1": x1 + 0.004,
        "y0": y0 - pad,
        "y1": y1 + pad,
        "line": {"color": color, "width": 3, "dash": dash},
        "fillcolor": "rgba(0,0,0,0)",
    }


def gradient_check_figure(rows: Sequence[dict], agree: float, height: int = 300) -> go.Figure:
    """The relative error of every weight's gradient (log scale), coloured by the verdict;
    below the dashed line at `agree`, backprop and finite differences agree."""
    errors = np.array([max(r["relative error"], 1e-16) for r in rows])
    names = [r["parameter"] for r in rows]
    data = []
    for verdict, color in VERDICT_COLORS.items():
        pick = [i for i, r in enumerate(rows) if r["verdict"] == verdict]
        if not pick:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [names[i] for i in pick],
                "y": errors[pick],
                "name": verdict,
                "marker": {"color": color, "size": 11, "line": {"color": "white", "width": 1}},
                "hovertemplate": "%{x}<br>relative error %{y:.2e}<extra></extra>",
            }
        )
    layout = theme.base_layout(
        height,
        xaxis=theme.axis(type="category", categoryorder="array", categoryarray=names),
        yaxis=theme.axis(
            "relative error (log scale)", type="log", exponentformat="power", range=[-16.5, 0.5]
        ),
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": agree,
                "y1": agree,
                "line": {"color": theme.MUTED, "dash": "dash", "width": 1.5},
            }
        ],
        annotations=[
            {
                "text": f"{agree:.0e}: below this line the two agree",
                "xref": "paper",
                "x": 1,
                "xanchor": "right",
                "y": np.log10(agree),
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": theme.MUTED},
            }
        ],
    )
    return theme.figure(data, layout)
