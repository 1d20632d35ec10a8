"""Per-user state: typed slots over `st.session_state`, never module globals.

Each browser tab is its own Streamlit session, so two tabs train independently. A feature
declares its slots once, in its own `ui/<feature>/state.py`, under one key prefix (`Keys`):
pages and panels read and write state only through those slots.

The address bar belongs to the page (a Playground config, a lesson), except for the
`SESSION_PARAMS` that follow the session from page to page (the class code): pages read and
write their own query through `page_query` and `set_page_query`, which leave those alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

import streamlit as st

T = TypeVar("T")
SESSION_PARAMS = ("class",)  # the class this session follows (`nnviz.ui.classes`)


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
class Keys:
    """A key prefix, declared once per feature: `K("play")` is the widget key `"pg.play"`,
    `K.slot("run", …)` the session slot `"pg:run"` (apart, so that forgetting a feature's
    widgets keeps its state), `K.css("toolbar")` a container key CSS can target (`pg_toolbar`)."""

    prefix: str

    def __call__(self, name: str) -> str:
        return f"{self.prefix}.{name}"

    def css(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def slot(self, name: str, default: Callable[[], T]) -> SessionValue[T]:
        return SessionValue(f"{self.prefix}:{name}", default)

    def forget_widgets(self) -> None:
        """Drop every widget value of this feature: its widgets start again from their seeds."""
        self._forget(self.prefix + ".")

    def forget(self) -> None:
        """Drop all of this feature's state, widgets and slots: it starts as on a first visit."""
        self._forget(self.prefix + ".", self.prefix + ":")

    def _forget(self, *starts: str) -> None:
        for key in [k for k in st.session_state if str(k).startswith(starts)]:
            del st.session_state[key]


@dataclass(frozen=True)
class Notice:
    """A message that stays on the page until the run changes (divergence, stop condition)."""

    kind: Literal["error", "info"]
    text: str


def page_query() -> dict[str, str]:
    """The address bar's query without the session's parameters: what the page's link says."""
    return {k: v for k, v in st.query_params.to_dict().items() if k not in SESSION_PARAMS}


def set_page_query(query: Mapping[str, str]) -> None:
    """Make the address bar's query `query`, keeping the session's parameters that are in it."""
    current = st.query_params.to_dict()
    target = {**query, **{k: v for k, v in current.items() if k in SESSION_PARAMS}}
    if current != target:
        st.query_params.from_dict(target)
