"""An MNIST model (MLP or CNN) as Keras code: the same layers, trained the same way.

nnviz keeps images channels first, `(channels, height, width)` as PyTorch does, and takes every
image as a row of 784 pixels; Keras's convolutions default to channels last. The script keeps
nnviz's order at both ends and transposes explicitly in between: `Permute((2, 3, 1))` before the
first convolution, `Permute((3, 1, 2))` before `Flatten`, so the flattened features come in
nnviz's order and a Dense layer means the same weights in both.
"""

from __future__ import annotations

from nnviz.core import Conv2D, Dense, Dropout, Flatten, MaxPool2D, Optimizer, Reshape, Sequential
from nnviz.core.activations import Activation, LeakyReLU
from nnviz.teaching.export import KERAS_OPTIMIZERS, _optimizer_settings

KERAS_DIGITS = '''"""nnviz export — the MNIST model {name}, as Keras code.

Run it with Keras 3 and a backend installed (pip install keras tensorflow).

nnviz stores images channels first, (channels, height, width), as PyTorch does; Keras's
Conv2D and MaxPooling2D default to channels last (data_format="channels_last"). This script
transposes explicitly: Permute((2, 3, 1)) turns (1, 28, 28) into (28, 28, 1) for the
convolutions, and Permute((3, 1, 2)) turns their output back before Flatten, so the flattened
features are in nnviz's order.
"""

import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255  # rows of 784 pixels, as in nnviz
x_test = x_test.reshape(-1, 784).astype("float32") / 255

model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
{layers}
    ]
)
model.summary()
model.compile(
    optimizer=keras.optimizers.{optimizer},
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
model.fit(
    x_train,
    y_train,
    batch_size={batch_size},
    epochs={epochs},
    shuffle=True,
    validation_data=(x_test, y_test),
)
'''


def keras_digits_script(
    model: Sequential,
    *,
    name: str = "",
    optimizer: Optimizer | None = None,
    batch_size: int = 128,
    epochs: int = 3,
) -> str:
    """Keras code for a 784 → 10 digit model built from nnviz layers (Dense, Conv2D, ...).

    Args:
        model: the network; only its layers are read (the script trains from scratch).
        name: how the script's title names it.
        optimizer: its settings go into `compile` (default: Adam with its defaults).
        batch_size, epochs: as in `fit`.
    """
    optimizer_code = "Adam()"
    if optimizer is not None:
        settings = {"learning_rate": optimizer.learning_rate, **_optimizer_settings(optimizer)}
        optimizer_code = KERAS_OPTIMIZERS[optimizer.name].format(**settings)
    lines = [
        " " * 8 + line.replace("  #", ",  #", 1) if "  #" in line else " " * 8 + line + ","
        for line in _keras_layers(model)
    ]
    return KERAS_DIGITS.format(
        name=name or repr(model),
        layers="\n".join(lines),
        optimizer=optimizer_code,
        batch_size=int(batch_size),
        epochs=int(epochs),
    )


def _keras_layers(model: Sequential) -> list[str]:
    """One Keras layer per nnviz layer; an activation joins the Conv2D or Dense before it."""
    out: list[str] = []
    layers = model.layers
    for i, layer in enumerate(layers):
        after = layers[i + 1] if i + 1 < len(layers) else None
        fused = isinstance(after, Activation) and not isinstance(after, LeakyReLU)
        act = f', activation="{after.name}"' if fused else ""
        if isinstance(layer, Reshape):
            out.append(f"layers.Reshape({layer.shape})")
            if len(layer.shape) == 3:
                out.append("layers.Permute((2, 3, 1))  # (C, H, W) → (H, W, C)")
        elif isinstance(layer, Conv2D):
            out.extend(_conv(layer, act))
        elif isinstance(layer, MaxPool2D):
            out.append(f"layers.MaxPooling2D({layer.size}, strides={layer.stride})")
        elif isinstance(layer, Flatten):
            out += ["layers.Permute((3, 1, 2))  # (H, W, C) → (C, H, W)", "layers.Flatten()"]
        elif isinstance(layer, Dense):
            last = i == len(layers) - 1
            act = f', activation="{model.output}"' if last else act
            out.append(f"layers.Dense({layer.weights.value.shape[1]}{act})")
        elif isinstance(layer, Dropout):
            out.append(f"layers.Dropout({layer.rate!r})")
        elif isinstance(layer, LeakyReLU):
            out.append(f"layers.LeakyReLU(negative_slope={layer.alpha!r})")
        elif isinstance(layer, Activation):
            previous = layers[i - 1] if i else None
            if not isinstance(previous, (Conv2D, Dense)):
                out.append(f'layers.Activation("{layer.name}")')
        else:
            raise ValueError(f"no Keras equivalent written for {layer!r}")
    return out


def _conv(layer: Conv2D, act: str) -> list[str]:
    kh, kw = layer.kernel
    strides = f", strides={layer.stride}" if layer.stride != (1, 1) else ""
    filters = layer.weights.value.shape[0]
    if layer.padding == "same":
        return [f'layers.Conv2D({filters}, ({kh}, {kw}){strides}, padding="same"{act})']
    pad = [f"layers.ZeroPadding2D({layer.padding})"] if layer.padding else []
    return [*pad, f"layers.Conv2D({filters}, ({kh}, {kw}){strides}{act})"]
