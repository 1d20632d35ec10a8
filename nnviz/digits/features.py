"""What a convolutional digit model sees: its filters and the feature maps of one drawing.

A `Conv2D` filter `W[k]` slides over its input and lights up where the input looks like it:
feature map `k` is `g(W[k] ⋆ X + b[k])`, one image per filter. The first layer's filters act on
pixels, so they can be shown as small images themselves (edges, strokes, blobs); deeper maps are
combinations of the earlier ones, coarser after every pooling.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import Activation
from nnviz.core.conv import Conv2D
from nnviz.core.model import Sequential
from nnviz.core.probes import layer_outputs


@dataclass(frozen=True)
class FeatureMaps:
    """One conv layer's output for one input: `maps (filters, height, width)`, after its
    activation when one follows (what the next layer reads)."""

    name: str
    maps: np.ndarray

    def __repr__(self) -> str:
        return f"FeatureMaps({self.name}, {'×'.join(map(str, self.maps.shape))})"


def is_cnn(model: Sequential) -> bool:
    """Whether `model` has at least one convolution (and so filters and feature maps to show)."""
    return any(isinstance(layer, Conv2D) for layer in model.layers)


def conv_outputs(model: Sequential, image: np.ndarray) -> list[FeatureMaps]:
    """Each conv layer's feature maps for one 28×28 (or 784-value) input; `[]` for an MLP."""
    x = np.asarray(image, dtype=np.float32).reshape(1, -1)
    outputs = layer_outputs(model, x)
    layers = model.layers
    found = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, Conv2D):
            continue
        shown = i + 1 if i + 1 < len(layers) and isinstance(layers[i + 1], Activation) else i
        name = f"conv {len(found) + 1}: {layer!r}"
        found.append(FeatureMaps(name, outputs[shown].values[0].astype(np.float32)))
    return found


def first_filters(model: Sequential) -> np.ndarray:
    """The first conv layer's filters as images `(filters, kh, kw)`, averaged over its input
    channels (one channel for a digit model, so nothing is lost there)."""
    conv = next((layer for layer in model.layers if isinstance(layer, Conv2D)), None)
    if conv is None:
        raise ValueError(f"{model!r} has no convolution, so no filters to show")
    return conv.weights.value.mean(axis=1).astype(np.float32)
