"""Plotly charts that update in place, for pictures redrawn several times a second.

`st.plotly_chart` (Streamlit 1.67) derives each chart's identity from its content, so every
new frame unmounts the old chart and draws a new one: the chart blinks, and on a slow machine
it is blank most of the time. `live_chart` instead keeps one small iframe per key that loads
plotly.js once and applies each new figure with `Plotly.react`, which only redraws what
changed.

Both files the iframe needs are served from installed packages, nothing is written to disk:
the page from `nnviz/ui/live_plot/`, plotly.js from the plotly package (a second component
declared only so that Streamlit serves its folder; the page loads it by relative URL).

A frame is sent as compact JSON: arrays become plotly.js typed arrays (base64, float32), the
way plotly itself ships numpy arrays, but without building and validating a `go.Figure`.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import plotly
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
import streamlit.components.v1 as components

from nnviz.viz import theme

PAGE = Path(__file__).parent / "live_plot"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data"
FLOAT32_MAX = float(np.finfo(np.float32).max)
# NumPy dtype → (plotly.js typed-array code, the dtype sent)
_TYPED = {
    np.dtype(t): (code, np.dtype(sent))
    for t, code, sent in (
        (np.float64, "f4", np.float32),
        (np.float32, "f4", np.float32),
        (np.int8, "i1", np.int8),
        (np.int16, "i2", np.int16),
        (np.int32, "i4", np.int32),
        (np.uint8, "u1", np.uint8),
        (np.uint16, "u2", np.uint16),
        (np.uint32, "u4", np.uint32),
    )
}


@st.cache_resource(show_spinner=False)
def _live_plot():
    """The component, declared once per server process (a read-only shared resource)."""
    components.declare_component("plotly_js", path=str(PLOTLY_JS))
    return components.declare_component("live_plot", path=str(PAGE))


def live_chart(figure: theme.Figure | go.Figure, key: str) -> None:
    """Show `figure` in the current container; the chart with this `key` updates in place."""
    if isinstance(figure, theme.Figure):
        height, spec = figure["layout"].get("height"), figure_json(figure)
    else:
        height, spec = figure.layout.height, pio.to_json(figure, validate=False)
    _live_plot()(
        spec=spec,
        height=int(height or 400),
        config=theme.PLOTLY_CONFIG,
        key=key,
        default=None,
    )


def figure_json(figure: theme.Figure) -> str:
    """`figure` as the JSON plotly.js reads; NumPy arrays go as typed arrays."""
    try:
        return json.dumps(figure, default=_typed_array, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN outside any array: plotly's own encoder writes it as null
        return pio.to_json(figure.to_plotly(), validate=False)


def _typed_array(value: object) -> object:
    """A NumPy array as plotly.js's typed-array record; float64 travels as float32 (a screen
    shows no more), int64 as int32 when it fits."""
    if isinstance(value, np.generic):
        return value.item()
    if not isinstance(value, np.ndarray):
        raise TypeError(f"cannot send {type(value).__name__} to the chart")
    if value.dtype.kind == "i" and value.dtype.itemsize == 8:
        fits = value.size == 0 or np.abs(value).max() < 2**31
        value = value.astype(np.int32 if fits else np.float64)
    if value.dtype not in _TYPED or value.ndim > 2:
        return value.tolist()
    code, sent = _TYPED[value.dtype]
    if value.dtype == np.float64:  # a diverged run's 1e300 shows as the largest float32
        value = np.clip(value, -FLOAT32_MAX, FLOAT32_MAX)
    data = np.ascontiguousarray(value, dtype=sent)
    record = {"dtype": code, "bdata": base64.b64encode(data).decode("ascii")}
    if value.ndim == 2:
        record["shape"] = f"{value.shape[0]},{value.shape[1]}"
    return record
