"""Plotly charts that update in place, for pictures redrawn several times a second.

`st.plotly_chart` (Streamlit 1.67) derives each chart's identity from its content, so every
new frame unmounts the old chart and draws a new one: the chart blinks, and on a slow machine
it is blank most of the time. `live_chart` instead keeps one small iframe per key that loads
plotly.js once and applies each new figure with `Plotly.react`, which only redraws what
changed. The page the iframe shows is written at first use into a temporary folder, next to
a copy of the plotly.js that ships with the plotly package (no network needed).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
import streamlit.components.v1 as components
from plotly.offline import get_plotlyjs

from nnviz.viz import theme

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><script src="plotly.min.js"></script>
<style>html, body {margin: 0; overflow: hidden; background: transparent;}</style></head>
<body><div id="plot"></div><script>
const plot = document.getElementById("plot");
const send = (type, extra) =>
  window.parent.postMessage({isStreamlitMessage: true, type, ...extra}, "*");
let shown = null;
window.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "streamlit:render") return;
  const {spec, height, config} = event.data.args;
  if (spec !== shown) {
    shown = spec;
    const figure = JSON.parse(spec);
    plot.style.height = height + "px";
    Plotly.react(plot, figure.data, figure.layout, config);
  }
  send("streamlit:setFrameHeight", {height});
});
window.addEventListener("resize", () => Plotly.Plots.resize(plot));
send("streamlit:componentReady", {apiVersion: 1});
</script></body></html>
"""


@st.cache_resource(show_spinner=False)
def _live_plot():
    """The component, declared once per server process (a read-only shared resource)."""
    folder = Path(tempfile.mkdtemp(prefix="nnviz-live-plot-"))
    (folder / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    (folder / "index.html").write_text(_PAGE, encoding="utf-8")
    return components.declare_component("live_plot", path=str(folder))


def live_chart(figure: go.Figure, key: str) -> None:
    """Show `figure` in the current container; the chart with this `key` updates in place."""
    height = int(figure.layout.height or 400)
    _live_plot()(
        spec=pio.to_json(figure, validate=False),
        height=height,
        config=theme.PLOTLY_CONFIG,
        key=key,
        default=None,
    )
