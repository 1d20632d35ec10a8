"""Pictures: pure functions from data to plotly figures. Never imports streamlit.

Figure builders end in `_figure`; they take arrays and core types, never a feature's objects.
"""

from nnviz.viz import theme
from nnviz.viz.boundary import boundary_figure
from nnviz.viz.curves import curves_figure, gradients_figure
from nnviz.viz.network import network_figure, unit_names, weights_figure
from nnviz.viz.neurons import neurons_figure

__all__ = [
    "boundary_figure",
    "curves_figure",
    "gradients_figure",
    "network_figure",
    "neurons_figure",
    "theme",
    "unit_names",
    "weights_figure",
]
