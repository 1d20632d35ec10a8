"""Model files, generated and mutated: a model that runs, or a ModelFileError."""

import io
import json

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from nnviz.core import ModelFileError, Sequential, build_mlp, limits, load_model, model_bytes
from tests.fuzz.crafted import model_file, record
from tests.fuzz.profile import FUZZ

GOOD = model_bytes(build_mlp([3, 4, 2], "relu", dropout=0.1))
_ARRAYS = dict(np.load(io.BytesIO(GOOD)))
GOOD_COMPRESSED = model_file(str(_ARRAYS.pop("architecture")), compressed=True, **_ARRAYS)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=20,
)
sizes = st.one_of(st.integers(-2, 12), st.sampled_from([10**9, True, 2.0, "3", None]))
layers = st.one_of(
    st.fixed_dictionaries(
        {"type": st.just("Dense"), "in_features": sizes, "out_features": sizes},
        optional={"name": json_values, "extra": json_values},
    ),
    st.fixed_dictionaries({"type": st.sampled_from(["relu", "tanh", "sigmoid", "linear"])}),
    st.fixed_dictionaries({"type": st.just("leaky_relu")}, optional={"alpha": json_values}),
    st.fixed_dictionaries({"type": st.just("Dropout"), "rate": json_values}),
    st.fixed_dictionaries({"type": json_values}),
    json_values,
)


@st.composite
def model_files(draw) -> bytes:
    configs = draw(st.lists(layers, min_size=0, max_size=6))
    arch = record(
        configs,
        dtype=draw(st.sampled_from(["float64", "float32", "int8", "object", "<U3", "?"])),
        output=draw(st.sampled_from(["softmax", "sigmoid", "linear", "other"])),
    )
    arrays = {}
    for i in range(draw(st.integers(0, 8))):
        shape = tuple(draw(st.lists(st.integers(0, 12), max_size=2)))
        dtype = draw(st.sampled_from([np.float64, np.float32, np.int32, np.bool_]))
        with np.errstate(invalid="ignore"):  # NaN → int is fine here: any content will do
            arrays[f"param_{i}"] = np.full(shape, draw(st.floats(width=32))).astype(dtype)
    return model_file(arch, compressed=draw(st.booleans()), **arrays)


@st.composite
def mutated(draw) -> bytes:
    content = bytearray(draw(st.sampled_from([GOOD, GOOD_COMPRESSED])))
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(content) - 1))
        content[i] = draw(st.integers(0, 255))
    cut = draw(st.integers(0, len(content)))
    return bytes(content[: cut if draw(st.booleans()) else len(content)])


def check(content: bytes) -> None:
    try:
        model = load_model(content)
    except ModelFileError:
        return
    assert isinstance(model, Sequential)
    assert len(model.layers) <= limits.MODEL_LAYERS
    assert model.n_parameters <= limits.MODEL_PARAMETERS
    x = np.ones((2, model.sizes[0]))
    out = model.predict_proba(x)
    assert out.shape[0] == 2


@FUZZ
@given(model_files())
def test_generated_model_files(content):
    check(content)


@FUZZ
@given(st.text(max_size=200) | json_values.map(json.dumps))
def test_any_architecture_text(text):
    check(model_file(text))


@FUZZ
@given(mutated())
def test_mutated_model_files(content):
    check(content)


@FUZZ
@given(st.binary(max_size=600).map(lambda b: b"PK" + b))
def test_random_bytes_after_a_zip_signature(content):
    check(content)
