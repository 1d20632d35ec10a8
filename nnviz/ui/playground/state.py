"""The Playground's session state, under one key prefix: `K("…")` for widgets, `K.slot` here.

The Classroom and the math page share these slots: a lesson *is* a Playground run, and the
math page can step through the Playground's run.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from nnviz.datasets import Dataset
from nnviz.playground import CSV, Run, RunConfig, parse_query
from nnviz.ui.state import Keys, Notice, SessionValue, page_query, set_page_query
from nnviz.ui.widgets import plain

K = Keys("pg")
MAX_REPORTED = 5  # invalid link settings named in the notice


@dataclass(frozen=True)
class Upload:
    """The last CSV upload: which file, and the dataset or the error it gave."""

    file_id: str
    dataset: Dataset | None
    error: str | None


@dataclass(frozen=True)
class Inspector:
    """The inspector tab's last figure, kept to skip redrawing it on every frame."""

    view: str
    run: Run
    steps: int
    figure: go.Figure


CONFIG: SessionValue[RunConfig] = K.slot("config", RunConfig)
RUN: SessionValue[Run | None] = K.slot("run", lambda: None)
PLAYING: SessionValue[bool] = K.slot("playing", lambda: False)
NOTICE: SessionValue[Notice | None] = K.slot("notice", lambda: None)
UPLOAD: SessionValue[Upload | None] = K.slot("upload", lambda: None)
INSPECTOR: SessionValue[Inspector | None] = K.slot("inspector", lambda: None)
THROTTLED: SessionValue[int | None] = K.slot("throttled", lambda: None)  # steps the last frame took


def uploaded_dataset(config: RunConfig) -> Dataset | None:
    """The CSV upload's dataset when `config` asks for the CSV, else None."""
    upload = UPLOAD.get()
    return upload.dataset if config.dataset == CSV and upload is not None else None


def config_from_url() -> RunConfig:
    """The session's playground config; on the session's first visit it comes from the URL.

    Settings the URL got wrong are reported once and keep their defaults.
    """
    if not CONFIG.is_set():
        config, ignored = parse_query(page_query())
        if ignored:
            names = ", ".join(plain(name, 40) for name in ignored[:MAX_REPORTED])
            more = f" and {len(ignored) - MAX_REPORTED} more" if len(ignored) > MAX_REPORTED else ""
            st.toast(f"Ignored invalid link settings: {names}{more}", icon=":material/link_off:")
        CONFIG.set(config)
    return CONFIG.get()


def sync_url(config: RunConfig) -> None:
    """Keep the address bar equal to `config`, so copying it reproduces the run."""
    CONFIG.set(config)
    set_page_query(config.to_query())
