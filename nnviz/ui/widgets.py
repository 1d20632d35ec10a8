"""Small shared pieces: seeded widget keys and option ladders, user text shown as itself
(`plain`), and the guard that keeps one failing panel from taking the page down (`guarded`).

Widgets never get a `value=`: each key is seeded once from a config (URL or session), so the
config stays the one source of truth and Streamlit never warns about two sources.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import streamlit as st

from nnviz.ui.state import Keys

P, T = ParamSpec("P"), TypeVar("T")
_LOG = logging.getLogger("nnviz")

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~$:])")  # what can start a link, an image or a style


def seeded(key: str, value: object) -> str:
    """Give widget `key` the value `value` unless it already has one; return the key."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def ladder(options: Iterable, value: object) -> list:
    """`options` with `value` added if missing (a link may carry any valid value); numbers
    come back sorted, names in their given order."""
    merged = list(options)
    if value not in merged:
        merged.append(value)
    return merged if isinstance(value, str) else sorted(merged)


def plain(text: object, limit: int = 200) -> str:
    """Text a user or a link supplied (a file name, a query key, a cell of a CSV), shown in
    Markdown as itself: every special character escaped, so it can never become a link, an
    image or formatting; cut to `limit` characters."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN.sub(r"\\\1", text)


def guarded(
    what: str, keys: Keys, fallback: Callable[..., T] | None = None
) -> Callable[[Callable[P, T]], Callable[P, T | None]]:
    """A panel that cannot take the page down: an unexpected error in it becomes a short
    message and a button that resets the feature (`keys`), the rest of the page and the
    session keep working, and the panel returns `fallback(*args)` (or None).

    Errors a user can cause (bad files, links, settings) get their own messages where they
    happen; this is the net under everything else. The traceback goes to the server log,
    never to the page (it would show the server's paths). Streamlit's own control flow
    (`st.rerun`, `st.stop`) is not an `Exception` and passes through.
    """

    def decorate(panel: Callable[P, T]) -> Callable[P, T | None]:
        @functools.wraps(panel)
        def run(*args: P.args, **kwargs: P.kwargs) -> T | None:
            try:
                return panel(*args, **kwargs)
            except Exception as err:
                report_failure(what, err, keys.forget, keys(f"reset_after.{what}"))
                return fallback(*args, **kwargs) if fallback is not None else None

        return run

    return decorate


def report_failure(what: str, err: Exception, reset: Callable[[], None], key: str) -> None:
    """The short message for an unexpected error in `what`, and a button that calls `reset`."""
    _LOG.error("%s failed", what, exc_info=err)
    st.error(
        f"Something went wrong in {what} ({type(err).__name__}); the rest of the page still "
        "works. Resetting starts this part again from its defaults.",
        icon=":material/report:",
    )
    st.button(f"Reset {what}", key=re.sub(r"\s+", "_", key), on_click=reset)


def download(
    label: str,
    data: object,
    file_name: str,
    key: str,
    *,
    mime: str = "application/octet-stream",
    icon: str = ":material/download:",
    disabled: bool = False,
) -> None:
    """A download button that does not rerun the page; `data` may be a function, so the file
    is made only when clicked."""
    st.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=mime,
        icon=icon,
        key=key,
        on_click="ignore",
        disabled=disabled,
    )


def score_columns(more: dict | None = None) -> dict:
    """Column formats of a results table: losses to four decimals, accuracies in percent, and
    `more` for the table's other columns."""
    number = st.column_config.NumberColumn
    return {
        "train loss": number(format="%.4f"),
        "test loss": number(format="%.4f"),
        "train accuracy": number(format="percent"),
        "test accuracy": number(format="percent"),
        **(more or {}),
    }


@dataclass(frozen=True)
class Button:
    """One toolbar button; `while_playing` keeps it enabled during play (Reset does)."""

    label: str
    key: str
    on_click: Callable[..., None]
    args: tuple = ()
    icon: str | None = None
    help: str | None = None
    shortcut: str | None = None
    while_playing: bool = False
    disabled: bool = False


def button(item: Button, **kw: object) -> bool:
    """Draw `item` (`kw`: more `st.button` options, e.g. `type="primary"`)."""
    return st.button(
        item.label,
        key=item.key,
        on_click=item.on_click,
        args=item.args,
        icon=item.icon,
        help=item.help,
        shortcut=item.shortcut,
        disabled=kw.pop("disabled", item.disabled),
        **kw,
    )
