"""Training controls (all but the loss apply to a running network) and the share links."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from nnviz.core import OPTIMIZERS
from nnviz.playground import CSV, HIDEABLE, RANGES, RunConfig, train_size
from nnviz.ui.playground.labels import (
    HIDE_LABELS,
    LEARNING_RATES,
    LOSS_LABELS,
    OPTIMIZER_LABELS,
    SPEEDS,
)
from nnviz.ui.playground.state import K, uploaded_dataset
from nnviz.ui.widgets import ladder, seeded


def training_controls(config: RunConfig, show: dict[str, bool]) -> dict:
    """Loss, optimizer, learning rate, batch size, speed, stop conditions (those in `show`)."""
    st.subheader("Training")
    dataset = uploaded_dataset(config)
    values: dict[str, object] = {}
    if show["loss"]:
        task = dataset.task if dataset is not None else None
        regression = config.dataset == "regression" or task == "regression"
        values["loss"] = st.selectbox(
            "Loss",
            list(LOSS_LABELS),
            format_func=LOSS_LABELS.get,
            disabled=regression,
            key=seeded(K("loss"), config.loss),
            help="Regression always uses mean squared error."
            if regression
            else "How wrong the predictions are, as one number: training walks it downhill. "
            "Cross-entropy punishes confident mistakes hard; mean squared error is taken on the "
            "predicted probabilities.",
        )
    if show["optimizer"]:
        values["optimizer"] = st.selectbox(
            "Optimizer",
            list(OPTIMIZERS),
            format_func=lambda name: OPTIMIZER_LABELS.get(name, name),
            key=seeded(K("optimizer"), config.optimizer),
            help="How the gradient becomes a step. SGD: W ← W − α·dW. Momentum keeps some of "
            "the last step's speed; RMSprop and Adam give every weight its own step size.",
        )
    if show["learning_rate"]:
        values["learning_rate"] = st.select_slider(
            "Learning rate",
            ladder(LEARNING_RATES, config.learning_rate),
            format_func=lambda v: f"{v:g}",
            key=seeded(K("lr"), config.learning_rate),
            help="α, the size of each step downhill. Too small: slow. Too large: the loss "
            "jumps around or blows up.",
        )
    if show["batch_size"] and config.dataset == CSV and dataset is None:
        st.caption("Batch size: set it once the CSV is uploaded (1 … all its rows).")
    elif show["batch_size"]:
        largest = train_size(config, dataset)
        key = seeded(K("batch"), config.batch_size)
        st.session_state[key] = min(st.session_state[key], largest)
        values["batch_size"] = st.slider(
            f"Batch size (1 … all {largest})",
            1,
            max(largest, 2),
            key=key,
            help="1 is one sample per step; all of them is plain gradient descent.",
        )
    if show["speed"]:
        values |= _speed_controls(config)
    return values


def _speed_controls(config: RunConfig) -> dict:
    speed = st.select_slider(
        "Speed (steps per frame)",
        ladder(SPEEDS, config.steps_per_frame),
        key=seeded(K("speed"), config.steps_per_frame),
        help="Training steps between two pictures: higher trains faster, 1 shows every step.",
    )
    left, right = st.columns(2)
    epochs = left.number_input(
        "Stop after epochs",
        *RANGES["stop_epochs"],
        step=10,
        help="Pause by itself after this many passes over the training points (0: never).",
        key=seeded(K("stop_epochs"), config.stop_epochs),
    )
    loss = right.number_input(
        "Stop at train loss",
        *RANGES["stop_loss"],
        step=0.01,
        format="%.3f",
        help="Pause by itself once the training loss is this low (0: never).",
        key=seeded(K("stop_loss"), config.stop_loss),
    )
    return {"steps_per_frame": speed, "stop_epochs": int(epochs), "stop_loss": loss}


def share_controls(config: RunConfig) -> None:
    """Links that reproduce this run: one as it is, one that hides controls from students."""
    with st.expander("Share this run", icon=":material/share:"):
        base = st.context.url or ""
        st.caption("This link reproduces the run: same points, same start, same steps.")
        st.code(base + _query(config), language=None, wrap_lines=True)
        hide = st.multiselect(
            "Classroom link: hide these controls",
            list(HIDE_LABELS),
            format_func=HIDE_LABELS.get,
            key=K("share_hide"),
            help="Students who open the second link do not see these controls: they keep the "
            "values of this run.",
        )
        if hide:
            classroom = replace(config, hide=tuple(h for h in HIDEABLE if h in hide))
            st.code(base + _query(classroom), language=None, wrap_lines=True)


def _query(config: RunConfig) -> str:
    params = config.to_query()
    return "?" + urlencode(params) if params else ""
