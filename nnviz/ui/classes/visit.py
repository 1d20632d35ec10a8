"""Who is looking at which class on the Class page: nobody in a class, a student who may join,
a joined student, the teacher (with the key of the teacher link), or the projector view."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from nnviz.classes import ClassInfo, normalize_code
from nnviz.ui.classes.feedback import STORE_ERRORS, failure
from nnviz.ui.classes.state import (
    CLASS_SET,
    CODE,
    PROJECTOR_PARAM,
    TEACHER,
    TEACHER_PARAM,
    K,
    Member,
    Teacher,
    class_store,
    member,
    stop_following,
    teacher,
)
from nnviz.ui.widgets import guarded


@dataclass(frozen=True)
class Visit:
    """The class on the page (None: none, or it cannot be opened) and who looks at it."""

    info: ClassInfo | None = None
    teacher: Teacher | None = None
    member: Member | None = None
    projector: bool = False

    @property
    def code(self) -> str:
        return self.info.code if self.info is not None else ""


@guarded("the class", K, Visit)
def open_class() -> Visit:
    """The followed class, checked against the store; an error says what is wrong with a bad
    code, an unknown or ended class, or a teacher link that does not fit, and the session
    stops following a class that is gone."""
    text = CODE.get()
    asked_key = st.query_params.get(TEACHER_PARAM)
    if text is None:
        if asked_key:
            st.error("This teacher link has lost its class code (`?class=…`).")
        return Visit()
    try:
        code = normalize_code(text)
        info = class_store().class_info(code)
    except STORE_ERRORS as err:
        st.error(failure(err), icon=":material/error:")
        stop_following(text)
        return Visit()
    if st.query_params.get(PROJECTOR_PARAM):
        return Visit(info, projector=True)
    return Visit(info, _teacher(code, asked_key), member(code))


def _teacher(code: str, asked_key: str | None) -> Teacher | None:
    """The teacher of `code` if the link's key (or the one this session opened) fits; the key
    stays in the address bar so that a reload keeps the teacher's page."""
    known = teacher(code)
    key = asked_key or (known.key if known is not None else None)
    if not key:
        return None
    try:
        class_store().check_teacher(code, key)
    except STORE_ERRORS as err:
        st.error(failure(err), icon=":material/key_off:")
        TEACHER.set(None)
        st.query_params.pop(TEACHER_PARAM, None)
        return None
    if asked_key != key:
        st.query_params[TEACHER_PARAM] = key
    if known is None or known.key != key:
        TEACHER.set(Teacher(code, key))
        CLASS_SET.set(None)
        st.rerun()  # the banner above, drawn before the key was checked, says "teacher" now
    return known
