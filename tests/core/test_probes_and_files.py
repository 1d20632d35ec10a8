import io
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from nnviz import ModelFileError, build_mlp, load_model, save_model
from nnviz.core import (
    dead_unit_fraction,
    decision_grid,
    get_loss,
    gradient_norms,
    hidden_activations,
    layer_outputs,
    layer_stats,
    model_bytes,
)


@pytest.fixture
def model():
    return build_mlp([2, 5, 3, 3], ["relu", "tanh"], rng=np.random.default_rng(0))


def test_decision_grid_is_the_model_on_a_grid(model):
    grid = decision_grid(model, (-1, 1, -2, 2), resolution=7)
    assert grid.values.shape == (7, 7, 3)
    np.testing.assert_allclose(grid.values.sum(axis=2), 1.0)
    i, j = 2, 5
    point = np.array([[grid.xs[j], grid.ys[i]]])
    np.testing.assert_allclose(grid.values[i, j], model.predict_proba(point)[0])


def test_decision_grid_applies_the_transform(model):
    grid = decision_grid(model, (0, 1, 0, 1), 4, transform=lambda p: p * 10)
    expected = model.predict_proba(np.array([[grid.xs[1] * 10, grid.ys[3] * 10]]))[0]
    np.testing.assert_allclose(grid.values[3, 1], expected)


def test_layer_outputs_and_hidden_activations(model):
    x = np.random.default_rng(1).standard_normal((4, 2))
    outputs = layer_outputs(model, x)
    assert [o.values.shape for o in outputs] == [(4, 5), (4, 5), (4, 3), (4, 3), (4, 3)]
    np.testing.assert_allclose(outputs[-1].values, model.forward(x))
    hidden = hidden_activations(model, x)
    assert [h.shape for h in hidden] == [(4, 5), (4, 3)]
    assert (hidden[0] >= 0).all() and (np.abs(hidden[1]) < 1).all()


def test_dead_relu_units_are_counted(model):
    model.dense_layers[0].weights.value[:, :2] = 0
    model.dense_layers[0].bias.value[:2] = -1.0  # units 0 and 1 are off for every input
    x = np.random.default_rng(2).standard_normal((50, 2))
    assert dead_unit_fraction(model, x) == [pytest.approx(2 / 5)]


def test_gradient_norms_follow_backward(model):
    x, y = np.ones((3, 2)), np.array([0, 1, 2])
    assert gradient_norms(model) == [0.0, 0.0, 0.0]
    loss = get_loss("categorical_crossentropy")
    model.backward(loss.gradient(y, model.forward(x)))
    norms = gradient_norms(model)
    assert all(n > 0 for n in norms[1:])
    stats = layer_stats(model)
    assert stats[0].weight_max == model.dense_layers[0].weights.value.max()


def test_model_file_round_trip(tmp_path, model):
    path = tmp_path / "m.npz"
    save_model(model, path, metadata={"trained": "test"})
    loaded = load_model(path)
    x = np.random.default_rng(3).standard_normal((5, 2))
    np.testing.assert_array_equal(loaded.forward(x), model.forward(x))
    assert repr(loaded) == repr(model)
    assert repr(load_model(model_bytes(model))) == repr(model)


def test_float32_models_keep_their_dtype(tmp_path):
    model = build_mlp([4, 3, 2], "relu", dtype=np.float32)
    loaded = load_model(io.BytesIO(model_bytes(model)))
    assert loaded.dtype == np.float32
    assert loaded.forward(np.ones((1, 4))).dtype == np.float32


def corrupt_copies(model, tmp_path):
    good = model_bytes(model)
    yield "truncated", good[: len(good) // 2], "truncated or damaged"
    yield "text", b"hello, not a model", "not an nnviz model"
    foreign = io.BytesIO()
    np.savez(foreign, weights=np.ones(3))
    yield "foreign npz", foreign.getvalue(), "not saved by nnviz"
    arrays = dict(np.load(io.BytesIO(good)))
    arrays["param_0"] = np.ones((3, 3))
    mismatched = io.BytesIO()
    np.savez(mismatched, **arrays)
    yield "mismatched", mismatched.getvalue(), r"L1.W: the file has shape \(3, 3\)"
    pickled = io.BytesIO()
    np.savez(pickled, architecture=np.array([{"format": "nnviz-model"}], dtype=object))
    yield "pickle", pickled.getvalue(), "not an nnviz model"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("architecture.npy", b"garbage")
    yield "bad member", buffer.getvalue(), "not an nnviz model"


def test_bad_model_files_raise_model_file_error(tmp_path, model):
    for label, content, message in corrupt_copies(model, tmp_path):
        path = tmp_path / f"{label}.npz"
        path.write_bytes(content)
        with pytest.raises(ModelFileError, match=message):
            load_model(path)
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "missing.npz")


def test_core_and_datasets_import_neither_streamlit_nor_plotly():
    code = (
        "import sys, nnviz.core, nnviz.datasets; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
