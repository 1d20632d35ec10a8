"""`Sequential`: a list of layers applied in order; `build_mlp` and `build_cnn` make one."""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence

import numpy as np

from nnviz.core.activations import ACTIVATIONS, get_activation, sigmoid, softmax
from nnviz.core.conv import Conv2D, MaxPool2D
from nnviz.core.layers import Dense, Dropout, Layer
from nnviz.core.parameter import Parameter
from nnviz.core.shapes import Flatten, Reshape

OUTPUTS = ("sigmoid", "softmax", "linear")
# the layers a CNN adds to an MLP's, by type name (for the model-file registry `LAYERS`)
IMAGE_LAYERS: dict[str, type[Layer]] = {
    cls.__name__: cls for cls in (Reshape, Conv2D, MaxPool2D, Flatten)
}


class Sequential:
    """Layers in order; the last one emits logits, `output` names the link applied for display.

    Args:
        layers: applied first to last.
        output: "sigmoid" (one logit, binary), "softmax" (several, multi-class) or
            "linear" (regression). The losses fuse the link; `predict_proba` applies it.
    """

    def __init__(self, layers: list[Layer], output: str = "sigmoid") -> None:
        if output not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; choose one of: {', '.join(OUTPUTS)}")
        if not any(layer.parameters() for layer in layers):
            raise ValueError("a model needs at least one layer with weights (e.g. Dense)")
        self.layers = list(layers)
        self.output = output
        # training never needs d loss / d x below the first weights: those layers skip dX
        first = next(i for i, layer in enumerate(self.layers) if layer.parameters())
        for i, layer in enumerate(self.layers):
            if hasattr(layer, "input_grad"):
                layer.input_grad = i > first
        self._params = [p for layer in self.layers for p in layer.parameters()]

    @property
    def dtype(self) -> np.dtype:
        return self._params[0].value.dtype

    @property
    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def sizes(self) -> list[int]:
        """Input features, then the units of each Dense: `[2, 8, 8, 1]` for an MLP.

        A CNN that starts with `Reshape` lists its flat input and its Dense layers only
        (`[784, 128, 10]`); one that takes images directly has no flat input to list.
        """
        first, dense = self.layers[0], self.dense_layers
        if isinstance(first, Reshape):
            inputs = math.prod(first.shape)
        elif any(isinstance(layer, Conv2D | MaxPool2D) for layer in self.layers):
            raise ValueError(f"{first!r} takes images, not feature vectors: no input size to list")
        else:
            inputs = dense[0].in_features
        return [inputs] + [d.out_features for d in dense]

    def forward(
        self, x: np.ndarray, training: bool = False, outputs: list | None = None
    ) -> np.ndarray:
        """Logits for a batch `x (batch, in_features)` (or images `(batch, C, H, W)` for a CNN
        without `Reshape`); `outputs` collects every layer's output."""
        x = np.asarray(x, dtype=self.dtype)
        for layer in self.layers:
            x = layer.forward(x, training)
            if outputs is not None:
                outputs.append(x)
        return x

    def backward(self, grad_logits: np.ndarray, grads: list | None = None) -> None:
        """Accumulate every parameter's `grad` from d loss / d logits (after a forward).

        `grads` collects d loss / d (each layer's output), in forward order;
        `None` stands for the gradients that are never computed (below the first weights).
        """
        grad = grad_logits
        for layer in reversed(self.layers):
            if grads is not None:
                grads.insert(0, grad)
            grad = layer.backward(grad) if grad is not None else None

    def parameters(self) -> list[Parameter]:
        return self._params

    def zero_grad(self) -> None:
        for p in self._params:
            p.grad.fill(0)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """The output link of the logits: σ, softmax, or the identity for regression."""
        logits = self.forward(x)
        if self.output == "sigmoid":
            return sigmoid(logits)
        return softmax(logits) if self.output == "softmax" else logits

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Class labels `(batch,)`, or the regression values."""
        logits = self.forward(x)
        if self.output == "sigmoid":
            return (logits[:, 0] > 0).astype(np.int64)
        return logits.argmax(axis=1) if self.output == "softmax" else logits

    def copy(self) -> Sequential:
        """An independent deep copy (for fine-tuning or comparing without touching this one)."""
        return copy.deepcopy(self)

    @property
    def n_parameters(self) -> int:
        return sum(p.value.size for p in self._params)

    def __repr__(self) -> str:
        parts = [repr(layer) for layer in self.layers]
        if self.output != "linear":
            parts.append(f"[{self.output}]")
        return " · ".join(parts)


def build_mlp(
    sizes: list[int],
    activation: str | list[str] = "tanh",
    *,
    initializer: str = "glorot_uniform",
    output: str = "auto",
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
    dtype: np.dtype | type = np.float64,
) -> Sequential:
    """A multi-layer perceptron from unit counts, input first: `[2, 8, 8, 1]`.

    Args:
        sizes: input features, hidden units…, outputs.
        activation: one name for every hidden layer, or one name per hidden layer.
        initializer: weight initializer for every Dense (biases start at zero).
        output: "auto" picks sigmoid for one output and softmax for several;
            "linear" for regression. The last Dense emits logits either way.
        dropout: rate of a Dropout layer after each hidden activation (0 = none).
        rng: the generator for initial weights and dropout masks.
        dtype: float64 for small nets (exact gradient checks), float32 for MNIST speed.
    """
    if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
        raise ValueError(f"sizes must list at least input and output units, all ≥ 1: {sizes}")
    hidden = len(sizes) - 2
    names = [activation] * hidden if isinstance(activation, str) else list(activation)
    if len(names) != hidden:
        raise ValueError(f"{hidden} hidden layers but {len(names)} activations: {names}")
    for name in names:
        get_activation(name)  # fail early with the list of valid names
    if output == "auto":
        output = "sigmoid" if sizes[-1] == 1 else "softmax"
    rng = rng if rng is not None else np.random.default_rng(0)
    layers: list[Layer] = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(
            Dense(fan_in, fan_out, initializer=initializer, rng=rng, dtype=dtype, name=f"L{i + 1}")
        )
        if i < hidden:
            layers.append(ACTIVATIONS[names[i]]())
            if dropout > 0:
                layers.append(Dropout(dropout, rng))
    return Sequential(layers, output=output)


def build_cnn(
    input_shape: tuple[int, int, int] = (1, 28, 28),
    filters: Sequence[int] = (8, 16),
    kernel_size: int | Sequence[int] = 5,
    hidden: Sequence[int] = (128,),
    classes: int = 10,
    *,
    padding: int | str = 0,
    pool: int = 2,
    activation: str = "relu",
    initializer: str = "he_normal",
    output: str = "auto",
    dropout: float = 0.0,
    rng: np.random.Generator | None = None,
    dtype: np.dtype | type = np.float32,
) -> Sequential:
    """A small convolutional net that takes flat rows, like an MLP (LeNet's plan):

        Reshape(input_shape) → [Conv2D → g → MaxPool2D] per entry of `filters`
        → Flatten → [Dense → g (→ Dropout)] per entry of `hidden` → Dense(classes)

    The defaults are the MNIST net of `bench.cnn`: 1×28×28 → 8 filters 5×5 → pool → 16
    filters 5×5 → pool → 256 → 128 → 10.

    Args:
        input_shape: one sample as (channels, height, width); rows of C·H·W values come in.
        filters: output channels of each conv block.
        kernel_size: one filter size for every block, or one per block.
        hidden: units of the Dense layers after the convolutions.
        classes: outputs (logits).
        padding: every Conv2D's padding (an int or "same").
        pool: each block's MaxPool2D size (1 = no pooling).
        activation, initializer, output, dropout, rng, dtype: as in `build_mlp`.

    Raises ValueError when the image shrinks to nothing before the last block.
    """
    kernels = [kernel_size] * len(filters) if isinstance(kernel_size, int) else list(kernel_size)
    if not filters or len(kernels) != len(filters):
        raise ValueError(f"{len(filters)} conv blocks but {len(kernels)} kernel sizes: {kernels}")
    get_activation(activation)
    rng = rng if rng is not None else np.random.default_rng(0)
    layers: list[Layer] = [Reshape(input_shape)]
    shape = tuple(input_shape)
    for i, (channels, kernel) in enumerate(zip(filters, kernels, strict=True)):
        conv = Conv2D(
            shape[0],
            channels,
            kernel,
            padding=padding,
            initializer=initializer,
            rng=rng,
            dtype=dtype,
            name=f"C{i + 1}",
        )
        shape = conv.output_shape(shape)
        layers += [conv, ACTIVATIONS[activation]()]
        if pool != 1:
            layers.append(MaxPool2D(pool))
            shape = layers[-1].output_shape(shape)
    head = build_mlp(
        [math.prod(shape), *hidden, classes],
        activation,
        initializer=initializer,
        output=output,
        dropout=dropout,
        rng=rng,
        dtype=dtype,
    )
    return Sequential([*layers, Flatten(), *head.layers], output=head.output)
