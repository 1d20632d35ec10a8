"""The class hub's session state, under one key prefix (`K`), and the store every session shares.

A session follows at most one class (`CODE`): the one in a join link's `?class=`, or the one
typed on the Class page. Who this session is in it lives here too: a joined student (`MEMBER`,
with the key `join` gave, so the same nickname can be taken back with `rejoin`) or the teacher
(`TEACHER`, from the teacher link). The server keeps all of it in this session only.

The code also stays in the address bar (`?class=`) on every page, so a reload keeps the class.
A reload starts a new session, so the browser tab itself keeps a joined student's key and
nickname (`memory.py`), never the address: a link a student copies to share a run does not make
its reader that student.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from nnviz.classes import (
    ClassError,
    ClassSetReading,
    ClassStore,
    ClassTuning,
    Drawing,
    normalize_code,
)
from nnviz.classes.backend import ENV_VAR
from nnviz.classes.store import DAYS_ENV_VAR
from nnviz.ui.state import Keys, SessionValue

K = Keys("cls")
PARAM, TEACHER_PARAM, PROJECTOR_PARAM = "class", "teacher", "projector"


@dataclass(frozen=True)
class Member:
    """This session is the student `nickname` of class `code`."""

    code: str
    nickname: str
    key: str


@dataclass(frozen=True)
class Teacher:
    """This session opened the teacher link of class `code`."""

    code: str
    key: str


@dataclass(frozen=True)
class Flash:
    """The outcome of a class action, shown once next to the button that asked for it."""

    kind: Literal["success", "error", "info"]
    text: str


@dataclass(frozen=True)
class ClassSet:
    """The teacher's copy of the class set, and the shipped model's reading of it (None while
    the set is empty). Refreshed with only the drawings added since (`drawings(after_id=…)`)."""

    code: str
    drawings: tuple[Drawing, ...]
    reading: ClassSetReading | None


CODE: SessionValue[str | None] = K.slot("code", lambda: None)
MEMBER: SessionValue[Member | None] = K.slot("member", lambda: None)
LEFT: SessionValue[bool] = K.slot("left", lambda: False)  # this session's student left
TEACHER: SessionValue[Teacher | None] = K.slot("teacher", lambda: None)
# (code, nickname casefolded) → the student key of every nickname this session joined with
STUDENT_KEYS: SessionValue[dict[tuple[str, str], str]] = K.slot("keys", dict)
FLASH: SessionValue[dict[str, Flash]] = K.slot("flash", dict)
LIVE: SessionValue[bool] = K.slot("live", lambda: True)  # the teacher's page refreshes itself
CLASS_SET: SessionValue[ClassSet | None] = K.slot("class_set", lambda: None)
TUNING: SessionValue[ClassTuning | None] = K.slot("tuning", lambda: None)
ADDED: SessionValue[bytes | None] = K.slot("added", lambda: None)  # the last drawing added


@st.cache_resource(show_spinner=False)
def _store(url: str, days: str) -> ClassStore:
    """One store per setting: the arguments only key the cache (`from_env` reads them)."""
    return ClassStore.from_env()


def class_store() -> ClassStore:
    """The server's store (thread-safe, shared by every session), for `$NNVIZ_CLASS_DB` as it
    is now: keyed by the settings, so a test that points them elsewhere gets its own store."""
    return _store(os.environ.get(ENV_VAR, ""), os.environ.get(DAYS_ENV_VAR, ""))


def follow_url() -> str | None:
    """The class code this session follows, after reading `?class=` (a join link wins over
    the code remembered); a bad code in the link is kept as typed for the Class page to
    explain. The code goes back into the address bar if a page switch dropped it."""
    asked = st.query_params.get(PARAM)
    if asked is not None:
        with contextlib.suppress(ClassError):  # a bad code stays as typed
            asked = normalize_code(asked)
        if asked != CODE.get():
            CODE.set(asked)
    code = CODE.get()
    if code is not None and st.query_params.get(PARAM) != code:
        st.query_params[PARAM] = code
    return code


def set_member(joined: Member | None) -> None:
    """This session's student; None when the student leaves (or the class goes), which also
    has the tab forget the student, so that the next reload does not join again."""
    MEMBER.set(joined)
    LEFT.set(joined is None)


def valid_code() -> str | None:
    """The followed code, normalized; None without one or when it is not a class code."""
    try:
        return normalize_code(CODE.get()) if CODE.get() is not None else None
    except ClassError:
        return None


def member(code: str | None) -> Member | None:
    """This session's student in class `code`, if it joined it."""
    joined = MEMBER.get()
    return joined if joined is not None and code is not None and joined.code == code else None


def teacher(code: str | None) -> Teacher | None:
    """This session's teacher key for class `code`, if it opened the teacher link."""
    key = TEACHER.get()
    return key if key is not None and code is not None and key.code == code else None


def follow(code: str | None) -> None:
    """Follow class `code` (None: no class) in this session and in the address bar."""
    CODE.set(code)
    if code is None:
        st.query_params.pop(PARAM, None)
    else:
        st.query_params[PARAM] = code


def stop_following(code: str) -> None:
    """Stop following class `code` (gone, or deleted): drop who this session was in it."""
    if TEACHER.get() is not None and TEACHER.get().code == code:
        TEACHER.set(None)
    if MEMBER.get() is not None and MEMBER.get().code == code:
        set_member(None)
    st.query_params.pop(TEACHER_PARAM, None)
    follow(None)
