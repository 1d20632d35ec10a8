"""Keras code for an MNIST model: the layers it names, and the shapes they make.

Keras is not a dependency, so the script runs against a small stand-in that knows each layer's
output shape the way Keras computes it (channels last, "valid" or "same" padding).
"""

import functools
import math
import sys
import types

import numpy as np
import pytest

from nnviz.core import build_cnn, build_mlp, get_optimizer
from nnviz.core.layers import chain_shapes
from nnviz.teaching import keras_digits_script


class Layer:
    def __init__(self, kind, *args, **kwargs):
        self.kind, self.args, self.kwargs = kind, args, kwargs

    def shape(self, s):
        a, k = self.args, self.kwargs
        if self.kind == "Reshape":
            assert math.prod(a[0]) == math.prod(s)
            return tuple(a[0])
        if self.kind == "Permute":
            return tuple(s[i - 1] for i in a[0])
        if self.kind == "Conv2D":
            assert k.get("data_format", "channels_last") == "channels_last"
            (h, w, _), (kh, kw) = s, a[1]
            if k.get("padding") == "same":
                return (h, w, a[0])
            return (h - kh + 1, w - kw + 1, a[0])
        if self.kind == "MaxPooling2D":
            h, w, c = s
            return ((h - a[0]) // k["strides"] + 1, (w - a[0]) // k["strides"] + 1, c)
        if self.kind == "Flatten":
            return (math.prod(s),)
        if self.kind == "Dense":
            assert len(s) == 1
            return (a[0],)
        return s  # Dropout, Activation, LeakyReLU


class FakeKeras(types.ModuleType):
    def __init__(self):
        super().__init__("keras")
        self.layers = types.SimpleNamespace(
            **{
                name: functools.partial(Layer, name)
                for name in ("Reshape", "Permute", "Conv2D", "MaxPooling2D", "Flatten",
                             "Dense", "Dropout", "Activation", "LeakyReLU", "ZeroPadding2D")
            }
        )  # fmt: skip
        self.optimizers = types.SimpleNamespace(Adam=dict, SGD=dict, RMSprop=dict)
        zeros = (np.zeros((2, 28, 28), np.uint8), np.zeros(2, np.int64))
        self.datasets = types.SimpleNamespace(
            mnist=types.SimpleNamespace(load_data=lambda: (zeros, zeros))
        )
        self.built = []

    def Input(self, shape):  # noqa: N802 - Keras's name
        return Layer("Input", shape)

    def Sequential(self, stack):  # noqa: N802 - Keras's name
        self.built = stack
        shapes = [stack[0].args[0]]
        for layer in stack[1:]:
            shapes.append(layer.shape(shapes[-1]))
        self.shapes = shapes
        return types.SimpleNamespace(
            summary=lambda: None, compile=lambda **k: None, fit=lambda *a, **k: None
        )


def run_script(code, monkeypatch):
    fake = FakeKeras()
    monkeypatch.setitem(sys.modules, "keras", fake)
    exec(compile(code, "export.py", "exec"), {})
    return fake


def test_cnn_script_names_the_layers_and_its_shapes_agree_with_nnviz(monkeypatch):
    model = build_cnn(filters=(8, 16), hidden=(128,), rng=np.random.default_rng(0))
    code = keras_digits_script(
        model, name="conv 8-16", optimizer=get_optimizer("adam", learning_rate=3e-3), epochs=2
    )
    compile(code, "export.py", "exec")
    for piece in (
        "layers.Conv2D(8, (5, 5)",
        "layers.Conv2D(16, (5, 5)",
        "MaxPooling2D(2",
        "layers.Flatten()",
        "layers.Dense(128",
        'layers.Dense(10, activation="softmax")',
        "channels_last",
        "Permute((2, 3, 1))",
        "learning_rate=0.003",
        "epochs=2",
    ):
        assert piece in code, piece  # fmt: skip
    fake = run_script(code, monkeypatch)
    kinds = [layer.kind for layer in fake.built]
    assert kinds.count("Conv2D") == 2 and kinds.count("MaxPooling2D") == 2
    ours = chain_shapes(model.layers)
    # Keras's (H, W, C) after each block is nnviz's (C, H, W), transposed
    theirs = [s for layer, s in zip(fake.built, fake.shapes, strict=True) if layer.kind == "Conv2D"]
    nnviz_convs = [ours[i + 1] for i, layer in enumerate(model.layers) if "Conv2D" in repr(layer)]
    assert [(s[2], s[0], s[1]) for s in theirs] == nnviz_convs
    flat = next(
        s for layer, s in zip(fake.built, fake.shapes, strict=True) if layer.kind == "Flatten"
    )
    assert flat == (256,) == ours[model.layers.index(next(
        layer for layer in model.layers if repr(layer) == "Flatten()")) + 1]  # fmt: skip
    assert fake.shapes[-1] == (10,)


def test_same_padding_and_leaky_relu_carry_over(monkeypatch):
    model = build_cnn(filters=(4,), padding="same", hidden=(), activation="leaky_relu",
                      rng=np.random.default_rng(0))  # fmt: skip
    code = keras_digits_script(model)
    assert 'padding="same"' in code and "LeakyReLU(negative_slope=0.01)" in code
    fake = run_script(code, monkeypatch)
    assert fake.shapes[-1] == (10,) and (4 * 14 * 14,) in fake.shapes


def test_mlp_script_is_dense_layers_only(monkeypatch):
    model = build_mlp([784, 64, 10], "relu", dropout=0.2, rng=np.random.default_rng(0))
    code = keras_digits_script(model)
    assert "Conv2D" not in code.split("model = keras.Sequential")[1]
    fake = run_script(code, monkeypatch)
    assert [layer.kind for layer in fake.built] == ["Input", "Dense", "Dropout", "Dense"]
    assert fake.shapes == [(784,), (64,), (64,), (10,)]


def test_a_layer_without_keras_words_is_refused():
    model = build_mlp([784, 10], rng=np.random.default_rng(0))
    model.layers.append(object())
    with pytest.raises(ValueError, match="no Keras equivalent"):
        keras_digits_script(model)
