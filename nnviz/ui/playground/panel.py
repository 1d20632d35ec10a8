"""The Playground's live panel: Play / Pause, Step, Step epoch, Reset, and the pictures that
follow training (played by `nnviz.ui.player`)."""

from __future__ import annotations

import streamlit as st

from nnviz.core import TrainingDiverged
from nnviz.datasets import DatasetError
from nnviz.playground import CSV, VIEWS, Run, RunConfig
from nnviz.ui import player
from nnviz.ui.charts import live_chart
from nnviz.ui.playground.figures import playground_figures, view_figure
from nnviz.ui.playground.state import (
    INSPECTOR,
    NOTICE,
    PLAYING,
    RUN,
    THROTTLED,
    Inspector,
    K,
    uploaded_dataset,
)
from nnviz.ui.state import Notice
from nnviz.ui.widgets import Button, guarded, plain

FRAME_SECONDS = 0.2
WORK_SECONDS: float | None = 0.04  # training per frame at most: one server serves a class
INSPECTOR_EVERY = 2
VIEW_LABELS = {
    "neurons": ":material/grid_view: Neurons",
    "network": ":material/account_tree: Network",
    "weights": ":material/view_module: Weights",
    "gradients": ":material/trending_down: Gradients",
}


@guarded("the Playground's run", K)
def current_run(config: RunConfig) -> Run | None:
    """The session's run for `config`: live settings applied in place, anything else rebuilt.

    None (with a message on the page) while the CSV dataset has no valid upload.
    """
    run = RUN.get()
    dataset = uploaded_dataset(config)
    if config.dataset == CSV and dataset is None:
        st.info(
            "Upload a CSV file in the sidebar to train on your own points.",
            icon=":material/upload_file:",
        )
        return None
    if run is None or run.config.needs_rebuild(config) or run.dataset is not dataset:
        try:
            run = Run(config, dataset)
        except DatasetError as err:
            st.error(f"This dataset cannot be used: {plain(err, 400)}", icon=":material/error:")
            return None
        RUN.set(run)
        NOTICE.set(None)
    elif run.config != config:
        run.reconfigure(config)
    return run


@guarded("the toolbar", K)
def toolbar() -> None:
    """Play / Pause, Step, Step epoch, Reset, and the notice of a diverged or finished run."""
    player.toolbar(
        PLAYING,
        K.css("toolbar"),
        Button("Play", K("play"), _play, icon=":material/play_arrow:", shortcut="P"),
        [
            Button(
                "Step",
                K("step"),
                _train,
                ("step",),
                ":material/skip_next:",
                "Train on one mini-batch",
                "S",
            ),
            Button(
                "Step epoch",
                K("epoch"),
                _train,
                ("epoch",),
                ":material/fast_forward:",
                "Train until every training point has been seen once more",
                "E",
            ),
            Button(
                "Reset",
                K("reset"),
                _reset,
                icon=":material/restart_alt:",
                help="Back to step 0: the same data and the same initial weights",
                while_playing=True,
            ),
        ],
        pause=Button("Pause", K("play"), _pause, icon=":material/pause:", shortcut="P"),
    )
    notice = NOTICE.get()
    if notice is not None:
        box = st.error if notice.kind == "error" else st.info
        box(notice.text, icon=":material/warning:" if notice.kind == "error" else None)
        if notice.kind == "error":
            st.button("Reset the network", key=K("notice_reset"), on_click=_reset)


def _play() -> None:
    PLAYING.set(True)
    NOTICE.set(None)


def _pause() -> None:
    PLAYING.set(False)


def _train(unit: str) -> None:
    run = RUN.get()
    if run is None:
        return
    try:
        if unit == "step":
            run.advance(1)
        else:
            run.step_epoch()
    except TrainingDiverged as err:
        _stop(_diverged(err, run))


def _reset() -> None:
    run = RUN.get()
    if run is not None:
        RUN.set(Run(run.config, run.dataset))
    PLAYING.set(False)
    NOTICE.set(None)


def _diverged(err: TrainingDiverged, run: Run) -> Notice:
    """The core's account of the divergence, plus the one remedy only this page offers."""
    text = f"Training diverged. {err}"
    if not run.config.standardize and not run.config.is_table:
        text += " Standardized inputs (under Inputs) often help too."
    return Notice("error", text)


def _stop(notice: Notice) -> None:
    PLAYING.set(False)
    NOTICE.set(notice)


@guarded("the live pictures", K)
def live_panel() -> None:
    """The pictures; while playing, a timer reruns just this panel every `FRAME_SECONDS`."""
    player.live(player.Loop(PLAYING, FRAME_SECONDS, _tick, _draw, K))


def _tick() -> bool:
    """One Play frame of training; False (with a notice) when the run diverged or finished."""
    run = RUN.get()
    if run is None:
        return False
    asked = run.config.steps_per_frame
    try:
        done = run.advance(asked, WORK_SECONDS)
    except TrainingDiverged as err:
        NOTICE.set(_diverged(err, run))
        return False
    THROTTLED.set(done if done < asked and not run.finished else None)
    if run.finished:
        NOTICE.set(Notice("info", run.finished))
        return False
    return True


def _draw() -> None:
    run = RUN.get()
    if run is None:
        return
    with st.container(key=K.css("live")):  # its CSS keeps redrawn pictures from fading
        status(run)
        left, right = st.columns([1.1, 1], gap="medium")
        with left:
            discretize = st.toggle(
                "Discretize: colour by predicted class only",
                key=K("discretize"),
                disabled=run.data.task == "regression",
            )
        figures = playground_figures(run, views=(), discretize=discretize)
        _chart(left, figures["boundary"], "boundary")
        _chart(left, figures["curves"], "curves")
        with right:
            tabs = st.tabs([VIEW_LABELS[v] for v in VIEWS], key=K("view"), on_change="rerun")
        for tab, view in zip(tabs, VIEWS, strict=True):
            if tab.open:
                _chart(tab, _inspector_figure(run, view), view)


def _inspector_figure(run: Run, view: str):
    """The open tab's figure, rebuilt every `INSPECTOR_EVERY` frames while playing.

    Re-sending an unchanged figure costs the browser almost nothing, and the boundary and
    curves keep the full frame rate on slow machines.
    """
    cached = INSPECTOR.get()
    recent = run.steps - run.config.steps_per_frame * INSPECTOR_EVERY
    same = cached is not None and (cached.view, cached.run) == (view, run)
    if PLAYING.get() and same and cached.steps > recent:
        return cached.figure
    figure = view_figure(run, view)
    INSPECTOR.set(Inspector(view, run, run.steps, figure))
    return figure


def status(run: Run) -> None:
    """Step and epoch counters, the latest losses and accuracy."""
    h = run.history
    cells = [
        ("Step", f"{run.steps:,}"),
        ("Epoch", f"{run.trainer.epoch:,}"),
        ("Train loss", player.loss_text(h.train_loss[-1])),
    ]
    if h.test_loss[-1] is not None:
        cells.append(("Test loss", player.loss_text(h.test_loss[-1])))
    label, accuracy = h.accuracy()
    if accuracy is not None:
        cells.append((label, f"{accuracy:.1%}"))
    player.metric_row(cells)
    st.caption(_throttle_note(run))  # always drawn, if empty: a live frame keeps its shape


def _throttle_note(run: Run) -> str:
    """Why this run trains fewer steps per frame than asked, while it does ("" otherwise).

    The caption is drawn empty rather than left out: a fragment whose elements come and go
    from one frame to the next has crashed the browser's page under load ("Cannot set a node
    at a delta path"), when a frame's updates are dropped for the next one.
    """
    throttled = THROTTLED.get() if PLAYING.get() else None
    if throttled is None:
        return ""
    return (
        f":material/speed: Training is capped at {(WORK_SECONDS or 0) * 1000:.0f} ms per frame "
        f"so that every page on this server stays live: this network takes about "
        f"{throttled:,} steps per frame, not {run.config.steps_per_frame:,}."
    )


def _chart(where, figure, name: str) -> None:
    with where:
        live_chart(figure, key=K(f"chart.{name}"))
