"""The line at the top of every page of a session that follows a class: "class ABC234 · anna"."""

from __future__ import annotations

import streamlit as st

from nnviz.ui.classes.state import K, follow_url, member, teacher, valid_code
from nnviz.ui.widgets import guarded, plain


@guarded("the class banner", K)
def class_banner() -> None:
    """Follow the link's `?class=` and say which class this session is in, and as whom.

    Called by `setup_page` on every page; reads only this session, never the database, so it
    costs a page nothing.
    """
    follow_url()
    code = valid_code()
    if code is None:
        return
    joined = member(code)
    if joined is not None:
        who, color = plain(joined.nickname), "violet"
    elif teacher(code) is not None:
        who, color = "teacher", "blue"
    else:
        who, color = "not joined yet: join on the Class page", "gray"
    with st.container(key=K.css("banner")):
        st.markdown(f":{color}-badge[:material/groups: class {code} · {who}]")
