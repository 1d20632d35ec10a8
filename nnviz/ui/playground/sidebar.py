"""The Playground's sidebar: every control edits one field of a `RunConfig`.

A control group named in `config.hide` (a classroom link) is not drawn and keeps the
config's value. Data, inputs and network live here; training and sharing in `training.py`.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from nnviz.core import ACTIVATIONS, limits
from nnviz.datasets import DATASETS, FEATURES, DatasetError, from_csv
from nnviz.playground import CSV, HIDEABLE, MAX_LAYERS, MAX_UNITS, RANGES, TABLES, RunConfig
from nnviz.ui.playground.labels import DATASET_LABELS, INITIALIZER_LABELS, L2_RATES
from nnviz.ui.playground.state import UPLOAD, K, Upload
from nnviz.ui.playground.training import share_controls, training_controls
from nnviz.ui.widgets import guarded, ladder, plain, seeded


@guarded("the sidebar", K, lambda config: config)
def playground_controls(config: RunConfig) -> RunConfig:
    """Draw the sidebar and return the config it describes."""
    show = {name: name not in config.hide for name in HIDEABLE}
    show["data"] |= config.dataset == CSV  # an upload cannot come through a link
    sections = (
        ("data", data_controls),
        ("features", input_controls),
        ("network", network_controls),
        ("regularization", regularization_controls),
    )
    with st.sidebar:
        if config.hide:
            st.caption(":material/school: Some settings are fixed by your teacher's link.")
        for group, controls in sections:
            if show[group]:
                config = replace(config, **controls(config))
        config = replace(config, **training_controls(config, show))
        if not config.hide:
            share_controls(config)
    return config


def data_controls(config: RunConfig) -> dict:
    st.subheader("Data")
    dataset = st.selectbox(
        "Dataset",
        [*DATASETS, CSV],
        format_func=lambda name: DATASET_LABELS.get(name, name),
        key=seeded(K("dataset"), config.dataset),
        help="The points the network learns to tell apart. Orange and blue are the two "
        "classes (more colours, more classes).",
    )
    if dataset == CSV:
        csv_upload()
    drawn = dataset not in (*TABLES, CSV)  # the generators take a size and a noise level
    n = st.slider(
        "Samples",
        *RANGES["n_samples"],
        step=10,
        disabled=not drawn,
        key=seeded(K("n_samples"), config.n_samples),
        help="How many points to draw. More points show the shape better; an epoch takes longer.",
    )
    noise = st.slider(
        "Noise",
        *RANGES["noise"],
        step=0.05,
        disabled=not drawn,
        key=seeded(K("noise"), config.noise),
        help="How far the points scatter from the clean shape. A good network ignores the "
        "stray ones instead of chasing them.",
    )
    test = st.slider(
        "Held-out test share",
        *(round(100 * share) for share in RANGES["test_fraction"]),
        step=5,
        format="%d%%",
        disabled=dataset in TABLES,
        key=seeded(K("test"), round(config.test_fraction * 100)),
        help="Points kept aside and never trained on. If the test loss rises while the "
        "training loss falls, the network is memorising points instead of learning the shape.",
    )
    left, right = st.columns(2, vertical_alignment="bottom")
    seed = left.number_input(
        "Seed",
        *RANGES["seed"],
        key=seeded(K("seed"), config.seed),
        help="The same seed gives the same points and the same starting weights: share it to "
        "get exactly the run a classmate has.",
    )
    right.button(
        "New data",
        icon=":material/casino:",
        key=K("reseed"),
        on_click=_reseed,
        help="Draw new points and new initial weights (the next seed)",
    )
    return {
        "dataset": dataset,
        "n_samples": n,
        "noise": noise,
        "test_fraction": test / 100,
        "seed": int(seed),
    }


def _reseed() -> None:
    st.session_state[K("seed")] = int(st.session_state.get(K("seed"), 0)) + 1


def csv_upload() -> None:
    """The CSV uploader; the parsed dataset, or the reason it cannot be used, goes to `UPLOAD`."""
    file = st.file_uploader(
        "CSV with columns x1, x2, label",
        type=["csv"],
        key=K("csv"),
        max_upload_size=limits.CSV_BYTES // limits.MB,
        help="A header row, then one point per row. Integer labels are classes; "
        f"any other number makes a regression target. {limits.describe('csv').capitalize()}.",
    )
    if file is None:
        UPLOAD.set(None)
        return
    upload = UPLOAD.get()
    if upload is None or upload.file_id != file.file_id:
        try:
            upload = Upload(file.file_id, from_csv(file), None)
        except DatasetError as err:
            upload = Upload(file.file_id, None, str(err))
        UPLOAD.set(upload)
    if upload.error:
        st.error(
            f"Could not use **{plain(file.name)}**: {plain(upload.error, 400)}",
            icon=":material/error:",
        )


def input_controls(config: RunConfig) -> dict:
    st.subheader("Inputs")
    standardize = st.toggle(
        "Standardize (mean 0, variance 1)",
        key=seeded(K("standardize"), config.standardize),
        help="Shift and scale every input to mean 0 and spread 1. Inputs on one scale make "
        "learning faster and steadier.",
    )
    picked = st.pills(
        "Features the network sees",
        FEATURES,
        selection_mode="multi",
        key=seeded(K("features"), list(config.features)),
        help="What the first layer receives. x1 and x2 are the coordinates; squares, products "
        "and sines are ready-made features that make some shapes easy even without hidden "
        "layers.",
    )
    if not picked:
        st.warning("Choose at least one feature; keeping the previous ones.")
        picked = config.features
    return {"standardize": standardize, "features": tuple(f for f in FEATURES if f in picked)}


def network_controls(config: RunConfig) -> dict:
    st.subheader("Network")
    depth = st.number_input(
        "Hidden layers",
        0,
        MAX_LAYERS,
        key=seeded(K("layers"), len(config.hidden)),
        help="Layers of neurons between the inputs and the output. With 0 the network is a "
        "single neuron and can only draw a straight line.",
    )
    units, activations = [], []
    for i in range(int(depth)):
        old = i < len(config.hidden)  # a new layer starts as a copy of the one before
        size = config.hidden[i] if old else (units or [4])[-1]
        act = config.activations[i] if old else (activations or ["tanh"])[-1]
        left, right = st.columns([1, 1.3])
        units.append(
            left.number_input(
                f"Layer {i + 1} neurons",
                1,
                MAX_UNITS,
                key=seeded(K(f"units.{i}"), size),
                help="Each neuron computes g(w·input + b): one bend in the picture. More "
                "neurons, more bends.",
            )
        )
        activations.append(
            right.selectbox(
                f"Layer {i + 1} activation",
                list(ACTIVATIONS),
                key=seeded(K(f"act.{i}"), act),
                help="g, the bend after each weighted sum. With linear, many layers are no "
                "better than one.",
            )
        )
    init = st.selectbox(
        "Initial weights",
        ladder(INITIALIZER_LABELS, config.initializer),
        format_func=lambda name: INITIALIZER_LABELS.get(name, name),
        key=seeded(K("init"), config.initializer),
        help="How the random starting weights are drawn. Glorot suits tanh and sigmoid, He "
        "suits ReLU; ×0.01 and zeros show what goes wrong with a bad start.",
    )
    return {
        "hidden": tuple(map(int, units)),
        "activations": tuple(activations),
        "initializer": init,
    }


def regularization_controls(config: RunConfig) -> dict:
    left, right = st.columns(2)
    dropout = left.slider(
        "Dropout",
        *RANGES["dropout"],
        step=0.05,
        key=seeded(K("dropout"), config.dropout),
        help="At every training step, switch off this share of the hidden neurons at random, "
        "so none can rely on another. Fights memorising.",
    )
    l2 = right.select_slider(
        "L2",
        ladder(L2_RATES, config.l2),
        key=seeded(K("l2"), config.l2),
        help="A penalty (λ/2)·ΣW² on large weights: every step also shrinks the weights a "
        "little. Smoother boundaries, less memorising.",
    )
    return {"dropout": dropout, "l2": l2}
