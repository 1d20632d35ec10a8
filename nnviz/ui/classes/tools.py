"""What the teacher does with the class set: download it, remove drawings, fine-tune a copy of
the model on part of it, and delete the class. These run as whole-page actions, below the live
view."""

from __future__ import annotations

import streamlit as st

from nnviz.classes import (
    MIN_TUNE,
    class_set_csv,
    class_set_idx,
    class_set_zip,
    idx_file_names,
    tune_on_class_set,
)
from nnviz.digits import load_digit_model
from nnviz.ui.classes.class_set import forget_class_set
from nnviz.ui.classes.feedback import STORE_ERRORS, failure, flash, show_flash
from nnviz.ui.classes.state import (
    CLASS_SET,
    TUNING,
    K,
    Teacher,
    class_store,
    stop_following,
)
from nnviz.ui.classes.visit import Visit
from nnviz.ui.digits.data import random_generator, real_digits
from nnviz.ui.widgets import Button, button, download, guarded, plain, seeded

REPLAY = 384  # real digits mixed into fine-tuning, so the copy does not forget MNIST
TUNE_STEPS = 60


@guarded("the class set tools", K)
def class_set_tools(visit: Visit) -> None:
    """Download, remove, fine-tune: one expander each."""
    teacher = visit.teacher
    st.markdown("#### Work with the class set")
    show_flash("tools")
    _downloads(teacher)
    _removal(teacher)
    _fine_tuning(teacher)


def _drawings(teacher: Teacher):
    return class_store().drawings(teacher.code, teacher.key)


def _downloads(teacher: Teacher) -> None:
    code = teacher.code
    with st.expander("Download the class set", icon=":material/download:"):
        st.caption(
            "MNIST's own file format (IDX, gzipped): anything that reads MNIST reads your "
            "class's handwriting. The CSV has one row per drawing: the label, 784 pixels, the "
            "model's reading and the nickname. Files are made when you click."
        )
        images_name, labels_name = idx_file_names(code)
        files = [
            ("Images (IDX .gz)", images_name, lambda: class_set_idx(_drawings(teacher))[0]),
            ("Labels (IDX .gz)", labels_name, lambda: class_set_idx(_drawings(teacher))[1]),
            (
                "Both and the CSV (.zip)",
                f"class-{code.lower()}.zip",
                lambda: class_set_zip(code, _drawings(teacher)),
            ),
            ("CSV", f"class-{code.lower()}.csv", lambda: class_set_csv(_drawings(teacher))),
        ]
        with st.container(horizontal=True):
            for i, (label, name, data) in enumerate(files):
                download(label, data, name, K(f"download.{i}"))


def _removal(teacher: Teacher) -> None:
    class_set = CLASS_SET.get()
    drawings = class_set.drawings if class_set is not None else ()
    with st.expander("Remove drawings", icon=":material/delete:"):
        st.caption(
            "A drawing that is not a digit, or a student's whole set, leaves the class set for "
            "good. The number of a drawing shows when you point at it in the gallery."
        )
        left, right = st.columns(2, gap="large")
        with left, st.container(horizontal=True, vertical_alignment="bottom"):
            st.number_input("Drawing number", 1, step=1, key=K("remove_id"))
            button(Button("Remove it", K("remove"), _remove_one, (teacher,), ":material/delete:"))
        with right, st.container(horizontal=True, vertical_alignment="bottom"):
            names = sorted({d.nickname for d in drawings}, key=str.casefold)
            name = st.selectbox(
                "All drawings of",
                names,
                index=None,
                key=K("remove_nickname"),
                placeholder="pick a nickname",
            )
            remove_all = Button(
                "Remove them",
                K("remove_all"),
                _remove_student,
                (teacher,),
                ":material/delete_sweep:",
            )
            button(remove_all, disabled=name is None)


def _remove_one(teacher: Teacher) -> None:
    number = st.session_state.get(K("remove_id"), 0)
    try:
        class_store().remove_drawing(teacher.code, teacher.key, int(number))
    except STORE_ERRORS as err:
        flash("tools", "error", failure(err))
        return
    forget_class_set()
    flash("tools", "success", f"Drawing #{int(number)} is removed.")


def _remove_student(teacher: Teacher) -> None:
    nickname = st.session_state.get(K("remove_nickname"))
    if nickname is None:
        return
    try:
        gone = class_store().remove_student_drawings(teacher.code, teacher.key, nickname)
    except STORE_ERRORS as err:
        flash("tools", "error", failure(err))
        return
    forget_class_set()
    st.session_state[K("remove_nickname")] = None
    flash("tools", "success", f"Removed {gone} drawing(s) of {plain(nickname)}.")


def _fine_tuning(teacher: Teacher) -> None:
    class_set = CLASS_SET.get()
    n = len(class_set.drawings) if class_set is not None else 0
    with st.expander("Fine-tune the model on your class", icon=":material/tune:"):
        st.caption(
            "Does the model get better at your class's handwriting if it learns from some of "
            "it? A copy of the shipped model trains on part of the class set (mixed with real "
            "MNIST digits, so it does not forget them) and both are scored on the rest, which "
            "the copy never saw."
        )
        st.slider(
            "Train on",
            10,
            90,
            step=10,
            format="%d%% of the class set",
            key=seeded(K("tune_share"), 50),
        )
        tune = Button(
            f"Fine-tune a copy ({TUNE_STEPS} steps)", K("tune"), _tune, (), ":material/tune:"
        )
        button(tune, type="primary", disabled=n < MIN_TUNE)
        if n < MIN_TUNE:
            st.caption(f"Needs at least {MIN_TUNE} drawings; the class set has {n}.")
        show_flash("tune")
        tuning = TUNING.get()
        if tuning is not None:
            r = tuning.result
            st.markdown(
                f"Trained on **{tuning.trained}** drawings, checked on the **{tuning.held_out}** "
                "others:"
            )
            with st.container(horizontal=True):
                st.metric("Shipped model on the rest", f"{r.check_before:.1%}")
                st.metric(
                    "Fine-tuned copy on the rest",
                    f"{r.check_after:.1%}",
                    delta=f"{(r.check_after - r.check_before) * 100:+.1f} points",
                )
            st.caption(
                f"The copy now reads {r.fixed} of the {len(r.labels)} drawings it trained on "
                "correctly. The shipped model itself is unchanged."
            )


def _tune() -> None:
    share = st.session_state.get(K("tune_share"), 50) / 100
    class_set = CLASS_SET.get()
    if class_set is None:
        return
    digits, _ = real_digits()
    rng = random_generator()
    replay = digits.subset(rng.choice(len(digits), min(REPLAY, len(digits)), replace=False))
    try:
        tuning = tune_on_class_set(
            load_digit_model(),
            class_set.drawings,
            replay,
            rng,
            train_share=share,
            steps=TUNE_STEPS,
        )
    except STORE_ERRORS as err:
        flash("tune", "error", failure(err))
        return
    TUNING.set(tuning)


@guarded("deleting the class", K)
def delete_class(visit: Visit) -> None:
    """Delete the class and everything in it, after a confirmation."""
    with st.expander("Delete this class", icon=":material/delete_forever:"):
        st.caption(
            f"Deletes class {visit.code} with all its students' nicknames, drawings and runs, "
            f"now and for good. Classes are deleted by themselves on "
            f"{visit.info.expires_at:%Y-%m-%d}."
        )
        sure = st.checkbox(
            f"Yes, delete class {visit.code} and everything in it", key=K("delete_sure")
        )
        st.button(
            "Delete the class",
            key=K("delete"),
            type="primary",
            icon=":material/delete_forever:",
            disabled=not sure,
            on_click=_delete,
            args=(visit.teacher,),
        )


def _delete(teacher: Teacher) -> None:
    try:
        class_store().delete_class(teacher.code, teacher.key)
    except STORE_ERRORS as err:
        flash("tools", "error", failure(err))
        return
    stop_following(teacher.code)
    for slot in (CLASS_SET, TUNING):
        slot.set(None)
    st.session_state.pop(K("delete_sure"), None)
    flash("start", "success", f"Class {teacher.code} and everything in it is deleted.")
