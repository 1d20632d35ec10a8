"""Pictures: pure functions from data to plotly figures. Never imports streamlit.

Figure builders end in `_figure`; `playground_figures(run)` builds one live frame.
"""

from nnviz.viz import theme
from nnviz.viz.boundary import boundary_figure
from nnviz.viz.curves import curves_figure, gradients_figure
from nnviz.viz.frame import VIEWS, dead_units, playground_figures, view_figure
from nnviz.viz.network import network_figure, unit_names, weights_figure
from nnviz.viz.neurons import neurons_figure

__all__ = [
    "VIEWS",
    "boundary_figure",
    "curves_figure",
    "dead_units",
    "gradients_figure",
    "network_figure",
    "neurons_figure",
    "playground_figures",
    "theme",
    "unit_names",
    "view_figure",
    "weights_figure",
]
