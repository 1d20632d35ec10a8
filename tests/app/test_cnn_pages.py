"""The digit pages with convolutional models: choosing the model, feature maps and filters on the
Draw page, a CNN trained live on the Train page, and its Keras code."""

from __future__ import annotations

import ast

import numpy as np

from nnviz.digits import is_cnn
from tests.app.test_mnist_pages import (
    DRAW,
    ONE,
    TRAIN,
    charts,
    draw,
    metrics,
    open_tab,
    train_until_done,
    with_mnist,  # noqa: F401 - a fixture
)


def test_the_shipped_cnn_answers_by_default_and_shows_its_feature_maps(open_page):
    at = open_page(DRAW)
    assert at.radio(key="dr.model").value == "cnn"
    draw(at, ONE)
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["The model says"] == "1"
    figures = charts(at)
    filters, first, second = figures["filters"], figures["maps.0"], figures["maps.1"]
    assert len(filters["layout"]["annotations"]) == 16  # one labelled tile per filter
    assert len(first["layout"]["annotations"]) == 16 and len(second["layout"]["annotations"]) == 32
    assert "conv 1" in first["layout"]["title"]["text"]
    assert "conv 2" in second["layout"]["title"]["text"]
    open_tab(at, "dr.details", "Why")
    assert "saliency" in charts(at) and "activations" in charts(at)
    # the shipped MLP has no filters to show, and reads the same 1
    at.radio(key="dr.model").set_value("mlp").run()
    assert metrics(at)["The model says"] == "1"
    assert not {"filters", "maps.0"} & set(charts(at))
    assert "saliency" in charts(at)


def test_the_shipped_mlp_can_be_corrected_too(open_page):
    at = open_page(DRAW)
    at.radio(key="dr.model").set_value("mlp").run()
    draw(at, ONE)
    open_tab(at, "dr.details", "That's wrong")
    at.pills(key="dr.right").set_value(7).run()
    at.button(key="dr.keep").click().run()
    at.button(key="dr.tune").click().run()
    assert not at.exception
    assert at.session_state["dr:tuning"].result.fixed == 1
    tuned = at.session_state["mnist:model"]
    assert "MLP" in tuned.title and not is_cnn(tuned.model)
    assert metrics(at)["The model says"].rstrip("?") == "7"


def test_a_small_cnn_trains_live_shows_its_filters_and_exports_keras_code(open_page, with_mnist):  # noqa: F811
    at = open_page(TRAIN)
    at.session_state["tr.kind"] = "cnn"
    at.run()
    at.number_input(key="tr.convs").set_value(1).run()
    at.select_slider(key="tr.f.0").set_value(4)
    at.number_input(key="tr.depth").set_value(0)
    at.select_slider(key="tr.size").set_value(1000)
    at.number_input(key="tr.epochs").set_value(1)
    at.run()
    at.button(key="tr.train").click().run()
    run = at.session_state["tr:run"]
    assert run.is_cnn and run.config.filters == (4,)
    train_until_done(at)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["Step"] == "8" and metrics(at)["Epoch"] == "1 / 1"
    assert any(t.label.endswith("First-layer filters") for t in at.tabs)
    tiles = charts(at)["filters"]
    assert len(tiles["layout"]["annotations"]) == 4
    change = run.first_weights - run.initial_weights
    assert np.abs(change).max() > 0  # "change since the start" has something to show
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Keras code (.py)" in labels
    from nnviz.ui.digits.train_sidebar import _keras_code

    code = _keras_code(run)
    ast.parse(code)
    assert "layers.Conv2D(4, (5, 5)" in code and "MaxPooling2D" in code
    # this session's CNN answers on the Draw page, with its own feature maps
    at.switch_page(DRAW).run()
    at.radio(key="dr.model").set_value("session").run()
    draw(at, ONE)
    assert not at.exception
    assert len(charts(at)["maps.0"]["layout"]["annotations"]) == 4


def test_switching_to_a_cnn_brings_a_large_batch_down(open_page):
    at = open_page(TRAIN)
    at.select_slider(key="tr.batch").set_value(1024).run()
    at.session_state["tr.kind"] = "cnn"
    at.run()
    assert not at.exception
    assert at.select_slider(key="tr.batch").value == 256
    assert max(at.select_slider(key="tr.batch").options, key=int) == "256"
