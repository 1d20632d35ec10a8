"""Conv2D, MaxPool2D, Flatten, Reshape: gradients, a naive reference, shapes, errors, files."""

import io

import numpy as np
import pytest

import nnviz
from nnviz.core import (
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    Reshape,
    Sequential,
    Trainer,
    build_cnn,
    get_loss,
    get_optimizer,
    gradient_check,
    layer_outputs,
    load_model,
    numerical_gradient,
    save_model,
)
from nnviz.core import conv as conv_module
from nnviz.core.layers import chain_shapes
from nnviz.core.saliency import input_gradient
from nnviz.datasets import Dataset

RTOL = 1e-5

# (batch, in, out, height, width, kernel, stride, padding)
CONV_CASES = [
    (2, 2, 3, 6, 5, 3, 1, 0),
    (2, 3, 2, 7, 7, 3, 2, 1),
    (1, 2, 2, 5, 6, (2, 3), 1, "same"),
    (2, 1, 2, 6, 6, 4, 2, "same"),
    (3, 2, 1, 4, 4, 1, 1, 0),
    (1, 1, 2, 5, 5, 5, 1, 0),
    (2, 2, 2, 8, 7, 3, (2, 1), 2),
]


def random_conv_cases(count: int, seed: int = 11) -> list[tuple]:
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        padding = "same" if rng.random() < 0.3 else int(rng.integers(0, 3))
        h, w = (int(v) for v in rng.integers(k, k + 5, 2))
        cases.append(
            (int(rng.integers(1, 4)), *rng.integers(1, 4, 2).tolist(), h, w, k, s, padding)
        )
    return cases


def naive_conv(conv: Conv2D, x: np.ndarray) -> np.ndarray:
    """Y[n, o, y, x] = Σ_c,i,j W[o, c, i, j] · Xpad[n, c, s·y + i, s·x + j] + b[o], by loops."""
    w, b = conv.weights.value, conv.bias.value
    top, bottom, left, right = conv._pads(*x.shape[2:])
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    (kh, kw), (sh, sw) = conv.kernel, conv.stride
    _, oh, ow = conv.output_shape(x.shape[1:])
    y = np.zeros((len(x), w.shape[0], oh, ow))
    for n in range(len(x)):
        for o in range(w.shape[0]):
            for i in range(oh):
                for j in range(ow):
                    patch = xp[n, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
                    y[n, o, i, j] = np.sum(w[o] * patch) + b[o]
    return y


def naive_pool(pool: MaxPool2D, x: np.ndarray) -> np.ndarray:
    _, oh, ow = pool.output_shape(x.shape[1:])
    k, s = pool.size, pool.stride
    y = np.zeros((*x.shape[:2], oh, ow))
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = x[:, :, i * s : i * s + k, j * s : j * s + k].max(axis=(2, 3))
    return y


def make_conv(case, rng, dtype=np.float64) -> tuple[Conv2D, np.ndarray]:
    batch, c_in, c_out, h, w, kernel, stride, padding = case
    conv = Conv2D(c_in, c_out, kernel, stride=stride, padding=padding, rng=rng, dtype=dtype)
    conv.bias.value[:] = rng.standard_normal(c_out)
    return conv, rng.standard_normal((batch, c_in, h, w)).astype(dtype)


def check_layer_gradients(layer, x, rng):
    """Input and parameter gradients of L = Σ upstream ⊙ layer(x) against central differences."""
    upstream = rng.standard_normal(layer.forward(x, training=True).shape)

    def read_out():
        return float(np.sum(upstream * layer.forward(x, training=True)))

    for p in layer.parameters():
        p.zero_grad()
    layer.forward(x, training=True)
    grad_x = layer.backward(upstream)
    np.testing.assert_allclose(grad_x, numerical_gradient(read_out, x), rtol=RTOL, atol=1e-8)
    for p in layer.parameters():
        np.testing.assert_allclose(
            p.grad, numerical_gradient(read_out, p.value), rtol=RTOL, atol=1e-8, err_msg=p.name
        )


@pytest.mark.parametrize("case", CONV_CASES + random_conv_cases(6))
def test_conv_forward_matches_loops_and_gradients_match_finite_differences(case):
    rng = np.random.default_rng(1)
    conv, x = make_conv(case, rng)
    y = conv.forward(x)
    assert y.shape == (len(x), *conv.output_shape(x.shape[1:]))
    np.testing.assert_allclose(y, naive_conv(conv, x), rtol=1e-12, atol=1e-12)
    check_layer_gradients(conv, x, rng)


@pytest.mark.parametrize("case", [CONV_CASES[1], CONV_CASES[3], (3, 2, 3, 9, 8, 3, 1, "same")])
def test_conv_in_row_blocks_matches_one_block(case, monkeypatch):
    """The patches are unrolled a few output rows at a time; one row per block changes nothing."""
    rng = np.random.default_rng(12)
    conv, x = make_conv(case, rng)
    upstream = rng.standard_normal(conv.forward(x).shape)
    whole = conv.forward(x, training=True), conv.backward(upstream), conv.weights.grad.copy()
    monkeypatch.setattr(conv_module, "BLOCK_BYTES", 1)
    monkeypatch.setattr(conv_module, "COL2IM_BYTES", 1)
    conv.weights.zero_grad()
    rows = conv.forward(x, training=True), conv.backward(upstream), conv.weights.grad
    for a, b in zip(whole, rows, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_conv_same_padding_keeps_the_size_and_float32_stays_float32():
    rng = np.random.default_rng(2)
    conv, x = make_conv((3, 2, 4, 9, 7, 4, 1, "same"), rng, np.float32)
    y = conv.forward(x, training=True)
    assert y.shape == (3, 4, 9, 7) and y.dtype == np.float32
    np.testing.assert_allclose(y, naive_conv(conv, x.astype(np.float64)), rtol=1e-5, atol=1e-5)
    grad_x = conv.backward(np.ones_like(y))
    assert grad_x.dtype == conv.weights.grad.dtype == np.float32
    assert Conv2D(1, 1, 3, stride=2, padding="same").output_shape((1, 9, 8)) == (1, 5, 4)
    assert Conv2D(1, 1, 4, padding="same")._pads(6, 6) == (1, 2, 1, 2)  # odd pixel: bottom, right
    assert conv.forward(x.astype(np.float64)).dtype == np.float32


def test_conv_gradients_accumulate_and_first_layer_skips_input_gradient():
    rng = np.random.default_rng(3)
    conv, x = make_conv(CONV_CASES[0], rng)
    upstream = rng.standard_normal(conv.forward(x).shape)
    conv.backward(upstream)
    once = conv.weights.grad.copy()
    conv.input_grad = False
    assert conv.backward(upstream) is None
    np.testing.assert_allclose(conv.weights.grad, 2 * once)


def test_conv_initializer_scales_by_kernel_fan_in():
    conv = Conv2D(16, 64, 5, initializer="he_normal", rng=np.random.default_rng(4))
    assert conv.weights.value.shape == (64, 16, 5, 5)
    assert conv.weights.value.std() == pytest.approx(np.sqrt(2 / (16 * 25)), rel=0.05)
    assert [p.name for p in conv.parameters()] == ["conv.W", "conv.b"]
    assert conv.parameters()[0].regularize and not conv.parameters()[1].regularize


@pytest.mark.parametrize(
    ("size", "stride", "shape"),
    [(2, None, (2, 3, 6, 8)), (3, 2, (1, 2, 7, 7)), (2, 3, (2, 2, 8, 7)), (3, None, (2, 1, 7, 8))],
)
def test_max_pool_forward_and_gradient(size, stride, shape):
    rng = np.random.default_rng(5)
    pool = MaxPool2D(size, stride)
    x = rng.permutation(np.prod(shape)).reshape(shape) / 7.0  # distinct values: no ties
    np.testing.assert_array_equal(pool.forward(x), naive_pool(pool, x))
    check_layer_gradients(pool, x, rng)


def test_max_pool_sends_a_tied_window_gradient_to_its_first_element_only():
    pool = MaxPool2D(2)
    pool.forward(np.zeros((1, 1, 2, 4)))
    grad = pool.backward(np.ones((1, 1, 1, 2)))
    np.testing.assert_array_equal(grad[0, 0], [[1, 0, 1, 0], [0, 0, 0, 0]])


def test_max_pool_keeps_the_memory_order_of_a_conv_output():
    rng = np.random.default_rng(6)
    conv, x = make_conv((4, 1, 3, 8, 8, 3, 1, 1), rng, np.float32)
    pool = MaxPool2D(2)
    y = pool.forward(conv.forward(x, training=True), training=True)
    np.testing.assert_array_equal(y, naive_pool(pool, conv.forward(x)))
    upstream = np.ascontiguousarray(rng.standard_normal(y.shape).astype(np.float32))
    grad = conv.backward(pool.backward(upstream))
    assert grad.shape == x.shape


def test_flatten_and_reshape_move_values_not_change_them():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 12))
    reshape, flatten = Reshape((3, 2, 2)), Flatten()
    images = reshape.forward(x)
    assert images.shape == (3, 3, 2, 2) and reshape.output_shape((12,)) == (3, 2, 2)
    np.testing.assert_array_equal(flatten.forward(images), x)
    assert flatten.output_shape((3, 2, 2)) == (12,)
    check_layer_gradients(reshape, x, rng)
    check_layer_gradients(flatten, images, rng)


def test_the_package_offers_the_cnn_beside_the_mlp():
    model = nnviz.build_cnn((1, 8, 8), filters=(2,), kernel_size=3, hidden=(), classes=3)
    kinds = [type(layer) for layer in model.layers]
    assert kinds[0] is nnviz.Reshape and nnviz.Conv2D in kinds and nnviz.MaxPool2D in kinds
    assert nnviz.Flatten in kinds
    assert model.forward(np.zeros((4, 64), np.float32)).shape == (4, 3)


def test_output_shapes_chain_through_the_bench_net():
    model = build_cnn()
    shapes = chain_shapes(model.layers)
    changes = [b for a, b in zip(shapes, shapes[1:], strict=False) if b != a]
    assert shapes[0] == (784,) and changes[:6] == [
        (1, 28, 28),
        (8, 24, 24),
        (8, 12, 12),
        (16, 8, 8),
        (16, 4, 4),
        (256,),
    ]
    x = np.random.default_rng(8).random((2, 784), dtype=np.float32)
    assert [o.values.shape for o in layer_outputs(model, x)][1:4] == [
        (2, 8, 24, 24),
        (2, 8, 24, 24),
        (2, 8, 12, 12),
    ]
    assert model.forward(x).shape == (2, 10) and model.forward(x).dtype == np.float32
    assert model.sizes == [784, 128, 10]
    assert model.layers[0].input_shape() == (784,)
    for layer in model.layers:
        if isinstance(layer, Conv2D):
            count = type(layer).parameter_count(layer.config())
            assert count == sum(p.value.size for p in layer.parameters())
    assert model.n_parameters == 8 * 25 + 8 + 16 * 200 + 16 + 256 * 128 + 128 + 1290


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Conv2D(0, 4, 3), "in_channels"),
        (lambda: Conv2D(1, -2, 3), "out_channels"),
        (lambda: Conv2D(1, 4, 0), "kernel_size"),
        (lambda: Conv2D(1, 4, (3, 3, 3)), "kernel_size"),
        (lambda: Conv2D(1, 4, 3, stride=0), "stride"),
        (lambda: Conv2D(1, 4, True), "kernel_size"),
        (
            lambda: Conv2D.parameter_count({"in_channels": 1, "out_channels": 0, "kernel_size": 3}),
            "channels",
        ),
        (lambda: Conv2D(1, 4, 3, padding=-1), "padding"),
        (lambda: Conv2D(1, 4, 3, padding="valid"), "padding"),
        (lambda: Conv2D(1, 4, 3, initializer="nope"), "initializer"),
        (lambda: MaxPool2D(0), "size"),
        (lambda: MaxPool2D(2, stride=0), "stride"),
        (lambda: Reshape((1, 0, 28)), "positive"),
        (lambda: Reshape(()), "positive"),
        (lambda: build_cnn((1, 8, 8), filters=(4, 4, 4), kernel_size=3), "at least 2×2, got 1×1"),
        (lambda: build_cnn(filters=(4, 4), kernel_size=[3]), "kernel sizes"),
    ],
)
def test_bad_arguments_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    ("layer", "x", "message"),
    [
        (Conv2D(3, 4, 3), np.zeros((2, 1, 8, 8)), "3 input channels, got 1"),
        (Conv2D(1, 4, 5), np.zeros((2, 1, 3, 8)), "larger than the 3×8 padded image"),
        (Conv2D(1, 4, 3), np.zeros((2, 64)), "Reshape"),
        (MaxPool2D(4), np.zeros((1, 2, 3, 3)), "at least 4×4, got 3×3"),
        (MaxPool2D(2), np.zeros((1, 9)), "batch of images"),
        (Reshape((1, 28, 28)), np.zeros((2, 100)), "784 values per sample, got 100"),
        (Flatten(), np.zeros(5), "batch"),
    ],
)
def test_inputs_that_do_not_fit_raise_clear_errors(layer, x, message):
    with pytest.raises(ValueError, match=message):
        layer.forward(x)
    if x.ndim > 1:
        with pytest.raises(ValueError, match=r"Conv2D|MaxPool2D|Reshape"):
            layer.output_shape(x.shape[1:])


def small_cnn(dtype=np.float64, rng=None) -> Sequential:
    return build_cnn(
        (2, 7, 6),
        filters=(3, 4),
        kernel_size=[3, 2],
        hidden=(5,),
        classes=3,
        padding="same",
        rng=rng if rng is not None else np.random.default_rng(9),
        dtype=dtype,
    )


def test_whole_cnn_gradient_and_input_saliency():
    rng = np.random.default_rng(10)
    model = small_cnn()
    for p in model.parameters():
        if not p.regularize:
            p.value[:] = rng.standard_normal(p.value.shape) * 0.1
    loss = get_loss("categorical_crossentropy")
    x, y = rng.standard_normal((4, 84)), rng.integers(0, 3, 4)
    for check in gradient_check(model, loss, x, y):
        assert check.max_relative_error < RTOL, check.name
    grads: list = []
    model.backward(loss.gradient(y, model.forward(x)), grads)
    assert grads[0] is None and grads[1] is not None  # no dX below the first weights
    rows = x[:2].copy()
    saliency = input_gradient(model, rows, 1)
    numeric = numerical_gradient(lambda: float(model.forward(rows)[:, 1].sum()), rows)
    np.testing.assert_allclose(saliency, numeric, rtol=RTOL, atol=1e-8)
    assert saliency.shape == (2, 84)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_model_file_round_trip(dtype):
    model = small_cnn(dtype)
    buffer = io.BytesIO()
    save_model(model, buffer, {"note": "cnn"})
    loaded = load_model(buffer.getvalue())
    assert [layer.config() for layer in loaded.layers] == [layer.config() for layer in model.layers]
    assert loaded.dtype == dtype and repr(loaded) == repr(model)
    x = np.random.default_rng(12).random((3, 84))
    np.testing.assert_array_equal(loaded.forward(x), model.forward(x))


def test_model_file_round_trip_with_strides_and_padding():
    rng = np.random.default_rng(13)
    model = Sequential(
        [
            Reshape((1, 9, 9)),
            Conv2D(1, 2, (3, 2), stride=(2, 1), padding=1, rng=rng, name="a"),
            MaxPool2D(3, stride=2),
            Flatten(),
            Dense(16, 3, rng=rng, dtype=np.float32),  # 9×9 → pad 11×11 → 5×10 → pool 2×4
        ],
        output="softmax",
    )
    buffer = io.BytesIO()
    save_model(model, buffer)
    loaded = load_model(buffer.getvalue())
    conv = loaded.layers[1]
    assert (conv.kernel, conv.stride, conv.padding) == ((3, 2), (2, 1), 1)
    x = rng.random((2, 81), dtype=np.float32)
    np.testing.assert_array_equal(loaded.forward(x), model.forward(x))


def bars(n: int, rng: np.random.Generator) -> Dataset:
    """8×8 images of one vertical (class 0) or horizontal (class 1) bar, anywhere, with noise."""
    labels = rng.integers(0, 2, n)
    images = rng.normal(0, 0.2, (n, 8, 8))
    where = rng.integers(0, 8, n)
    images[labels == 0, :, where[labels == 0]] += 1.0
    images[labels == 1, where[labels == 1], :] += 1.0
    return Dataset(images.reshape(n, 64).astype(np.float32), labels, "bars")


def test_tiny_cnn_learns_bars():
    rng = np.random.default_rng(14)
    train, test = bars(400, rng), bars(200, rng)
    model = build_cnn((1, 8, 8), filters=(4,), kernel_size=3, hidden=(8,), classes=2, rng=rng)
    loss = get_loss("categorical_crossentropy")
    trainer = Trainer(model, loss, get_optimizer("adam", learning_rate=0.01), train, 32, rng)
    before = trainer.evaluate(test).accuracy
    for _ in range(8):
        trainer.run_epoch()
    assert before < 0.8
    assert trainer.evaluate(test).accuracy >= 0.95
