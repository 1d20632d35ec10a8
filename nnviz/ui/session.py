"""Per-user state: typed slots over `st.session_state`, never module globals.

Each browser tab is its own Streamlit session, so two tabs train independently. A page reads
and writes its state only through the slots below (or its own `SessionValue`s).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

import plotly.graph_objects as go
import streamlit as st

from nnviz.config import RunConfig, parse_query
from nnviz.datasets import Dataset
from nnviz.run import Run

T = TypeVar("T")


class SessionValue(Generic[T]):
    """One typed entry of `st.session_state`, created from `default()` on first read."""

    def __init__(self, key: str, default: Callable[[], T]) -> None:
        self.key = key
        self.default = default

    def get(self) -> T:
        if self.key not in st.session_state:
            st.session_state[self.key] = self.default()
        return st.session_state[self.key]

    def set(self, value: T) -> None:
        st.session_state[self.key] = value

    def is_set(self) -> bool:
        return self.key in st.session_state

    def __repr__(self) -> str:
        return f"SessionValue({self.key!r})"


@dataclass(frozen=True)
class Notice:
    """A message that stays on the page until the run changes (divergence, stop condition)."""

    kind: Literal["error", "info"]
    text: str


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


CONFIG: SessionValue[RunConfig] = SessionValue("playground.config", RunConfig)
RUN: SessionValue[Run | None] = SessionValue("playground.run", lambda: None)
PLAYING: SessionValue[bool] = SessionValue("playground.playing", lambda: False)
NOTICE: SessionValue[Notice | None] = SessionValue("playground.notice", lambda: None)
UPLOAD: SessionValue[Upload | None] = SessionValue("playground.upload", lambda: None)
INSPECTOR: SessionValue[Inspector | None] = SessionValue("playground.inspector", lambda: None)


def config_from_url() -> RunConfig:
    """The session's playground config; on the session's first visit it comes from the URL.

    Settings the URL got wrong are reported once and keep their defaults.
    """
    if not CONFIG.is_set():
        config, ignored = parse_query(st.query_params.to_dict())
        if ignored:
            names = ", ".join(ignored)
            st.toast(f"Ignored invalid link settings: {names}", icon=":material/link_off:")
        CONFIG.set(config)
    return CONFIG.get()


def sync_url(config: RunConfig) -> None:
    """Keep the address bar equal to `config`, so copying it reproduces the run."""
    CONFIG.set(config)
    target = config.to_query()
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)
