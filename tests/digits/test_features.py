"""A CNN's filters and feature maps for one input, and the figure that shows them."""

import numpy as np
import plotly.io as pio
import pytest

from nnviz.core import build_cnn, build_mlp
from nnviz.digits import conv_outputs, first_filters, is_cnn
from nnviz.viz.features import feature_maps_figure


@pytest.fixture(scope="module")
def cnn():
    return build_cnn(filters=(4, 6), hidden=(16,), rng=np.random.default_rng(0), dtype=np.float64)


def test_conv_outputs_are_each_conv_layer_after_its_activation(cnn):
    image = np.random.default_rng(1).uniform(0, 1, (28, 28))
    first, second = conv_outputs(cnn, image)
    assert first.maps.shape == (4, 24, 24) and second.maps.shape == (6, 8, 8)
    assert "conv 1" in first.name and "conv 2" in second.name
    # map k of the first layer is relu(W[k] ⋆ x + b[k]), computed here the slow way
    w, b = cnn.layers[1].weights.value, cnn.layers[1].bias.value
    k, r, c = 2, 7, 11
    expected = max(0.0, float((w[k, 0] * image[r : r + 5, c : c + 5]).sum() + b[k]))
    assert first.maps[k, r, c] == pytest.approx(expected, rel=1e-5, abs=1e-6)
    assert (first.maps >= 0).all() and (second.maps >= 0).all()


def test_an_mlp_has_no_feature_maps_and_no_filters():
    mlp = build_mlp([784, 8, 10], rng=np.random.default_rng(0))
    assert not is_cnn(mlp) and conv_outputs(mlp, np.zeros(784)) == []
    with pytest.raises(ValueError, match="no convolution"):
        first_filters(mlp)


def test_first_filters_are_the_first_conv_weights_as_images(cnn):
    assert is_cnn(cnn)
    filters = first_filters(cnn)
    assert filters.shape == (4, 5, 5)
    np.testing.assert_allclose(filters, cnn.layers[1].weights.value[:, 0], rtol=1e-6)


def test_feature_maps_figure_draws_one_labelled_tile_per_map():
    maps = np.random.default_rng(0).normal(size=(10, 6, 6))
    figure = feature_maps_figure(maps, "maps", columns=4)
    pio.to_json(figure.to_dict(), validate=True)
    assert [a["text"] for a in figure["layout"]["annotations"]] == [str(k) for k in range(1, 11)]
    z = np.asarray(figure["data"][0]["z"], dtype=float)
    assert np.nanmax(np.abs(z)) == pytest.approx(1.0)  # each tile scaled to its own largest |v|
    tile = maps[5] / np.abs(maps[5]).max()
    gap = 2
    top, left = gap + 1 * (6 + gap), 1 * (6 + gap)  # map 6 is row 1, column 1
    np.testing.assert_allclose(z[top : top + 6, left : left + 6], tile, rtol=1e-5)


@pytest.mark.parametrize("bad", [np.zeros((3, 3)), np.zeros((0, 4, 4))])
def test_feature_maps_figure_refuses_what_is_not_a_stack_of_maps(bad):
    with pytest.raises(ValueError, match="filters, height, width"):
        feature_maps_figure(bad)
