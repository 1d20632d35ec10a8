"""The Draw page's "What the filters see": with a convolutional model, each conv layer's
feature maps for the current input, and the first layer's filters as images."""

from __future__ import annotations

import streamlit as st

from nnviz.digits import conv_outputs, first_filters, is_cnn
from nnviz.ui.digits.draw import DrawSettings, Reading
from nnviz.ui.digits.state import DRAW as K
from nnviz.ui.widgets import guarded
from nnviz.viz import theme
from nnviz.viz.features import feature_maps_figure


@guarded("the feature maps", K)
def feature_maps_view(reading: Reading, settings: DrawSettings) -> None:
    """Small multiples, one tile per filter; nothing for an MLP (it has no filters)."""
    if reading.prediction is None or not is_cnn(settings.model):
        return
    with st.expander("What the filters see", expanded=True, icon=":material/filter:"):
        st.plotly_chart(
            feature_maps_figure(first_filters(settings.model), "Layer 1's filters", columns=16),
            key=K("filters"),
            config=theme.PLOTLY_CONFIG,
        )
        st.caption(
            "Each filter is a small pattern of weights slid over the 28×28 input: **blue** "
            "weights add where there is ink, **orange** ones subtract. Edges and stroke "
            "directions are what most of them look for."
        )
        for i, found in enumerate(conv_outputs(settings.model, reading.prediction.image)):
            title = f"{found.name}: {found.maps.shape[0]} feature maps of this input"
            st.plotly_chart(
                feature_maps_figure(found.maps, title, columns=16),
                key=K(f"maps.{i}"),
                config=theme.PLOTLY_CONFIG,
            )
        st.caption(
            "Feature map *k* is filter *k*'s answer at every place: where this input looks like "
            "the filter, the map is bright. The second layer's maps combine the first's, at "
            "half the resolution after pooling, into strokes and corners of digits."
        )
