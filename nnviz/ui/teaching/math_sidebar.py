"""The math page's network and its Step button: a small network of its own, or the Playground's.

A step here is `trace_step` on the run's trainer: an ordinary training step that keeps its
numbers. On the Playground's run it *is* the Playground's next step (train 500 steps there,
inspect step 501 here, and the Playground continues from 501).
"""

from __future__ import annotations

import streamlit as st

from nnviz.core import ACTIVATIONS, OPTIMIZERS, TrainingDiverged
from nnviz.core.trace import trace_step
from nnviz.playground import RANGES, Run, RunConfig, train_size
from nnviz.teaching.step_math import DEFAULT_NETWORK, batch_loss
from nnviz.ui.playground.labels import (
    DATASET_LABELS,
    INITIALIZER_LABELS,
    LEARNING_RATES,
    LOSS_LABELS,
    OPTIMIZER_LABELS,
)
from nnviz.ui.playground.state import RUN
from nnviz.ui.teaching.state import ERROR, INSPECTED, MATH_CONFIG, OWN_RUN, Inspection
from nnviz.ui.teaching.state import MATH as K
from nnviz.ui.widgets import Button, button, guarded, ladder, seeded

DATASETS = ("xor_table", "toy")
MAX_LAYERS, MAX_UNITS = 2, 4
SOURCES = {"own": "A small network of its own", "playground": "The Playground's run"}


@guarded("the sidebar", K, lambda: Run(DEFAULT_NETWORK))
def math_network() -> Run:
    """Draw the sidebar; return the run to step through."""
    playground = RUN.get()
    with st.sidebar:
        st.subheader("Network")
        if playground is None:
            st.caption("Train a network on the Playground to step through its run here.")
        options = ["own", "playground"] if playground is not None else ["own"]
        wanted = st.query_params.get("source", "own")
        source = (
            options[0]
            if len(options) == 1
            else st.radio(
                "Step through",
                options,
                format_func=SOURCES.get,
                key=seeded(K("source"), wanted if wanted in options else "own"),
                help="Train for a while on the Playground, then come here to see its next step "
                "with every number. A step taken here is a step of the Playground's run too.",
            )
        )
        if source == "playground" and playground is not None:
            st.caption(f"The Playground's network: {playground.trainer.model!r}")
            return playground
        config = own_controls(MATH_CONFIG.get())
    MATH_CONFIG.set(config)
    run = OWN_RUN.get()
    if run is None or run.config.needs_rebuild(config):
        run = Run(config)
        OWN_RUN.set(run)
    elif run.config != config:
        run.reconfigure(config)
    return run


def own_controls(config: RunConfig) -> RunConfig:
    """The small network's settings: data, layers of up to four units, the training step."""
    dataset = st.selectbox(
        "Data",
        DATASETS,
        format_func=DATASET_LABELS.get,
        key=seeded(K("dataset"), config.dataset),
        help="XOR: four points, the smallest problem a straight line cannot solve. Toy: eight "
        "points from Real Python's single-neuron tutorial.",
    )
    depth = st.number_input(
        "Hidden layers",
        0,
        MAX_LAYERS,
        key=seeded(K("layers"), len(config.hidden)),
        help="0 is a single neuron: the inputs go straight to the output.",
    )
    columns = st.columns(max(int(depth), 1))
    hidden = tuple(
        int(
            column.number_input(
                f"Layer {i + 1} units",
                1,
                MAX_UNITS,
                key=seeded(K(f"units.{i}"), (config.hidden + (3,) * 2)[i]),
                help="Neurons in this layer (up to 4, so every number fits on the screen).",
            )
        )
        for i, column in zip(range(int(depth)), columns, strict=False)
    )
    activation = st.selectbox(
        "Hidden activation",
        list(ACTIVATIONS),
        key=seeded(K("activation"), (config.activations or ("sigmoid",))[0]),
        disabled=not hidden,
        help="g in A = g(Z): the bend each hidden neuron puts on its weighted sum.",
    )
    initializer = st.selectbox(
        "Initial weights",
        list(INITIALIZER_LABELS),
        format_func=INITIALIZER_LABELS.get,
        key=seeded(K("init"), config.initializer),
        help="How the random starting weights are drawn. Try ×0.01 on XOR and watch the "
        "gradients of the first layer in the backward pass.",
    )
    st.subheader("Training step")
    loss = st.selectbox(
        "Loss",
        list(LOSS_LABELS),
        format_func=LOSS_LABELS.get,
        key=seeded(K("loss"), config.loss),
        help="How wrong the predictions are, as one number. Its gradient starts backprop.",
    )
    optimizer = st.selectbox(
        "Optimizer",
        list(OPTIMIZERS),
        format_func=OPTIMIZER_LABELS.get,
        key=seeded(K("optimizer"), config.optimizer),
        help="SGD is W ← W − α·dW. The others reshape each step; the Update tab shows it.",
    )
    learning_rate = st.select_slider(
        "Learning rate α",
        ladder(LEARNING_RATES, config.learning_rate),
        format_func=lambda v: f"{v:g}",
        key=seeded(K("lr"), config.learning_rate),
        help="How far each update moves the weights against the gradient.",
    )
    per_sample = st.toggle(
        "One sample per step",
        key=seeded(K("per_sample"), config.batch_size == 1),
        help="Off: every step uses all the points (gradient descent). On: one point per step, "
        "in a shuffled order (stochastic gradient descent, batch size 1).",
    )
    seed = st.number_input(
        "Seed",
        *RANGES["seed"],
        key=seeded(K("seed"), config.seed),
        help="Fixes the starting weights and the order of the samples: the same seed gives the "
        "same numbers every time.",
    )
    return RunConfig(
        dataset=dataset,
        hidden=hidden,
        activations=(activation,) * len(hidden),
        initializer=initializer,
        loss=loss,
        optimizer=optimizer,
        learning_rate=learning_rate,
        batch_size=1 if per_sample else train_size(RunConfig(dataset=dataset)),
        seed=int(seed),
    )


@guarded("the toolbar", K)
def math_toolbar(run: Run) -> None:
    """Step (traced), Train 100 steps (not traced), and Reset for the page's own network."""
    own = run is OWN_RUN.get()
    with st.container(horizontal=True, vertical_alignment="center", key=K.css("toolbar")):
        st.button(
            "Step",
            key=K("step"),
            type="primary",
            icon=":material/skip_next:",
            on_click=_step,
            args=(run,),
            shortcut="S",
            width=120,
            help="One forward pass, one backward pass and one update on the next batch, with "
            "every number kept.",
        )
        skip = "Jump ahead without showing the numbers; then Step to see step 101."
        button(Button("Train 100 steps", K("skip"), _skip, (run,), ":material/fast_forward:", skip))
        if own:
            reset = "Back to step 0: the same starting weights."
            button(Button("Reset", K("reset"), _reset, (), ":material/restart_alt:", reset))
    error = ERROR.get()
    if error:
        st.error(error, icon=":material/warning:")


def _step(run: Run) -> None:
    ERROR.set(None)
    try:
        trace = trace_step(run.trainer)
    except TrainingDiverged as err:
        ERROR.set(f"Training diverged. {err}")
        return
    x = trace.layers[0].a_prev
    after = batch_loss(run.trainer.model, run.trainer.loss, x, trace.y) + run.trainer.l2_penalty()
    run.record()
    INSPECTED.set(Inspection(run, trace, after))


def _skip(run: Run) -> None:
    ERROR.set(None)
    try:
        run.advance(100)
    except TrainingDiverged as err:
        ERROR.set(f"Training diverged. {err}")


def _reset() -> None:
    OWN_RUN.set(Run(MATH_CONFIG.get()))
    INSPECTED.set(None)
    ERROR.set(None)
