"""The Class page for everyone but the teacher: start a class, join one, and a joined student's
own view (what they stored, the challenge, the leaderboard)."""

from __future__ import annotations

import streamlit as st

from nnviz.classes import ClassError, ClassInfo, Student, normalize_code
from nnviz.classes.checks import check_nickname, nickname_key
from nnviz.teaching import PRESETS
from nnviz.ui.classes.feedback import STORE_ERRORS, failure, flash, show_flash
from nnviz.ui.classes.leaderboard import leaderboard_table
from nnviz.ui.classes.state import (
    CLASS_SET,
    STUDENT_KEYS,
    TEACHER,
    TEACHER_PARAM,
    TUNING,
    K,
    Member,
    Teacher,
    class_store,
    follow,
    set_member,
)
from nnviz.ui.classes.visit import Visit
from nnviz.ui.player import metric_row
from nnviz.ui.widgets import guarded, plain

NO_LESSON = "none"


@guarded("starting or joining a class", K)
def start_or_join() -> None:
    """Two boxes side by side: the teacher's "Start a class", the student's "Join a class"."""
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True, key=K.css("start")):
        st.subheader("Start a class", anchor=False)
        st.caption(
            "You get a class code and a QR code for the room, and a private teacher link to "
            "watch the class's work arrive live. No accounts: students pick a nickname."
        )
        st.selectbox(
            "Challenge (optional)",
            [NO_LESSON, *PRESETS],
            format_func=_lesson_title,
            key=K("lesson"),
            help="A Classroom lesson for the class to work on: its leaderboard ranks the runs "
            "handed in.",
        )
        st.button(
            "Start a class",
            key=K("start"),
            type="primary",
            icon=":material/add_circle:",
            on_click=_start,
        )
        show_flash("start")
    with right:
        _join_box(None)


def _lesson_title(key: str) -> str:
    return "none: a free class" if key == NO_LESSON else PRESETS[key].title


@guarded("joining the class", K)
def join_form(visit: Visit) -> None:
    """Join the class of a join link: the code is known, the nickname is asked."""
    _join_box(visit.info)


def _join_box(info: ClassInfo | None) -> None:
    with st.container(border=True, key=K.css("join")):
        st.subheader("Join a class" if info is None else f"Join class {info.code}", anchor=False)
        if info is not None:
            _class_facts(info)
        with st.form(K("join_form"), border=False, enter_to_submit=True):
            if info is None:
                st.text_input(
                    "Class code",
                    key=K("join_code"),
                    max_chars=12,
                    placeholder="ABC234",
                    help="The six characters your teacher shows.",
                )
            st.text_input(
                "Your nickname",
                key=K("nickname"),
                max_chars=24,
                help="How the class and the teacher see you: 1 to 24 characters, no e-mail, "
                "no account. Pick one nobody else in the class has.",
            )
            st.form_submit_button(
                "Join",
                type="primary",
                icon=":material/login:",
                on_click=_join,
                args=(info.code if info is not None else None,),
            )
        show_flash("join")


def _class_facts(info: ClassInfo) -> None:
    ends = info.expires_at.strftime("%Y-%m-%d")
    lesson = PRESETS.get(info.lesson) if info.lesson else None
    challenge = f"Challenge: **{lesson.title}**. " if lesson is not None else ""
    st.caption(f"{challenge}The class is open until {ends}.")


def _start() -> None:
    lesson = st.session_state.get(K("lesson"), NO_LESSON)
    try:
        new = class_store().create_class(check_lesson(lesson))
    except STORE_ERRORS as err:
        flash("start", "error", failure(err))
        return
    TEACHER.set(Teacher(new.code, new.teacher_key))
    CLASS_SET.set(None)
    TUNING.set(None)
    follow(new.code)
    st.query_params[TEACHER_PARAM] = new.teacher_key
    flash(
        "invite",
        "success",
        f"Class {new.code} is open. Show the code or the QR code to your class, and keep the "
        "teacher link below: it is the only way back to this page.",
    )


def check_lesson(lesson: str | None) -> str | None:
    """A challenge is a Classroom preset's key (or none)."""
    if lesson in (None, NO_LESSON):
        return None
    if lesson not in PRESETS:
        raise ClassError(f"{lesson!r} is not a lesson; choose one of: {', '.join(PRESETS)}")
    return lesson


def _join(code: str | None) -> None:
    text = code if code is not None else st.session_state.get(K("join_code"), "")
    try:
        code = normalize_code(text)
        student = join_or_rejoin(code, st.session_state.get(K("nickname"), ""))
    except STORE_ERRORS as err:
        flash("join", "error", failure(err))
        return
    set_member(Member(code, student.nickname, student.key))
    follow(code)
    flash("student", "success", f"Welcome to class {code}, {plain(student.nickname)}!")


def join_or_rejoin(code: str, nickname: str, key: str | None = None) -> Student:
    """Join with `nickname`, or take it back with `key`: the one given (kept by the browser
    tab), or the one this session got when it joined with that nickname before."""
    name = check_nickname(nickname)
    keys = STUDENT_KEYS.get()
    key = key or keys.get((code, nickname_key(name)))
    store = class_store()
    student = Student(store.rejoin(code, name, key), key) if key else store.join(code, name)
    keys[(code, nickname_key(student.nickname))] = student.key
    return student


@guarded("your class", K)
def student_view(visit: Visit) -> None:
    """A joined student: what they stored against the limits, the challenge, the leaderboard."""
    joined, info = visit.member, visit.info
    st.subheader(f"You are {plain(joined.nickname)} in class {info.code}", anchor=False)
    show_flash("student")
    _class_facts(info)
    store = class_store()
    try:
        status = store.student(info.code, joined.nickname)
        board = store.leaderboard(info.code)
    except STORE_ERRORS as err:
        st.error(failure(err), icon=":material/error:")
        return
    limits = status.limits
    metric_row(
        [
            ("Your drawings", f"{status.drawings} / {limits.drawings_per_student}"),
            ("Your runs handed in", f"{status.runs} / {limits.runs_per_student}"),
        ]
    )
    st.markdown(
        "**What to do.** On **Draw a digit**, draw and press *Add to the class set*: your "
        "teacher sees how well the model reads the class's handwriting. On the **Playground**, "
        "**Compare runs** or **Classroom**, train a network and press *Hand in this run*."
    )
    with st.container(horizontal=True):
        st.page_link("pages/draw_digit.py", label="Draw a digit", icon=":material/draw:")
        lesson = PRESETS.get(info.lesson) if info.lesson else None
        if lesson is not None:
            st.page_link(
                "pages/classroom.py",
                label=f"The challenge: {lesson.title}",
                icon=":material/school:",
                query_params={"preset": lesson.key},
            )
        st.page_link("pages/playground.py", label="Playground", icon=":material/scatter_plot:")
    st.markdown("#### Leaderboard")
    leaderboard_table(board, lesson=info.lesson)
    st.button("Leave this class", key=K("leave"), icon=":material/logout:", on_click=_leave)


def _leave() -> None:
    set_member(None)
    follow(None)
    flash("start", "info", "You left the class. Your drawings and runs stay in it.")
