"""`Sequential`: a list of layers applied in order, and `build_mlp` to make one from sizes."""

from __future__ import annotations

import copy

import numpy as np

from nnviz.core.activations import ACTIVATIONS, get_activation, sigmoid, softmax
from nnviz.core.layers import Dense, Dropout, Layer
from nnviz.core.parameter import Parameter

OUTPUTS = ("sigmoid", "softmax", "linear")


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
        for i, layer in enumerate(self.layers):
            if hasattr(layer, "input_grad"):
                layer.input_grad = i > 0
        self._params = [p for layer in self.layers for p in layer.parameters()]

    @property
    def dtype(self) -> np.dtype:
        return self._params[0].value.dtype

    @property
    def dense_layers(self) -> list[Dense]:
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    @property
    def sizes(self) -> list[int]:
        """Units per layer, input first: `[2, 8, 8, 1]` (for MLPs)."""
        dense = self.dense_layers
        return [dense[0].in_features] + [d.out_features for d in dense]

    def forward(
        self, x: np.ndarray, training: bool = False, outputs: list | None = None
    ) -> np.ndarray:
        """Logits for a batch `x (batch, in_features)`; `outputs` collects every layer's output."""
        x = np.asarray(x, dtype=self.dtype)
        for layer in self.layers:
            x = layer.forward(x, training)
            if outputs is not None:
                outputs.append(x)
        return x

    def backward(self, grad_logits: np.ndarray, grads: list | None = None) -> None:
        """Accumulate every parameter's `grad` from d loss / d logits (after a forward).

        `grads` collects d loss / d (each layer's output), in forward order.
        """
        grad = grad_logits
        for layer in reversed(self.layers):
            if grads is not None:
                grads.insert(0, grad)
            grad = layer.backward(grad)

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
