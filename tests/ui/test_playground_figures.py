"""A Playground frame: the run's arrays drawn as the page's figures."""

import base64
import json

import numpy as np

from nnviz.playground import VIEWS, Run, RunConfig
from nnviz.ui.charts import figure_json
from nnviz.ui.playground.figures import playground_figures
from nnviz.viz.neurons import GAP


def test_playground_figures_builds_the_frame_and_every_view():
    run = Run(RunConfig(dataset="spirals3", hidden=(5, 4), activations=("relu",)))
    run.advance(3)
    figures = playground_figures(run, views=VIEWS)
    assert set(figures) == {"boundary", "curves", *VIEWS}
    assert figures["boundary"].data[0].z.shape == (100, 100)
    neurons = np.asarray(figures["neurons"].data[0].z)
    assert (neurons != GAP).sum() % (5 + 4) == 0


def test_a_frame_travels_as_typed_arrays_that_decode_to_the_figure():
    run = Run(RunConfig(dataset="moons", hidden=(4,)))
    figure = playground_figures(run)["boundary"]
    sent = json.loads(figure_json(figure))
    z = sent["data"][0]["z"]
    assert (z["dtype"], z["shape"]) == ("f4", "100,100")
    decoded = np.frombuffer(base64.b64decode(z["bdata"]), np.float32).reshape(100, 100)
    np.testing.assert_allclose(decoded, figure["data"][0]["z"], rtol=1e-6)
    assert sent["layout"] == json.loads(json.dumps(figure["layout"], default=float))


def test_a_nan_outside_the_arrays_still_makes_valid_json():
    from nnviz.viz import theme

    figure = theme.figure([{"type": "scatter", "x": [0, 1], "y": [1.0, float("nan")]}], {})
    sent = json.loads(figure_json(figure))  # strict JSON: plotly's encoder writes NaN as null
    assert sent["data"][0]["y"] == [1.0, None]
