"""The one look of every picture: colours, scales, fonts and the base layout.

Orange means class 0 / negative, blue class 1 / positive, as in TensorFlow Playground; the same
diverging scale (centred on 0) colours weights, neuron outputs and probabilities, so a viewer
learns one legend. Colours are readable on a projector and for common colour blindness.
"""

from __future__ import annotations

import plotly.graph_objects as go

ORANGE, BLUE, WHITE = "#e8822a", "#2878b5", "#f7f7f7"
CLASS_COLORS = ("#e8822a", "#2878b5", "#2e9e6b", "#8e5bb5", "#d1495b", "#8c6d31", "#5b6770")
TRAIN_LINE, TEST_LINE = "#1f2d3d", "#d1495b"
INK, MUTED, GRID = "#1f2d3d", "#6b7785", "#e6e9ee"
FONT = "Source Sans Pro, Source Sans 3, Helvetica, Arial, sans-serif"
LAYER_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d")

DIVERGING = [[0.0, ORANGE], [0.5, WHITE], [1.0, BLUE]]
# The plane behind the points: the same hues, paler, so the points stand out on top.
BACKGROUND = [[0.0, "#f3b27a"], [0.5, WHITE], [1.0, "#8fbce0"]]

PLOTLY_CONFIG = {"displayModeBar": False, "scrollZoom": False, "responsive": True}


def class_color(k: int) -> str:
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def tint(color: str, amount: float) -> str:
    """`color` mixed with white: amount 0 is the colour itself, 1 is white."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def base_layout(height: int, title: str | None = None, **overrides: object) -> dict:
    """The shared layout: transparent background, small margins, readable fonts."""
    layout = {
        "height": height,
        "margin": {"l": 48, "r": 16, "t": 36 if title else 12, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": FONT, "size": 14, "color": INK},
        "hoverlabel": {"font": {"family": FONT, "size": 13}},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        "showlegend": True,
        "uirevision": "keep",  # keep zoom and hidden traces across live redraws
    }
    if title:
        layout["title"] = {"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}}
    layout.update(overrides)
    return layout


def axis(title: str | None = None, **overrides: object) -> dict:
    return {
        "title": {"text": title, "font": {"size": 13, "color": MUTED}} if title else None,
        "gridcolor": GRID,
        "zeroline": False,
        "linecolor": GRID,
        "tickfont": {"size": 12, "color": MUTED},
        **overrides,
    }


def hidden_axis(**overrides: object) -> dict:
    return {"visible": False, "showgrid": False, "zeroline": False, **overrides}


def scaled_heatmap(z: object, **overrides: object) -> dict:
    """A heatmap of values already scaled to [-1, 1] on the diverging scale, without a colour
    bar (tiles of weights or activations, each scaled to its own largest value)."""
    return {
        "type": "heatmap",
        "z": z,
        "colorscale": DIVERGING,
        "zmin": -1,
        "zmax": 1,
        "showscale": False,
        "hoverongaps": False,
        **overrides,
    }


class Figure(dict):
    """A figure as plain dicts, `{"data": [...], "layout": {...}}`, as plotly.js reads it.

    Live frames are sent as they are (`nnviz.ui.charts`): building a `go.Figure` validates
    every property, which cost more server time per frame than the network's training. Where
    a plotly object is wanted (`st.plotly_chart`, tests reading `figure.data[0].z`), attribute
    access builds it once.
    """

    def to_plotly(self) -> go.Figure:
        """The plotly object, built (and validated) once, on first use."""
        built = self.__dict__.get("plotly")
        if built is None:
            built = go.Figure({"data": self["data"], "layout": self["layout"]}, skip_invalid=True)
            self.__dict__["plotly"] = built
        return built

    def __getattr__(self, name: str) -> object:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.to_plotly(), name)


def figure(data: list[dict], layout: dict) -> Figure:
    """A figure from plain dicts (the builders are tested against plotly's validation)."""
    return Figure(data=data, layout=layout)


def empty_figure(message: str, height: int = 240) -> go.Figure:
    """A blank panel that says why it is blank."""
    note = {"text": message, "showarrow": False, "font": {"size": 14, "color": MUTED}}
    layout = base_layout(height, xaxis=hidden_axis(), yaxis=hidden_axis(), annotations=[note])
    return figure([], layout)
