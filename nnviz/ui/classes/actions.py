"""A joined student's class actions on the other pages: "Add to the class set: it's a …" on
Draw a digit, "Hand in this run" on the Playground, Compare runs and Classroom. Each page calls
one function; without a class joined in this session it draws nothing."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

import streamlit as st

from nnviz.digits import DigitPrediction
from nnviz.playground import CSV, Run
from nnviz.ui.classes.feedback import STORE_ERRORS, failure, flash, show_flash
from nnviz.ui.classes.leaderboard import RUN_PAGE
from nnviz.ui.classes.state import ADDED, K, Member, class_store, member, valid_code
from nnviz.ui.widgets import guarded, plain


@guarded("the class set button", K)
def add_to_class_set(prediction: DigitPrediction | None, source: str = "canvas") -> None:
    """The student's label for the drawing on screen and a button that stores it (the 28×28
    model input, the label, and the model's reading) in the class set."""
    joined = member(valid_code())
    if joined is None:
        return
    with st.container(border=True, key=K.css("add")):
        st.markdown(f"**Add to the class set** of class {joined.code}: it's a …")
        if prediction is None:
            st.caption("Draw a digit first.")
        elif source == "mnist":
            st.caption("This is a real MNIST digit, not your handwriting: draw one to add it.")
        else:
            with st.container(horizontal=True, vertical_alignment="center"):
                label = st.pills(
                    "The digit you meant",
                    list(range(10)),
                    key=K("label"),
                    label_visibility="collapsed",
                )
                st.button(
                    "Add to the class set" if label is None else f"Add it as a {label}",
                    key=K("add"),
                    icon=":material/library_add:",
                    type="primary",
                    disabled=label is None,
                    on_click=_add,
                    args=(joined, prediction),
                )
        show_flash("add")


def _add(joined: Member, prediction: DigitPrediction) -> None:
    label = st.session_state.get(K("label"))
    if label is None:
        return
    fingerprint = prediction.image.tobytes() + bytes([label])
    if ADDED.get() == fingerprint:
        flash("add", "info", f"This drawing is in the class set already, as a {label}.")
        return
    store = class_store()
    try:
        store.add_drawing(
            joined.code,
            joined.nickname,
            prediction.image,
            label,
            prediction.label,
            prediction.confidence,
        )
        status = store.student(joined.code, joined.nickname)
    except STORE_ERRORS as err:
        flash("add", "error", failure(err))
        return
    ADDED.set(fingerprint)
    st.session_state[K("label")] = None
    flash(
        "add",
        "success",
        f"Added your {label} to class {joined.code}'s set ({status.drawings} of your "
        f"{status.limits.drawings_per_student}). Clear the canvas and draw the next one.",
    )


def run_link(run: Run) -> str:
    """The address (relative to the app) that reopens `run`: the Playground with its config."""
    query = urlencode(run.config.to_query())
    return f"{RUN_PAGE}?{query}" if query else RUN_PAGE


@guarded("the hand-in button", K)
def hand_in_run(runs: Sequence[Run], labels: Sequence[str] = ()) -> None:
    """The "Hand in this run" button (with a choice among `runs`, named by `labels`, when there
    are several): stores the run's link, how far it trained, how well it does, and its size."""
    joined = member(valid_code())
    if joined is None or not runs:
        return
    with st.container(horizontal=True, vertical_alignment="center", key=K.css("hand_in")):
        if len(runs) > 1:
            st.selectbox(
                "Run to hand in",
                range(len(runs)),
                format_func=lambda i: labels[i] if i < len(labels) else f"run {i + 1}",
                key=K("which"),
                label_visibility="collapsed",
                width=260,
            )
        st.button(
            "Hand in this run",
            key=K("hand_in"),
            icon=":material/assignment_turned_in:",
            on_click=_hand_in,
            args=(joined, runs),
            help=f"Class {joined.code}'s leaderboard gets this run as it is when you press: "
            "its settings (a link that reopens it), steps, losses, accuracies and size.",
        )
        st.caption(f"to class {joined.code} as {plain(joined.nickname)}")
    show_flash("hand_in")


def _hand_in(joined: Member, runs: Sequence[Run]) -> None:
    run = runs[st.session_state.get(K("which"), 0) if len(runs) > 1 else 0]
    if run.config.dataset == CSV:
        flash("hand_in", "error", "A run on your own CSV cannot be handed in: its data stays here.")
        return
    h = run.history
    if h.steps[-1] < 1:
        flash("hand_in", "error", "Train it first: this run has not taken a step yet.")
        return
    store = class_store()
    try:
        store.hand_in_run(
            joined.code,
            joined.nickname,
            run_link(run),
            steps=h.steps[-1],
            train_loss=h.train_loss[-1],
            test_loss=h.test_loss[-1],
            train_accuracy=h.train_accuracy[-1],
            test_accuracy=h.test_accuracy[-1],
            n_weights=run.trainer.model.n_parameters,
        )
        status = store.student(joined.code, joined.nickname)
    except STORE_ERRORS as err:
        flash("hand_in", "error", failure(err))
        return
    _, accuracy = h.accuracy()
    score = f", accuracy {accuracy:.1%}" if accuracy is not None else ""
    flash(
        "hand_in",
        "success",
        f"Handed in: step {h.steps[-1]:,}{score}, {run.trainer.model.n_parameters:,} weights "
        f"({status.runs} of your {status.limits.runs_per_student} runs).",
    )
