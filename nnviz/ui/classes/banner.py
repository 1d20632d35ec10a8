"""The line at the top of every page of a session that follows a class: "class ABC234 · anna"."""

from __future__ import annotations

import streamlit as st

from nnviz.classes import ClassError
from nnviz.ui.classes.entry import join_or_rejoin
from nnviz.ui.classes.feedback import STORE_ERRORS, failure, flash
from nnviz.ui.classes.memory import parse_remembered, remembered_student
from nnviz.ui.classes.state import (
    LEFT,
    K,
    Member,
    follow_url,
    member,
    set_member,
    teacher,
    valid_code,
)
from nnviz.ui.widgets import guarded, plain


@guarded("the class banner", K)
def class_banner() -> None:
    """Follow the link's `?class=` and say which class this session is in, and as whom.

    Called by `setup_page` on every page; reads only this session, so it costs a page nothing,
    except once after a student's reload: the database then checks the key the tab kept.
    """
    follow_url()
    code, left = valid_code(), LEFT.get()
    if code is None and not left:
        return
    joined = member(code)
    with st.container(key=K.css("tab_memory")):  # the app's CSS hides it: it shows nothing
        kept = remembered_student(joined, left, K("tab_memory"))
    if code is None:
        return
    if joined is None and kept is not None and not left:
        joined = _take_back(code, kept)
    if joined is not None:
        who, color = plain(joined.nickname), "violet"
    elif teacher(code) is not None:
        who, color = "teacher", "blue"
    else:
        who, color = "not joined yet: join on the Class page", "gray"
    with st.container(key=K.css("banner")):
        st.markdown(f":{color}-badge[:material/groups: class {code} · {who}]")


def _take_back(code: str, kept: str) -> Member | None:
    """A reloaded tab's student: take the nickname back with the key the tab kept (if the tab's
    student is in this class)."""
    student = parse_remembered(kept)
    if student is not None and student.code != code:
        return None
    try:
        if student is None:
            raise ClassError("this tab's memory of your nickname is damaged; join again")
        back = join_or_rejoin(code, student.nickname, student.key)
    except STORE_ERRORS as err:
        set_member(None)
        flash("join", "error", failure(err))
        return None
    joined = Member(code, back.nickname, back.key)
    set_member(joined)
    return joined
