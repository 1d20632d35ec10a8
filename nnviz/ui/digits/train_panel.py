"""The Train page's live part: Train / Pause, the progress and curves, and what the net learned.

Training plays through `nnviz.ui.player`: each tick trains for `WORK_SECONDS` (whole steps,
timed, so the share of time spent drawing stays small whatever the network's size) and redraws
only the progress and the curves. "What it learned" is drawn by full reruns: when training
pauses or finishes, not on every tick.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from nnviz.core import TrainingDiverged
from nnviz.datasets import DatasetError
from nnviz.digits import MnistConfig, MnistRun
from nnviz.ui import player
from nnviz.ui.charts import live_chart
from nnviz.ui.digits.data import Splits
from nnviz.ui.digits.state import NOTICE, RUN, SESSION_MODEL, TRAINING, SessionModel
from nnviz.ui.digits.state import TRAIN as K
from nnviz.ui.widgets import Button, guarded
from nnviz.viz import theme
from nnviz.viz.features import feature_maps_figure
from nnviz.viz.mnist import (
    confusion_figure,
    mistakes_figure,
    per_class_figure,
    smooth,
    training_curves_figure,
    weights_grid_figure,
)

WORK_SECONDS = 0.5  # training per tick; the redraw and round trip between ticks take ~0.1 s
TICK_SECONDS = 0.05  # the timer asks again right away; a busy server queues one tick at most
MISTAKES_PER_PAGE = 20


@guarded("the training toolbar", K)
def training_toolbar(config: MnistConfig, splits: Splits) -> MnistRun | None:
    """Train / Pause / Resume / Start over; returns the session's run (None before the first)."""
    run = RUN.get()
    stale = run is not None and run.config != config
    if run is None or stale or run.finished:
        play = Button("Train", K("train"), _start, (config, splits), ":material/play_arrow:")
    else:
        play = Button("Resume", K("resume"), TRAINING.set, (True,), ":material/play_arrow:")
    restart = Button(
        "Start over",
        K("restart"),
        _start,
        (config, splits),
        ":material/restart_alt:",
        while_playing=True,
        disabled=run is None,
    )
    pause = Button("Pause", K("pause"), _pause, icon=":material/pause:")
    player.toolbar(TRAINING, K.css("toolbar"), play, [restart], pause)
    if stale:
        st.caption("Settings changed: **Train** starts a new network with them.")
    if NOTICE.get():
        st.error(NOTICE.get(), icon=":material/warning:")
    return RUN.get()


def _start(config: MnistConfig, splits: Splits) -> None:
    try:
        run = MnistRun(config, *splits)
    except (DatasetError, ValueError) as err:
        st.error(f"Cannot start: {err}")
        return
    RUN.set(run)
    TRAINING.set(True)
    NOTICE.set(None)


def _pause() -> None:
    TRAINING.set(False)
    run = RUN.get()
    if run is not None:
        run.pause()
        _publish(run)


def _publish(run: MnistRun) -> None:
    """Make the run's network this session's model (the Draw page can pick it)."""
    report = run.report
    score = f", {report.accuracy:.1%} on the test set" if report else ""
    title = f"trained here: {run.config.name}, {run.epoch} epoch(s){score}"
    SESSION_MODEL.set(SessionModel(run.model, title))


@guarded("the training progress", K)
def training_live() -> None:
    """Progress, counters and curves; while training, a timer reruns just this part.

    The frame draws the run as it is, then trains the next chunk: everything on screen is
    fresh while the chunk trains (drawn after it, the page would sit greyed out as stale most
    of the time), at the price of showing each chunk's result one tick later.
    """
    player.live(player.Loop(TRAINING, TICK_SECONDS, _tick, _draw, K, draw_first=True))


def _tick() -> bool:
    run = RUN.get()
    if run is None:
        return False
    try:
        run.advance(WORK_SECONDS)
    except TrainingDiverged as err:
        NOTICE.set(f"Training diverged. {err}")
        return False
    _publish(run)
    return not run.finished  # a full run then draws the finished network and what it learned


def _draw() -> None:
    run = RUN.get()
    if run is None:
        st.info(
            "Choose the data and the network in the sidebar, then press **Train**.",
            icon=":material/model_training:",
        )
        # the chart's frame loads plotly.js now, while nothing is training
        empty = theme.empty_figure("The loss and the test accuracy will be drawn here.", 380)
        live_chart(empty, key=K("curves"))
        return
    _progress(run)
    curves = training_curves_figure(run.losses, run.epoch_steps, run.test_accuracy, run.total_steps)
    live_chart(curves, key=K("curves"))  # redrawn in place: st.plotly_chart would blink


def _progress(run: MnistRun) -> None:
    eta = run.eta_seconds()
    text = f"Epoch {min(run.epoch + 1, run.config.epochs)} of {run.config.epochs} · "
    text += f"step {run.steps:,} of {run.total_steps:,}"
    if run.finished:
        text = f"Done: {run.config.epochs} epoch(s), {run.steps:,} steps"
    elif eta is not None:
        text += f" · about {_clock(eta)} left"
    st.progress(run.steps / run.total_steps, text=text)
    loss = smooth(run.losses[-300:])[-1] if run.losses else None  # older steps weigh < 0.95³⁰⁰
    cells = [
        ("Step", f"{run.steps:,}"),
        ("Epoch", f"{run.epoch} / {run.config.epochs}"),
        ("Train loss (smoothed)", "–" if loss is None else player.loss_text(loss)),
        ("Test accuracy", "–" if run.report is None else f"{run.report.accuracy:.2%}"),
        ("Time", _clock(run.elapsed_seconds())),
    ]
    player.metric_row(cells)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}" if minutes else f"{seconds:.{2 if seconds < 10 else 1}f} s"


@guarded("what it learned", K)
def learned_panel(run: MnistRun | None) -> None:
    """First-layer weights, confusion matrix, per-digit accuracy, a browser of mistakes."""
    if run is None or run.report is None:
        st.caption("After the first epoch this shows what the network learned.")
        return
    if TRAINING.get():
        st.caption("Training… pause to look at what the network has learned so far.")
        return
    first = "First-layer filters" if run.is_cnn else "First-layer weights"
    names = [first, "Confusion matrix", "Mistakes"]
    tabs = st.tabs(names, key=K("learned"), on_change="rerun")
    for tab, draw in zip(tabs, (_weights, _confusion, _mistakes), strict=True):
        if tab.open is not False:  # only the open tab is drawn
            with tab:
                draw(run)


def _confusion(run: MnistRun) -> None:
    report = run.report
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        rates = st.toggle("Show rates (share of each true digit)", key=K("rates"))
        figure = confusion_figure(report.confusion, rates)
        st.plotly_chart(figure, key=K("confusion"), config=theme.PLOTLY_CONFIG)
    with right:
        st.markdown("**Accuracy per digit**")
        st.plotly_chart(
            per_class_figure(report.per_class), key=K("per_class"), config=theme.PLOTLY_CONFIG
        )
        worst = report.top_confusions(3)
        if worst:
            st.markdown(
                "Most often confused: "
                + ", ".join(f"a **{t}** read as **{p}** ({n}×)" for t, p, n in worst)
                + ". The *Mistakes* tab shows them."
            )


def _weights(run: MnistRun) -> None:
    change = "Change since the start"
    view = st.segmented_control(
        "Show",
        [change, "Weights"],
        default=change,
        key=K("w_view"),
        required=True,
        label_visibility="collapsed",
    )
    weights = run.learned_weights(view == change)
    if run.is_cnn:
        _filters(weights, view == change)
        return
    if len(run.config.hidden) == 0:
        st.caption("No hidden layer: each tile is one digit's template, its output unit's weights.")
    st.caption(
        f"One tile per unit of the first layer: its {weights.shape[0]} incoming weights as a 28×28 "
        "image, each tile scaled to its own largest value. Blue pixels raise the unit's input "
        "when inked, orange ones lower it. "
        + (
            "The change since the start shows what training added to the random initial "
            "weights (the border never changes: MNIST has no ink there, so no gradient)."
            if view == change
            else "The random initial weights still dominate early on."
        )
    )
    st.plotly_chart(weights_grid_figure(weights), key=K("weights"), config=theme.PLOTLY_CONFIG)


def _filters(weights: np.ndarray, change: bool) -> None:
    """A CNN's first-layer filters `(filters, kh, kw)` (or their change) as small images."""
    kh, kw = weights.shape[1:]
    st.caption(
        f"One tile per filter of the first conv layer: its {kh}×{kw} weights, each tile scaled "
        "to its own largest value. The filter slides over the image; its feature map is bright "
        "where the ink lies on the blue weights and off the orange ones. "
        + (
            "The change since the start is what training added to the random initial filters: "
            "edge and stroke detectors appear within the first epoch."
            if change
            else "Compare with the change since the start to see the learned part."
        )
    )
    figure = feature_maps_figure(weights, columns=16, tile_px=64)
    st.plotly_chart(figure, key=K("filters"), config=theme.PLOTLY_CONFIG)


def _mistakes(run: MnistRun) -> None:
    report = run.report
    digits = [None, *range(10)]
    label = {None: "any"}.get
    left, middle, right = st.columns(3)
    true = left.selectbox(
        "True digit", digits, format_func=lambda d: label(d, str(d)), key=K("m_true")
    )
    said = middle.selectbox(
        "Predicted", digits, format_func=lambda d: label(d, str(d)), key=K("m_said")
    )
    index = report.mistakes(true, said)
    pages = max(1, -(-len(index) // MISTAKES_PER_PAGE))
    page = right.number_input(f"Page (of {pages})", 1, pages, 1, key=K("m_page"))
    shown = index[(page - 1) * MISTAKES_PER_PAGE : page * MISTAKES_PER_PAGE]
    st.caption(
        f"{len(index):,} of {len(report.labels):,} test digits wrong with these filters, the "
        "most confident mistakes first. Each tile: **true** → **said** · confidence."
    )
    figure = mistakes_figure(
        run.test.images[shown],
        report.labels[shown],
        report.predicted[shown],
        report.confidence[shown],
    )
    st.plotly_chart(figure, key=K("mistakes"), config=theme.PLOTLY_CONFIG)
