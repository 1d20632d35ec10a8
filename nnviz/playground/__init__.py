"""A Playground run without streamlit: every setting in one `RunConfig` (⇄ URL query), the
trainer it builds, the live `Run` with its `History`, and the arrays its pictures are made of.
"""

from nnviz.playground.config import (
    CSV,
    HIDEABLE,
    MAX_LAYERS,
    MAX_UNITS,
    RANGES,
    TABLES,
    RunConfig,
    build_trainer,
    parse_query,
    train_size,
)
from nnviz.playground.frame import VIEWS, boundary_grid, dead_units, neuron_maps
from nnviz.playground.run import History, Run
