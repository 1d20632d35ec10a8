"""Model files from strangers: every hostile file of issue 11 is a ModelFileError decided from
headers and the record, and a model whose layers do not chain is refused at load."""

import io
import json
import zipfile

import numpy as np
import pytest

from nnviz.core import Dense, Dropout, ModelFileError, build_mlp, limits, load_model, model_bytes
from nnviz.core.activations import ReLU, Tanh
from nnviz.core.layers import Layer, chain_shapes
from tests.fuzz import crafted
from tests.fuzz.crafted import dense, model_file, record


def refused(content, message: str) -> str:
    with pytest.raises(ModelFileError, match=message) as info:
        load_model(content)
    return str(info.value)


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path):
    bomb = crafted.zip_bomb(tmp_path / "bomb.npz", 2_000_000_000)
    assert bomb.stat().st_size < 3_000_000
    refused(bomb, "would unpack to 1,996 MB; a model unpacks to at most 64 MB")


def test_a_member_that_unpacks_to_more_than_it_declares_is_damaged():
    refused(crafted.lying_sizes(), "truncated or damaged .*Bad CRC")


def test_an_array_header_claiming_a_huge_shape_is_refused_before_reading():
    refused(crafted.huge_npy_header(), r"the file has shape \(1000000, 1000000\), the architecture")


def test_a_header_that_promises_more_data_than_the_member_holds():
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as z:
        z.writestr("architecture.npy", crafted.npy_header((), "<U1000000"))
    refused(content.getvalue(), "architecture record has 1,000,000 characters; at most 100,000")
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w") as z:
        z.writestr("architecture.npy", crafted.npy_header((), "<U100"))
    refused(content.getvalue(), "header promises 400 bytes of data, but the member holds 0")


@pytest.mark.parametrize("n_out", [400_000, 2_000_000, 10**9])
def test_a_record_declaring_a_huge_layer_is_refused_before_building(n_out):
    content = model_file(record([dense(784, n_out)]))
    assert len(content) < 2_000
    refused(content, f"layer 1 \\(Dense\\): {n_out:,} units; a Dense layer has at most 4,096")


@pytest.mark.parametrize("key", ["in_channels", "out_channels"])
def test_a_record_declaring_a_conv_with_too_many_channels_is_refused_before_building(key):
    conv = {"type": "Conv2D", "in_channels": 1, "out_channels": 8, "kernel_size": 1, "name": "c"}
    conv[key] = 1_000_000  # 1×1 kernels: two million parameters, under the model's cap
    content = model_file(record([{"type": "Reshape", "shape": [1, 28, 28]}, conv]))
    refused(content, "layer 2 \\(Conv2D\\): 1,000,000 channels; a Conv2D layer has at most 4,096")


def test_parameters_are_counted_from_the_record():
    refused(
        model_file(record([dense(784, 4096), dense(4096, 4096)])),
        "the model has 19,996,672 parameters; at most 4,000,000",
    )


def test_a_million_relu_layers_never_reach_the_parser():
    layers = [dense(784, 10)] + [{"type": "relu"}] * 1_000_000
    bomb = model_file(record(layers), compressed=True)
    assert len(bomb) < 300_000
    refused(bomb, "would unpack to 72 MB")
    refused(model_file(record(layers[:10_000])), "record has 180,162 characters; at most 100,000")
    refused(model_file(record(layers[:40])), "the model has 40 layers; at most 32")


def test_at_most_eight_layers_with_weights():
    layers = [dense(8, 8, f"L{i}") for i in range(9)]
    refused(model_file(record(layers)), "9 layers with weights; at most 8")


def test_deep_nesting_is_refused_before_parsing():
    refused(model_file("[" * 50_000 + "]" * 50_000), "nested 50000 levels deep; at most 20")
    deep_metadata = record([dense(2, 2)], metadata=json.loads("[" * 25 + "]" * 25))
    refused(model_file(deep_metadata), "nested 26 levels deep")


def test_brackets_inside_strings_do_not_count_as_nesting():
    model = build_mlp([2, 3, 2], "relu")
    arrays = {f"param_{i}": p.value for i, p in enumerate(model.parameters())}
    arch = record(
        [layer.config() for layer in model.layers],
        metadata={"note": "[[[[{{{{" * 20 + ' \\" ]]]]'},
    )
    loaded = load_model(model_file(arch, **arrays))
    assert repr(loaded) == repr(model)


def test_layers_that_do_not_chain_are_refused_naming_both():
    layers = [dense(784, 10, "L1"), {"type": "relu"}, dense(5, 10, "L2")]
    arrays = {"param_0": np.zeros((784, 10)), "param_1": np.zeros(10)}
    arrays |= {"param_2": np.zeros((5, 10)), "param_3": np.zeros(10)}
    message = refused(model_file(record(layers), **arrays), "do not fit together")
    assert "layer 3 Dense(5 → 10) does not fit after layer 1 Dense(784 → 10)" in message
    assert "takes 5 features per sample, got shape (10,)" in message


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ({"type": "Dense", "in_features": True, "out_features": 3}, "whole number"),
        ({"type": "Dense", "in_features": 2.5, "out_features": 3}, "whole number"),
        ({"type": "Dense", "in_features": 0, "out_features": 3}, "whole number"),
        ({"type": "Dense", "in_features": 2}, "'out_features' is missing"),
        ({"layer": "Dense"}, "layer 1 of the architecture record has no type"),
        ("Dense", "has no type"),
        ({"type": ["Dense"]}, "has no type"),
        ({"type": "Conv9D"}, "unknown layer type 'Conv9D'"),
    ],
)
def test_malformed_layer_configs_say_which_layer(layer, message):
    refused(model_file(record([layer])), message)


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"param_0": np.full((2, 1), np.nan), "param_1": np.zeros(1)}, "finite"),
        ({"param_0": np.ones((2, 1), np.int64), "param_1": np.zeros(1)}, "neither floats nor"),
        ({"param_0": np.zeros((2, 1), [("a", "f8")]), "param_1": np.zeros(1)}, "neither"),
        ({"param_0": np.array(["ab", "cd"]).reshape(2, 1), "param_1": np.zeros(1)}, "floats"),
        ({"param_0": np.zeros((2, 1))}, "holds 1 parameter arrays but its architecture needs 2"),
    ],
)
def test_parameter_arrays_must_be_finite_floats_of_the_right_count(arrays, message):
    refused(model_file(record([dense(2, 1)], output="sigmoid"), **arrays), message)


def test_archive_structure_is_checked_before_the_directory_is_parsed():
    refused(crafted.many_members(1000), "lists 1,000 members .* at most 64")
    refused(crafted.zip64_locator(), "zip64")
    duplicate = io.BytesIO()
    with zipfile.ZipFile(duplicate, "w") as z, pytest.warns(UserWarning, match="Duplicate"):
        z.writestr("architecture.npy", b"")
        z.writestr("architecture.npy", b"")
    refused(duplicate.getvalue(), "member 'architecture' appears twice")


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path, monkeypatch):
    content = model_bytes(build_mlp([2, 3, 1]))
    path = tmp_path / "m.npz"
    path.write_bytes(content)
    monkeypatch.setattr(limits, "MODEL_BYTES", len(content) - 1)
    refused(path, "a model file is at most")
    refused(io.BytesIO(content), "larger than")
    refused(content, "larger than")


def test_the_largest_allowed_model_loads():
    sizes = [784, 4096, 180, 10]
    model = build_mlp(sizes, "relu", dtype=np.float32)
    assert model.n_parameters <= limits.MODEL_PARAMETERS
    loaded = load_model(model_bytes(model))
    x = np.random.default_rng(0).random((2, 784))
    np.testing.assert_array_equal(loaded.forward(x), model.forward(x))


def test_output_shape_walks_every_kind_of_layer():
    assert Layer().output_shape((3, 4)) == (3, 4)
    assert ReLU().output_shape((7,)) == (7,) and Tanh().output_shape((2, 2)) == (2, 2)
    assert Dropout(0.5).output_shape((5,)) == (5,)
    assert Dense(4, 3).output_shape((4,)) == (3,)
    with pytest.raises(ValueError, match=r"Dense\(4 → 3\) takes 4 features per sample"):
        Dense(4, 3).output_shape((5,))
    layers = [ReLU(), Dense(4, 3), Tanh(), Dropout(0.1), Dense(3, 2)]
    assert chain_shapes(layers) == [(4,), (4,), (3,), (3,), (3,), (2,)]
    with pytest.raises(ValueError, match="no layer says what input it takes"):
        chain_shapes([ReLU()])


def test_parameter_count_is_read_from_the_config_alone():
    dense_layer = Dense(784, 10)
    assert Dense.parameter_count(dense_layer.config()) == dense_layer.weights.value.size + 10
    assert ReLU.parameter_count({"type": "relu"}) == 0
    assert Layer.parameter_count({}) == 0
