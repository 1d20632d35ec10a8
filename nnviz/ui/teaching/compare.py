"""The Compare page: pick an experiment, train its runs side by side, read the results.

The runs play through `nnviz.ui.player`, as on the Playground; each run's Pause and Step
buttons live in the live fragment, so pressing them redraws only it.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from nnviz.datasets import DATASETS, DatasetError
from nnviz.playground import CSV, RANGES, TABLES, boundary_grid
from nnviz.teaching import EXPERIMENTS, Comparison, Experiment
from nnviz.ui import player
from nnviz.ui.charts import live_chart
from nnviz.ui.playground.labels import DATASET_LABELS, SPEEDS
from nnviz.ui.playground.state import CONFIG, UPLOAD, uploaded_dataset
from nnviz.ui.teaching.state import COMPARE as K
from nnviz.ui.teaching.state import COMPARING, COMPARISON, SPEED
from nnviz.ui.widgets import Button, guarded, score_columns, seeded
from nnviz.viz import boundary_figure
from nnviz.viz.comparison import comparison_figure, run_color

FRAME_SECONDS = 0.25


def _first_experiment() -> tuple[None, Experiment]:
    return None, next(iter(EXPERIMENTS.values()))


@guarded("the experiment", K, _first_experiment)
def compare_setup() -> tuple[Comparison | None, Experiment]:
    """The sidebar: which experiment, on which data; returns the session's comparison."""
    with st.sidebar:
        st.subheader("Experiment")
        key = st.selectbox(
            "Compare",
            list(EXPERIMENTS),
            format_func=lambda k: EXPERIMENTS[k].title,
            key=K("experiment"),
            on_change=_forget_data_choice,
            help="Each experiment changes one setting between the runs; everything else — the "
            "data, the seed, the batches — is the same.",
        )
        experiment = EXPERIMENTS[key]
        base = _base_controls(experiment)
        SPEED.set(
            st.select_slider(
                "Speed (steps per frame)",
                SPEEDS,
                key=seeded(K("speed"), 10),
                help="How many training steps each run takes between two pictures.",
            )
        )
    if base is None:
        return None, experiment
    dataset = uploaded_dataset(base)
    comparison = COMPARISON.get()
    if comparison is None or (comparison.base, comparison.variants) != (base, experiment.variants):
        try:
            comparison = Comparison(base, experiment.variants, dataset)
        except (DatasetError, ValueError) as err:
            st.error(f"These runs cannot be built: {err}", icon=":material/error:")
            return None, experiment
        COMPARISON.set(comparison)
        COMPARING.set(False)
    return comparison, experiment


def _forget_data_choice() -> None:
    for name in ("dataset", "seed"):
        st.session_state.pop(K(name), None)


def _base_controls(experiment: Experiment):
    playground = CONFIG.get() if CONFIG.is_set() else None
    mine = st.toggle(
        "Start from the Playground's settings",
        key=K("from_playground"),
        disabled=playground is None,
        help="Use the Playground's data, network and training as they are now, and change only "
        "what this experiment compares.",
    )
    if mine and playground is not None:
        if playground.dataset == CSV and UPLOAD.get() is None:
            st.warning("Upload the CSV on the Playground first.")
            return None
        return replace(playground, hide=(), stop_epochs=0, stop_loss=0.0)
    names = [name for name in DATASETS if name not in ("regression",)]
    dataset = st.selectbox(
        "Data",
        names,
        format_func=DATASET_LABELS.get,
        key=seeded(K("dataset"), experiment.base.dataset),
        help="Every run trains on exactly these points.",
    )
    seed = st.number_input(
        "Seed",
        *RANGES["seed"],
        key=seeded(K("seed"), experiment.base.seed),
        help="One seed for all runs: same points, same starting weights, same batch order.",
    )
    return replace(experiment.base, dataset=dataset, seed=int(seed))


@guarded("the toolbar", K)
def compare_toolbar() -> None:
    """Play / Pause all, Step all, Reset."""
    player.toolbar(
        COMPARING,
        K.css("toolbar"),
        Button(
            "Play all",
            K("play"),
            _play,
            icon=":material/play_arrow:",
            help="Train every run that is not paused, side by side.",
        ),
        [
            Button(
                "Step all",
                K("step"),
                _step_all,
                icon=":material/skip_next:",
                help="One mini-batch step for every run that is not paused.",
            ),
            Button(
                "Reset",
                K("reset"),
                _reset,
                icon=":material/restart_alt:",
                help="Every run back to step 0: the same data and starting weights.",
                while_playing=True,
            ),
        ],
        pause=Button("Pause all", K("play"), COMPARING.set, (False,), ":material/pause:"),
    )


def _play() -> None:
    comparison = COMPARISON.get()
    if comparison is not None and comparison.all_paused:
        comparison.paused = [False] * len(comparison.runs)
    COMPARING.set(True)


def _step_all() -> None:
    comparison = COMPARISON.get()
    if comparison is not None:
        comparison.advance(1)


def _reset() -> None:
    comparison = COMPARISON.get()
    if comparison is not None:
        dataset = comparison.runs[0].dataset  # the CSV upload, if any
        COMPARISON.set(Comparison(comparison.base, comparison.variants, dataset))
    COMPARING.set(False)


@guarded("the runs", K)
def compare_live() -> None:
    """The runs' boundaries, the overlaid curves and the results; a timer reruns just this
    part while playing."""
    player.live(player.Loop(COMPARING, FRAME_SECONDS, _tick, _draw, K))


def _tick() -> bool:
    comparison = COMPARISON.get()
    if comparison is None:
        return False
    comparison.advance(SPEED.get())
    return not comparison.all_paused


def _draw() -> None:
    comparison = COMPARISON.get()
    if comparison is None:
        return
    for i, column in enumerate(st.columns(len(comparison.runs), gap="medium")):
        with column:
            _run_panel(comparison, i)
    st.markdown("##### Loss and accuracy, all runs")
    runs = comparison.runs
    figure = comparison_figure([r.history for r in runs], comparison.labels)
    live_chart(figure, key=K("chart.curves"))
    results_table(comparison)


def _run_panel(comparison: Comparison, i: int) -> None:
    run, label = comparison.runs[i], comparison.labels[i]
    h = run.history
    color = run_color(i)
    st.markdown(f"<h5 style='color:{color};margin:0'>● {label}</h5>", unsafe_allow_html=True)
    _, accuracy = h.accuracy()
    text = f"step {run.steps:,} · loss {player.loss_text(h.train_loss[-1])}"
    st.caption(text + (f" · accuracy {accuracy:.0%}" if accuracy is not None else ""))
    with st.container(horizontal=True, key=f"cmp_run_{i}"):
        paused = comparison.paused[i]
        st.button(
            "Resume" if paused else "Pause",
            key=K(f"pause.{i}"),
            icon=":material/play_arrow:" if paused else ":material/pause:",
            on_click=comparison.toggle,
            args=(i,),
            disabled=comparison.errors[i] is not None,
            help="Hold this run while the others train on.",
        )
        st.button(
            "Step",
            key=K(f"step.{i}"),
            icon=":material/skip_next:",
            on_click=comparison.step,
            args=(i,),
            disabled=comparison.errors[i] is not None,
            help="One mini-batch step of this run only.",
        )
    if comparison.errors[i] is not None:
        st.error(f"Diverged. {comparison.errors[i]}", icon=":material/warning:")
    figure = boundary_figure(boundary_grid(run, 60), run.data.train, run.data.test, height=340)
    live_chart(figure, key=K(f"chart.{i}"))


def results_table(comparison: Comparison) -> None:
    frame = pd.DataFrame(comparison.results())
    hidden = ["test loss", "test accuracy"] if run_is_table(comparison) else []
    if not frame["diverged"].any():
        hidden.append("diverged")
    st.dataframe(
        frame.drop(columns=hidden),
        hide_index=True,
        column_config=score_columns(),
    )


def run_is_table(comparison: Comparison) -> bool:
    return comparison.base.dataset in TABLES
