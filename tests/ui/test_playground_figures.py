"""A Playground frame: the run's arrays drawn as the page's figures."""

import numpy as np

from nnviz.playground import VIEWS, Run, RunConfig
from nnviz.ui.playground.figures import playground_figures


def test_playground_figures_builds_the_frame_and_every_view():
    run = Run(RunConfig(dataset="spirals3", hidden=(5, 4), activations=("relu",)))
    run.advance(3)
    figures = playground_figures(run, views=VIEWS)
    assert set(figures) == {"boundary", "curves", *VIEWS}
    assert figures["boundary"].data[0].z.shape == (100, 100)
    neurons = np.asarray(figures["neurons"].data[0].z, dtype=float)
    assert np.isfinite(neurons).sum() % (5 + 4) == 0
