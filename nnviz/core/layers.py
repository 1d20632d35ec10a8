"""Layers: each does one thing. `Dense` is affine; activations and dropout are layers of their own.

Every layer has `forward(x, training)` and `backward(grad_output) -> grad_input`, where
`grad_output` is d loss / d (this layer's output). Shapes are batch-first: `x (batch, features)`.

A layer also answers two questions without running: `output_shape(shape)`, the per-sample shape
it makes of an input (so a model file whose layers do not fit together is refused at load), and
`parameter_count(config)`, how many numbers a layer with that config holds (so a file is sized
from its record before anything is allocated).
"""

from __future__ import annotations

import numpy as np

from nnviz.core.initializers import get_initializer
from nnviz.core.limits import MODEL_UNITS
from nnviz.core.parameter import Parameter

Shape = tuple[int, ...]


class Layer:
    """Base: no parameters, identity config, any input shape passes through unchanged."""

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def parameters(self) -> list[Parameter]:
        return []

    def config(self) -> dict:
        """What `LAYERS[config["type"]](**rest)` needs to rebuild this layer (values aside)."""
        return {"type": type(self).__name__}

    @classmethod
    def parameter_count(cls, config: dict) -> int:
        """How many numbers a layer built from `config` (what `config()` returns) holds,
        read from the config alone. Raises ValueError when its sizes are unusable."""
        return 0

    def input_shape(self) -> Shape | None:
        """The per-sample input shape this layer's own config fixes; None when it takes any."""
        return None

    def output_shape(self, shape: Shape) -> Shape:
        """The per-sample shape of the output for an input of per-sample `shape` (no batch axis);
        ValueError saying why when the input does not fit."""
        return tuple(shape)


class Dense(Layer):
    """Affine map `Z = X W + b` with `W (in_features, out_features)`, `b (out_features,)`.

    Backward, for `dZ` = d loss / d Z over a batch:

        dW = Xᵀ dZ      db = Σ_rows dZ      dX = dZ Wᵀ

    (The 1/m of the mean is already inside dZ: the loss gradient carries it.)
    `input_grad=False` skips dX, which the first layer never needs.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        *,
        initializer: str = "glorot_uniform",
        rng: np.random.Generator | None = None,
        dtype: np.dtype | type = np.float64,
        name: str = "dense",
    ) -> None:
        rng = rng if rng is not None else np.random.default_rng(0)
        weights = get_initializer(initializer)(in_features, out_features, rng, dtype)
        self.weights = Parameter(f"{name}.W", weights)
        self.bias = Parameter(f"{name}.b", np.zeros(out_features, dtype=dtype), regularize=False)
        self.name = name
        self.input_grad = True
        self._x: np.ndarray | None = None

    @property
    def in_features(self) -> int:
        return self.weights.value.shape[0]

    @property
    def out_features(self) -> int:
        return self.weights.value.shape[1]

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self._x = x
        z = x @ self.weights.value
        z += self.bias.value  # in place: a second (batch, out) temporary costs more than the add
        return z

    def backward(self, grad_output: np.ndarray) -> np.ndarray | None:
        self.weights.grad += self._x.T @ grad_output
        self.bias.grad += np.add.reduce(grad_output, axis=0)
        return grad_output @ self.weights.value.T if self.input_grad else None

    def parameters(self) -> list[Parameter]:
        return [self.weights, self.bias]

    def config(self) -> dict:
        return {
            "type": "Dense",
            "in_features": self.in_features,
            "out_features": self.out_features,
            "name": self.name,
        }

    @classmethod
    def parameter_count(cls, config: dict) -> int:
        """`in · out` weights plus `out` biases; at most `MODEL_UNITS` units."""
        n_in = _whole(config, "in_features")
        n_out = _whole(config, "out_features")
        if n_out > MODEL_UNITS:
            raise ValueError(f"{n_out:,} units; a Dense layer has at most {MODEL_UNITS:,}")
        return n_in * n_out + n_out

    def input_shape(self) -> Shape:
        return (self.in_features,)

    def output_shape(self, shape: Shape) -> Shape:
        if tuple(shape) != (self.in_features,):
            raise ValueError(
                f"{self!r} takes {self.in_features} features per sample, got shape {shape}"
            )
        return (self.out_features,)

    def __repr__(self) -> str:
        return f"Dense({self.in_features} → {self.out_features})"


class Dropout(Layer):
    """Inverted dropout: in training keep each unit with probability 1 - rate and scale by
    1 / (1 - rate), so nothing changes at inference. The mask is drawn from `self.rng`.
    """

    def __init__(self, rate: float, rng: np.random.Generator | None = None) -> None:
        if not 0.0 <= rate < 1.0:
            raise ValueError(f"dropout rate must be in [0, 1), got {rate}")
        self.rate = float(rate)
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self._mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if not training or self.rate == 0.0:
            self._mask = None
            return x
        keep = self.rng.random(x.shape) >= self.rate
        self._mask = keep.astype(x.dtype) / (1.0 - self.rate)
        return x * self._mask

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output if self._mask is None else grad_output * self._mask

    def config(self) -> dict:
        return {"type": "Dropout", "rate": self.rate}

    def __repr__(self) -> str:
        return f"Dropout({self.rate:g})"


def chain_shapes(layers: list[Layer]) -> list[Shape]:
    """Per-sample shapes through `layers`: the input's, then each layer's output.

    The input shape is the one the first shape-fixing layer declares (`input_shape()`); the
    layers before it must pass that shape through unchanged. Raises ValueError naming the
    layers that do not fit together, e.g. `Dense(784 → 10)` followed by `Dense(5 → 10)`.
    """
    first = next((i for i, layer in enumerate(layers) if layer.input_shape() is not None), None)
    if first is None:
        raise ValueError("no layer says what input it takes (e.g. a Dense layer)")
    shapes = [layers[first].input_shape()]
    source = None  # the last layer that changed the shape, named when the next one misfits
    for i, layer in enumerate(layers):
        try:
            shape = layer.output_shape(shapes[-1])
        except ValueError as err:
            after = "the input" if source is None else f"layer {source + 1} {layers[source]!r}"
            raise ValueError(f"layer {i + 1} {layer!r} does not fit after {after}: {err}") from None
        if shape != shapes[-1]:
            if i < first:
                raise ValueError(
                    f"layer {i + 1} {layer!r} changes the shape before any layer fixes the input"
                )
            source = i
        shapes.append(shape)
    return shapes


def _whole(config: dict, key: str) -> int:
    value = config[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key} must be a whole number ≥ 1, got {value!r}")
    return value
