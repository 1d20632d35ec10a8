"""The leaderboard of runs handed in: each student's best, every row a link that reopens it."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from nnviz.classes import HandedRun
from nnviz.teaching import PRESETS
from nnviz.ui.widgets import score_columns

RUN_PAGE = "playground"  # a handed-in link is this page's path and its config query


def run_href(link: str) -> str | None:
    """The address that reopens a handed-in run, relative to the app (so it works behind any
    proxy prefix); None for a link that is not a Playground run's."""
    return link if link == RUN_PAGE or link.startswith(RUN_PAGE + "?") else None


def leaderboard_table(runs: Sequence[HandedRun], lesson: str | None = None) -> None:
    """The runs in the order given (the store's: best test accuracy, then fewer weights, then
    who handed in first)."""
    preset = PRESETS.get(lesson) if lesson else None
    if preset is not None:
        st.caption(f"The challenge: **{preset.title}** ({preset.network}).")
    if not runs:
        st.caption(
            "No run handed in yet. Students press *Hand in this run* on the Playground, "
            "Compare runs or Classroom."
        )
        return
    frame = pd.DataFrame(
        {
            "rank": range(1, len(runs) + 1),
            "nickname": [r.nickname for r in runs],
            "test accuracy": [r.test_accuracy for r in runs],
            "train accuracy": [r.train_accuracy for r in runs],
            "test loss": [r.test_loss for r in runs],
            "weights": [r.n_weights for r in runs],
            "steps": [r.steps for r in runs],
            "handed in": [r.created_at.strftime("%H:%M:%S") for r in runs],
            "run": [run_href(r.link) for r in runs],
        }
    )
    st.dataframe(
        frame,
        hide_index=True,
        column_config=score_columns(
            {
                "rank": st.column_config.NumberColumn(width="small"),
                "weights": st.column_config.NumberColumn(format="%d"),
                "steps": st.column_config.NumberColumn(format="%d"),
                "handed in": st.column_config.TextColumn(help="Time in UTC"),
                "run": st.column_config.LinkColumn(
                    display_text="open this run", help="Opens exactly this run on the Playground"
                ),
            }
        ),
    )
    st.caption(
        "Best test accuracy first; a tie goes to the smaller network (fewer weights), then to "
        "whoever handed in first. One row per student: their best run."
    )
