"""Convolution and max-pooling on image batches `(batch, channels, height, width)` (NCHW).

`Conv2D` slides a bank of small filters over the image; every filter sees every position,
so it learns a local pattern (an edge, a stroke end) wherever it appears, with few weights.
It is computed as one matrix product on unrolled patches ("im2col"):

    cols[(c, i, j), (y, x, n)] = X[n, c, s·y + i, s·x + j]       (K = C·kh·kw rows)
    Y₂ = W₂ cols + b                 W₂ = W reshaped to (out_channels, K)

Speed comes from three choices, each measured (`python -m bench.cnn`):
- images are kept batch-last in memory, `(channels, height, width, batch)`, and handed out as
  NCHW views of it, so every patch copy, pooling window and col2im sum moves whole-batch runs
  (long contiguous runs, which NumPy vectorises) and the gradient coming back is already in the
  order the backward product wants;
- the patches are unrolled a few output rows at a time (`BLOCK_BYTES`), so each block is still
  in the CPU cache when its product reads it; backward unrolls them again rather than keeping
  them, which costs less than reading megabytes back from memory and bounds inference memory;
- max-pooling records each window's winner with arithmetic instead of `np.where`.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from nnviz.core.initializers import get_initializer
from nnviz.core.layers import Layer
from nnviz.core.limits import MODEL_UNITS
from nnviz.core.parameter import Parameter

BLOCK_BYTES = 1 << 19  # unrolled patches per product: small enough to stay in the CPU cache
COL2IM_BYTES = 1 << 24  # patch gradients per col2im: large blocks, bounded memory


def _whole(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= 1


def _positive_pair(value: int | tuple[int, int] | list[int], what: str) -> tuple[int, int]:
    pair = (value,) * 2 if not isinstance(value, tuple | list) else tuple(value)
    if len(pair) != 2 or not all(_whole(v) for v in pair):
        raise ValueError(f"{what} must be a positive integer or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def _image_shape(layer: Layer, shape: tuple[int, ...]) -> tuple[int, int, int]:
    if len(shape) != 3:
        raise ValueError(
            f"{layer!r} takes images (channels, height, width) per sample, got shape {shape}"
        )
    return shape  # type: ignore[return-value]


def _check_batch(layer: Layer, x: np.ndarray) -> None:
    if x.ndim != 4:
        raise ValueError(
            f"{layer!r} takes a batch of images (batch, channels, height, width), got shape "
            f"{x.shape}; put Reshape((channels, height, width)) before it for flat rows"
        )


class Conv2D(Layer):
    """Cross-correlation of an image batch with learned filters, plus a bias per filter.

    Forward, for filters `W (out_channels, in_channels, kh, kw)` and stride s (⋆ is
    cross-correlation, what deep-learning libraries call convolution):

        Y[n, o] = Σ_c W[o, c] ⋆ X[n, c] + b[o]                     Y = W ⋆ X + b

    Backward, for `dY` = d loss / d Y:

        dW[o, c] = Σ_n dY[n, o] ⋆ X[n, c]       db[o] = Σ_{n,y,x} dY[n, o, y, x]
        dX[n, c] = Σ_o dY[n, o] ∗ rot180(W[o, c])   (full convolution, dY dilated by s)

    In matrix form, with `cols` the unrolled patches: `dW₂ = dY₂ colsᵀ`, `dcols = W₂ᵀ dY₂`,
    and dX adds every column of `dcols` back onto the patch it came from ("col2im"), which
    is exactly the full convolution with the flipped kernel.

    Args:
        in_channels, out_channels: feature maps in and out (1 for grey images).
        kernel_size: filter height and width, one int for a square filter.
        stride: step between positions, one int or (rows, columns).
        padding: zeros added on every side, or "same" to keep height and width (at stride 1;
            ⌈size / stride⌉ otherwise), with the odd pixel at the bottom and right as in Keras.
        initializer: name from `INITIALIZERS`, scaled by the kernel's fan-in C·kh·kw and
            fan-out O·kh·kw (he_normal suits ReLU networks; Dense's default is kept).
        rng, dtype, name: as for `Dense`.
    """

    has_dtype = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        *,
        stride: int | tuple[int, int] = 1,
        padding: int | str = 0,
        rng: np.random.Generator | None = None,
        dtype: np.dtype | type = np.float32,
        initializer: str = "glorot_uniform",
        name: str = "conv",
    ) -> None:
        for what, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not _whole(value):
                raise ValueError(f"{what} must be a positive integer, got {value!r}")
        self.kernel = _positive_pair(kernel_size, "kernel_size")
        self.stride = _positive_pair(stride, "stride")
        if padding != "same" and not (padding == 0 or _whole(padding)):
            raise ValueError(f'padding must be an integer ≥ 0 or "same", got {padding!r}')
        self.padding = padding if padding == "same" else int(padding)
        kh, kw = self.kernel
        shape = (int(out_channels), int(in_channels), kh, kw)
        init = get_initializer(initializer)
        rng = rng if rng is not None else np.random.default_rng(0)
        weights = init(in_channels * kh * kw, out_channels * kh * kw, rng, dtype, shape=shape)
        self.weights = Parameter(f"{name}.W", weights)
        self.bias = Parameter(f"{name}.b", np.zeros(out_channels, dtype=dtype), regularize=False)
        self.name = name
        self.input_grad = True
        self._cache: tuple | None = None

    @property
    def in_channels(self) -> int:
        return self.weights.value.shape[1]

    @property
    def out_channels(self) -> int:
        return self.weights.value.shape[0]

    @classmethod
    def parameter_count(cls, config: dict) -> int:
        """O·C·kh·kw weights plus O biases, read from a `config()` record without building; at
        most `MODEL_UNITS` channels in and out, as a Dense layer has at most that many units."""
        channels = [config[key] for key in ("in_channels", "out_channels")]
        if not all(_whole(c) for c in channels):
            raise ValueError(f"channels must be positive integers, got {channels}")
        if max(channels) > MODEL_UNITS:
            raise ValueError(
                f"{max(channels):,} channels; a Conv2D layer has at most {MODEL_UNITS:,}"
            )
        kh, kw = _positive_pair(config["kernel_size"], "kernel_size")
        return channels[1] * channels[0] * kh * kw + channels[1]

    def _pads(self, height: int, width: int) -> tuple[int, int, int, int]:
        """(top, bottom, left, right) zeros for an input of this height and width."""
        if self.padding != "same":
            p = self.padding
            return p, p, p, p
        pads = []
        for size, k, s in zip((height, width), self.kernel, self.stride, strict=True):
            total = max((math.ceil(size / s) - 1) * s + k - size, 0)
            pads += [total // 2, total - total // 2]
        return tuple(pads)  # type: ignore[return-value]

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, int, int]:
        """`(out_channels, OH, OW)` for one input image `(in_channels, H, W)`.

        OH = ⌊(H + pad_top + pad_bottom − kh) / s⌋ + 1, and the same for the width.
        """
        channels, height, width = _image_shape(self, tuple(shape))
        if channels != self.in_channels:
            raise ValueError(f"{self!r} needs {self.in_channels} input channels, got {channels}")
        top, bottom, left, right = self._pads(height, width)
        padded = (height + top + bottom, width + left + right)
        if padded[0] < self.kernel[0] or padded[1] < self.kernel[1]:
            raise ValueError(
                f"{self!r}: the {self.kernel[0]}×{self.kernel[1]} kernel is larger than the "
                f"{padded[0]}×{padded[1]} padded image"
            )
        out = [(p - k) // s + 1 for p, k, s in zip(padded, self.kernel, self.stride, strict=True)]
        return self.out_channels, out[0], out[1]

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        _check_batch(self, x)
        channels, height, width = self.output_shape(x.shape[1:])
        padded = self._pad(x)
        windows = self._windows(padded)
        w2 = self.weights.value.reshape(channels, -1)
        out = np.empty((channels, height, width * len(x)), dtype=w2.dtype)
        for top, bottom in self._row_blocks(height, width * len(x), BLOCK_BYTES):
            block = out[:, top:bottom].reshape(channels, -1)  # a view: rows are contiguous
            np.matmul(w2, self._im2col(windows, top, bottom), out=block)
        out += self.bias.value[:, None, None]
        self._cache = (x.shape, padded)
        return out.reshape(channels, height, width, len(x)).transpose(3, 0, 1, 2)

    def backward(self, grad_output: np.ndarray) -> np.ndarray | None:
        x_shape, padded = self._cache
        out_channels, height, width = grad_output.shape[1:]
        # (O, OH, OW·N): a free view when dY has the batch-last layout this layer hands out
        grad = np.ascontiguousarray(grad_output.transpose(1, 2, 3, 0))
        grad = grad.reshape(out_channels, height, -1)
        w2 = self.weights.value.reshape(out_channels, -1)
        grad_w2t = np.zeros(w2.shape[::-1], dtype=w2.dtype)
        windows = self._windows(padded)
        for top, bottom in self._row_blocks(height, grad.shape[2], BLOCK_BYTES):
            cols = self._im2col(windows, top, bottom)  # recomputed: cheaper than keeping it
            block = grad[:, top:bottom].reshape(out_channels, -1)
            grad_w2t += cols @ block.T  # dW₂ᵀ = cols dY₂ᵀ: BLAS runs the long sum faster
        self.weights.grad += grad_w2t.T.reshape(self.weights.value.shape)
        self.bias.grad += np.add.reduce(grad.reshape(out_channels, -1), axis=1)
        if not self.input_grad:
            return None
        grad_padded = np.zeros_like(padded)
        # col2im costs kh·kw NumPy calls per block, whatever its size: few, large blocks
        for top, bottom in self._row_blocks(height, grad.shape[2], COL2IM_BYTES):
            block = grad[:, top:bottom].reshape(out_channels, -1)
            self._col2im(w2.T @ block, grad_padded, top, bottom)  # dcols = W₂ᵀ dY₂
        _, _, h, w = x_shape
        top, _, left, _ = self._pads(h, w)
        return grad_padded[:, top : top + h, left : left + w].transpose(3, 0, 1, 2)

    def _row_blocks(self, height: int, row_size: int, budget: int):
        """(top, bottom) output rows per block, so one block's patches take ≤ `budget` bytes."""
        patch_row = self.weights.value[0].size * row_size * self.weights.value.itemsize
        step = max(1, budget // patch_row)
        for top in range(0, height, step):
            yield top, min(top + step, height)

    def _pad(self, x: np.ndarray) -> np.ndarray:
        """The input as batch-last `(C, H + pads, W + pads, N)` in the weights' dtype."""
        top, bottom, left, right = self._pads(*x.shape[2:])
        x = x.transpose(1, 2, 3, 0)
        if not (top or bottom or left or right):
            return np.ascontiguousarray(x, dtype=self.weights.value.dtype)
        c, h, w, n = x.shape
        padded = np.zeros((c, h + top + bottom, w + left + right, n), self.weights.value.dtype)
        padded[:, top : top + h, left : left + w] = x
        return padded

    def _windows(self, padded: np.ndarray) -> np.ndarray:
        """Every patch, as a view: `(C, OH, OW, N, kh, kw)` (no copy yet)."""
        windows = sliding_window_view(padded, self.kernel, axis=(1, 2))
        return windows[:, :: self.stride[0], :: self.stride[1]]

    @staticmethod
    def _im2col(windows: np.ndarray, top: int, bottom: int) -> np.ndarray:
        """`(C·kh·kw, rows·OW·N)` patches for output rows top…bottom − 1, in one copy."""
        c, _, ow, n, kh, kw = windows.shape
        cols = np.ascontiguousarray(windows[:, top:bottom].transpose(0, 4, 5, 1, 2, 3))
        return cols.reshape(c * kh * kw, (bottom - top) * ow * n)

    def _col2im(self, grad_cols: np.ndarray, grad_padded: np.ndarray, top: int, bottom: int):
        """Add each patch's gradient back where the patch was read (output rows top…bottom−1)."""
        (kh, kw), (sh, sw) = self.kernel, self.stride
        channels, _, width, batch = grad_padded.shape
        ow = (width - kw) // sw + 1
        grad = grad_cols.reshape(channels, kh, kw, bottom - top, ow, batch)
        for i in range(kh):
            rows = slice(top * sh + i, (bottom - 1) * sh + i + 1, sh)
            for j in range(kw):
                grad_padded[:, rows, j : j + sw * (ow - 1) + 1 : sw] += grad[:, i, j]

    def parameters(self) -> list[Parameter]:
        return [self.weights, self.bias]

    def config(self) -> dict:
        kernel = self.kernel[0] if self.kernel[0] == self.kernel[1] else list(self.kernel)
        stride = self.stride[0] if self.stride[0] == self.stride[1] else list(self.stride)
        return {
            "type": "Conv2D",
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": kernel,
            "stride": stride,
            "padding": self.padding,
            "name": self.name,
        }

    def __repr__(self) -> str:
        (kh, kw), (sh, sw) = self.kernel, self.stride
        extra = "" if sh == sw == 1 else f", stride {sh}" if sh == sw else f", stride {sh}×{sw}"
        extra += f", pad {self.padding}" if self.padding else ""
        return f"Conv2D({self.in_channels} → {self.out_channels}, {kh}×{kw}{extra})"


class MaxPool2D(Layer):
    """The largest value of each `size × size` window, per channel, stepping by `stride`.

    It halves the resolution (size 2) and lets a feature count wherever it sits in the window.
    Backward sends each output's gradient to the one input that won (the first, on ties):

        dX[n, c, s·y + i, s·x + j] += dY[n, c, y, x]   where (i, j) = argmax of the window

    Args:
        size: window height and width.
        stride: step between windows; `None` means `size` (windows side by side).
    """

    def __init__(self, size: int = 2, stride: int | None = None) -> None:
        for what, value in (("size", size), ("stride", stride if stride is not None else 1)):
            if not _whole(value):
                raise ValueError(f"pool {what} must be a positive integer, got {value!r}")
        self.size = int(size)
        self.stride = int(stride) if stride is not None else self.size
        self._cache: tuple | None = None

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, int, int]:
        """`(C, ⌊(H − size) / stride⌋ + 1, …)`; rows and columns left over are dropped."""
        channels, height, width = _image_shape(self, tuple(shape))
        if height < self.size or width < self.size:
            raise ValueError(
                f"{self!r} needs images of at least {self.size}×{self.size}, got {height}×{width}"
            )
        return channels, *((side - self.size) // self.stride + 1 for side in (height, width))

    def _offsets(self, x: np.ndarray, out_hw: tuple[int, int]):
        """(index, view) for each window offset: the strided view of x at that offset."""
        s, (oh, ow) = self.stride, out_hw
        for i in range(self.size):
            for j in range(self.size):
                yield (
                    i * self.size + j,
                    x[:, :, i : i + s * (oh - 1) + 1 : s, j : j + s * (ow - 1) + 1 : s],
                )

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        _check_batch(self, x)
        _, height, width = self.output_shape(x.shape[1:])
        offsets = self._offsets(x, (height, width))
        _, first = next(offsets)
        best = first.copy(order="K")  # keeps the input's memory order (batch-last from Conv2D)
        winner = np.zeros_like(best, dtype=np.uint8 if self.size**2 <= 256 else np.intp)
        for index, view in offsets:
            better = view > best
            np.maximum(best, view, out=best)
            winner += better * (winner.dtype.type(index) - winner)  # a select, 4× np.where's speed
        self._cache = (x, winner)
        return best

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        x, winner = self._cache
        grad_y = np.empty_like(winner, dtype=grad_output.dtype)
        grad_y[...] = grad_output  # into the forward's memory order: mixed orders are slow
        height, width = winner.shape[2:]
        tiled = self.stride == self.size and x.shape[2:] == (height * self.size, width * self.size)
        grad = np.empty_like(x) if tiled else np.zeros_like(x)  # tiled: every pixel is written
        for index, view in self._offsets(grad, (height, width)):
            if self.stride >= self.size:  # windows do not overlap: each input has one window
                np.multiply(grad_y, winner == index, out=view)
            else:
                view += grad_y * (winner == index)
        return grad

    def config(self) -> dict:
        return {"type": "MaxPool2D", "size": self.size, "stride": self.stride}

    def __repr__(self) -> str:
        extra = "" if self.stride == self.size else f", stride {self.stride}"
        return f"MaxPool2D({self.size}{extra})"
