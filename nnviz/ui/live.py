"""The live panel: Play / Pause, Step, Step epoch, Reset, and the pictures that follow training.

Play runs inside `@st.fragment(run_every=…)`: each tick trains `steps_per_frame` steps and
redraws only the fragment, so the sidebar is not rerun and Pause stops the timer (a full
rerun re-registers the fragment without `run_every`). Under `AppTest` a fragment runs once
per `.run()`, so one run while playing is exactly one tick.
"""

from __future__ import annotations

import streamlit as st

from nnviz.config import CSV, RunConfig
from nnviz.core import TrainingDiverged
from nnviz.datasets import DatasetError
from nnviz.run import Run
from nnviz.ui.charts import live_chart
from nnviz.ui.session import INSPECTOR, NOTICE, PLAYING, RUN, UPLOAD, Inspector, Notice
from nnviz.viz import VIEWS, playground_figures, view_figure

FRAME_SECONDS = 0.2
INSPECTOR_EVERY = 2
VIEW_LABELS = {
    "neurons": ":material/grid_view: Neurons",
    "network": ":material/account_tree: Network",
    "weights": ":material/view_module: Weights",
    "gradients": ":material/trending_down: Gradients",
}


def current_run(config: RunConfig) -> Run | None:
    """The session's run for `config`: live settings applied in place, anything else rebuilt.

    None (with a message on the page) while the CSV dataset has no valid upload.
    """
    run = RUN.get()
    upload = UPLOAD.get()
    dataset = upload.dataset if config.dataset == CSV and upload is not None else None
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
            st.error(f"This dataset cannot be used: {err}", icon=":material/error:")
            return None
        RUN.set(run)
        NOTICE.set(None)
    elif run.config != config:
        run.reconfigure(config)
    return run


def toolbar() -> None:
    """Play / Pause, Step, Step epoch, Reset, and the notice of a diverged or finished run."""
    playing = PLAYING.get()
    with st.container(key="pg_toolbar", horizontal=True, vertical_alignment="center"):
        st.button(
            "Pause" if playing else "Play",
            key="pg.play",
            type="primary",
            icon=":material/pause:" if playing else ":material/play_arrow:",
            on_click=_toggle_play,
            shortcut="P",
            width=120,
        )
        st.button(
            "Step",
            key="pg.step",
            icon=":material/skip_next:",
            disabled=playing,
            on_click=_train,
            args=("step",),
            shortcut="S",
            help="Train on one mini-batch",
        )
        st.button(
            "Step epoch",
            key="pg.epoch",
            icon=":material/fast_forward:",
            disabled=playing,
            on_click=_train,
            args=("epoch",),
            shortcut="E",
            help="Train until every training point has been seen once more",
        )
        st.button(
            "Reset",
            key="pg.reset",
            icon=":material/restart_alt:",
            on_click=_reset,
            help="Back to step 0: the same data and the same initial weights",
        )
    notice = NOTICE.get()
    if notice is not None:
        box = st.error if notice.kind == "error" else st.info
        box(notice.text, icon=":material/warning:" if notice.kind == "error" else None)
        if notice.kind == "error":
            st.button("Reset the network", key="pg.notice_reset", on_click=_reset)


def _toggle_play() -> None:
    PLAYING.set(not PLAYING.get())
    NOTICE.set(None)


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
        _stop(Notice("error", f"Training diverged. {err}"))


def _reset() -> None:
    run = RUN.get()
    if run is not None:
        RUN.set(Run(run.config, run.dataset))
    PLAYING.set(False)
    NOTICE.set(None)


def _stop(notice: Notice) -> None:
    PLAYING.set(False)
    NOTICE.set(notice)


def live_panel() -> None:
    """The pictures; while playing, a timer reruns just this panel every `FRAME_SECONDS`."""
    st.fragment(run_every=FRAME_SECONDS if PLAYING.get() else None)(_frame)()


def _frame() -> None:
    run = RUN.get()
    if run is None:
        return
    if PLAYING.get():
        _tick(run)
    with st.container(key="pg_live"):  # its CSS keeps redrawn pictures from fading meanwhile
        _draw(run)


def _tick(run: Run) -> None:
    """One Play frame of training; a diverged or finished run pauses (full rerun: the timer
    is dropped with the old fragment registration)."""
    try:
        run.advance(run.config.steps_per_frame)
    except TrainingDiverged as err:
        _stop(Notice("error", f"Training diverged. {err}"))
        st.rerun()
    if run.finished:
        _stop(Notice("info", run.finished))
        st.rerun()


def _draw(run: Run) -> None:
    status(run)
    left, right = st.columns([1.1, 1], gap="medium")
    with left:
        discretize = st.toggle(
            "Discretize: colour by predicted class only",
            key="pg.discretize",
            disabled=run.data.task == "regression",
        )
    figures = playground_figures(run, views=(), discretize=discretize)
    _chart(left, figures["boundary"], "boundary")
    _chart(left, figures["curves"], "curves")
    with right:
        tabs = st.tabs([VIEW_LABELS[v] for v in VIEWS], key="pg.view", on_change="rerun")
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
        ("Train loss", f"{h.train_loss[-1]:.4f}"),
    ]
    if h.test_loss[-1] is not None:
        cells.append(("Test loss", f"{h.test_loss[-1]:.4f}"))
    accuracy = h.test_accuracy[-1] if h.test_accuracy[-1] is not None else h.train_accuracy[-1]
    if accuracy is not None:
        label = "Test accuracy" if h.test_accuracy[-1] is not None else "Train accuracy"
        cells.append((label, f"{accuracy:.1%}"))
    for column, (label, value) in zip(st.columns(len(cells)), cells, strict=True):
        column.metric(label, value)


def _chart(where, figure, name: str) -> None:
    with where:
        live_chart(figure, key=f"pg.chart.{name}")
