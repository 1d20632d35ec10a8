"""What a browser tab remembers of its student across reloads: class code, key and nickname.

A reload starts a new Streamlit session, which knows nothing of the one before. The tab's
`sessionStorage` outlives the reload and nothing else: another tab, another browser, the next
person at a shared computer, and a link copied from the address bar all start unjoined. A small
component (`tab_memory/index.html`) writes, removes or only reads one item and answers with what
the tab keeps; its answer arrives one rerun later, as a component's value does. A tab keeps one
student at a time.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from nnviz.ui.classes.state import Member

PAGE = Path(__file__).parent / "tab_memory"
ITEM = "nnviz.student"
SEPARATOR = "."  # neither a class code nor a URL-safe base64 key ever holds a dot


@st.cache_resource(show_spinner=False)
def _tab_memory():
    """The component, declared once per server process."""
    return components.declare_component("tab_memory", path=str(PAGE))


def remembered_student(joined: Member | None, forget: bool, key: str) -> str | None:
    """Have this tab keep `joined`, or forget its student (`forget`), or only read; returns
    what the tab keeps, once it has answered."""
    if joined is not None:
        value: str | None = SEPARATOR.join((joined.code, joined.key, joined.nickname))
    else:
        value = "" if forget else None
    kept = _tab_memory()(name=ITEM, value=value, key=key, default=None)
    return kept if isinstance(kept, str) and kept else None


def parse_remembered(kept: str) -> Member | None:
    """The student a tab keeps (not yet checked against the store); None if it is not one."""
    parts = kept.split(SEPARATOR, 2)
    if len(parts) != 3 or not all(parts):
        return None
    code, key, nickname = parts
    return Member(code, nickname, key)
