"""The Train page's sidebar (the settings of an MNIST run) and its model files box."""

from __future__ import annotations

import streamlit as st

from nnviz.core import ACTIVATIONS, OPTIMIZERS, ModelFileError, limits, model_bytes
from nnviz.digits import MAX_HIDDEN_LAYERS, MnistConfig, MnistRun, read_digit_model
from nnviz.digits.mnist_run import MAX_CNN_BATCH, MAX_CONV_LAYERS
from nnviz.teaching import keras_digits_script
from nnviz.ui.digits.state import SESSION_MODEL, UPLOADED, SessionModel
from nnviz.ui.digits.state import TRAIN as K
from nnviz.ui.widgets import download, guarded, plain

TRAIN_SIZES = (1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000)
UNITS = (16, 32, 64, 128, 256, 512)
LEARNING_RATES = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
BATCH_SIZES = (16, 32, 64, 128, 256, 512, 1024)
KINDS = {"mlp": "MLP", "cnn": "CNN"}
FILTERS = (4, 8, 16, 32)


@guarded("the sidebar", K, MnistConfig)
def mnist_controls() -> MnistConfig:
    """Draw the sidebar; return the settings it shows."""
    d = MnistConfig()
    with st.sidebar:
        st.subheader("Data")
        size = st.select_slider(
            "Training images",
            TRAIN_SIZES,
            value=d.train_size,
            format_func=lambda n: f"{n:,}",
            key=K("size"),
            help="A random subset of the 60,000 (fixed by the seed). Every run is scored on "
            "all 10,000 test images.",
        )
        augment = st.toggle(
            "Augment (random tilt, shift, stroke width)",
            value=d.augment,
            key=K("augment"),
            help="Each batch is redrawn at random: slower to learn, better on freehand digits.",
        )
        st.subheader("Network")
        kind = st.segmented_control(
            "Kind",
            list(KINDS),
            default=d.kind,
            format_func=KINDS.get,
            key=K("kind"),
            required=True,
            help="A CNN slides small filters over the image first (slower per step, better "
            "at reading drawings); an MLP sees all 784 pixels at once.",
        )
        filters = d.filters
        if kind == "cnn":
            convs = st.number_input(
                "Conv layers (5×5 filters, 2×2 pooling)",
                1,
                MAX_CONV_LAYERS,
                len(d.filters),
                key=K("convs"),
            )
            filters = tuple(
                st.select_slider(
                    f"Conv {i + 1} filters", FILTERS, value=d.filters[min(i, 1)], key=K(f"f.{i}")
                )
                for i in range(int(convs))
            )
        depth = st.number_input(
            "Hidden layers" if kind == "mlp" else "Dense layers after them",
            0,
            MAX_HIDDEN_LAYERS,
            len(d.hidden),
            key=K("depth"),
        )
        hidden = tuple(
            st.select_slider(f"Layer {i + 1} neurons", UNITS, value=128, key=K(f"units.{i}"))
            for i in range(int(depth))
        )
        activation = st.selectbox(
            "Activation",
            list(ACTIVATIONS),
            index=list(ACTIVATIONS).index(d.activation),
            key=K("activation"),
        )
        st.subheader("Training")
        optimizer = st.selectbox(
            "Optimizer",
            list(OPTIMIZERS),
            index=list(OPTIMIZERS).index(d.optimizer),
            key=K("optimizer"),
        )
        lr = st.select_slider(
            "Learning rate",
            LEARNING_RATES,
            value=d.learning_rate,
            key=K("lr"),
            format_func=lambda v: f"{v:g}",
        )
        sizes = BATCH_SIZES if kind == "mlp" else [b for b in BATCH_SIZES if b <= MAX_CNN_BATCH]
        if st.session_state.get(K("batch"), 0) > sizes[-1]:  # an MLP's batch, too big for a CNN
            st.session_state[K("batch")] = sizes[-1]
        batch = st.select_slider(
            "Batch size",
            sizes,
            value=d.batch_size,
            key=K("batch"),
            help=None
            if kind == "mlp"
            else f"A CNN takes at most {MAX_CNN_BATCH} per step, "
            "so each step stays short and Pause answers at once.",
        )
        left, right = st.columns(2)
        epochs = left.number_input("Epochs", 1, 50, d.epochs, key=K("epochs"))
        seed = right.number_input("Seed", 0, 999_999, d.seed, key=K("seed"))
    return MnistConfig(
        train_size=size,
        hidden=hidden,
        activation=activation,
        optimizer=optimizer,
        learning_rate=lr,
        batch_size=batch,
        epochs=int(epochs),
        augment=augment,
        seed=int(seed),
        kind=kind,
        filters=filters,
    )


@guarded("the model files", K)
def model_files(run: MnistRun | None) -> None:
    """Download the trained model as `.npz`; upload one (read as data, validated, never run)."""
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Download this network**")
        st.caption("An `.npz` file of arrays plus a JSON record of the architecture.")
        download(
            "Download model (.npz)",
            (lambda: model_bytes(run.model, run.metadata())) if run else b"",
            f"nnviz-mnist-{run.config.name.replace(' ', '-')}.npz" if run else "x.npz",
            K("download"),
            disabled=run is None or run.steps == 0,
        )
        st.caption("The same network and training setup as Keras code, to run elsewhere.")
        download(
            "Keras code (.py)",
            (lambda: _keras_code(run).encode()) if run else b"",
            f"nnviz-mnist-{run.config.kind}-keras.py" if run else "x.py",
            K("keras"),
            mime="text/x-python",
            disabled=run is None,
        )
    with right:
        file = st.file_uploader(
            "Upload a model file",
            type=["npz"],
            max_upload_size=limits.MODEL_BYTES // limits.MB,
            key=K("upload"),
            help="A model saved by nnviz: 784 inputs, 10 outputs, "
            f"{limits.describe('model')}. It becomes this session's model on the Draw page.",
        )
        if file is not None:
            _use_upload(file)


def _keras_code(run: MnistRun) -> str:
    c = run.config
    return keras_digits_script(
        run.model,
        name=c.name,
        optimizer=run.trainer.optimizer,
        batch_size=c.batch_size,
        epochs=c.epochs,
    )


def _use_upload(file) -> None:
    last = UPLOADED.get()
    if last is None or last[0] != file.file_id:
        try:
            model, metadata = read_digit_model(file.getvalue())
        except ModelFileError as err:
            last = (file.file_id, str(err))
        else:
            title = f"uploaded {plain(file.name)} ({plain(metadata.get('architecture') or model)})"
            SESSION_MODEL.set(SessionModel(model, title))
            last = (file.file_id, None)
        UPLOADED.set(last)
    if last[1] is not None:
        st.error(
            f"**{plain(file.name)}** cannot be used: {plain(last[1], 400)}", icon=":material/error:"
        )
    else:
        st.success(
            f"**{plain(file.name)}** is this session's model now: pick it on the Draw page.",
            icon=":material/check_circle:",
        )
