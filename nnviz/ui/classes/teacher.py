"""The teacher's live view: who is in, the class's handwriting and how the shipped model reads
it, the hardest drawings, and the leaderboard — redrawn every few seconds by the player's
timer, without rerunning the page (so the teacher's own controls below stay as they are)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import streamlit as st

from nnviz.classes import ClassSummary
from nnviz.digits import digit_model_info
from nnviz.ui import player
from nnviz.ui.charts import live_chart
from nnviz.ui.classes.class_set import current_class_set
from nnviz.ui.classes.feedback import STORE_ERRORS, failure
from nnviz.ui.classes.invite import REFRESH_SECONDS
from nnviz.ui.classes.leaderboard import leaderboard_table
from nnviz.ui.classes.state import LIVE, ClassSet, K, Teacher, class_store
from nnviz.ui.classes.visit import Visit
from nnviz.ui.widgets import plain, seeded
from nnviz.viz.gallery import gallery_figure
from nnviz.viz.mnist import confusion_figure, mistakes_figure

GALLERY_COLUMNS = 24
HARDEST = 10


def teacher_live(visit: Visit) -> None:
    """The live part of the teacher's page, refreshing every `REFRESH_SECONDS` while Live."""
    st.toggle(
        f"Live: refresh every {REFRESH_SECONDS:g} s",
        key=seeded(K("live"), LIVE.get()),
        on_change=lambda: LIVE.set(st.session_state[K("live")]),
        help="New students, drawings and runs appear by themselves. Switch off to look at "
        "something without it moving.",
    )
    teacher, lesson = visit.teacher, visit.info.lesson
    player.refresh(LIVE, REFRESH_SECONDS, lambda: _draw(teacher, lesson), K)


def _draw(teacher: Teacher, lesson: str | None) -> None:
    store = class_store()
    try:
        summary = store.summary(teacher.code)
        class_set = current_class_set(store, teacher, summary)
        board = store.leaderboard(teacher.code)
    except STORE_ERRORS as err:
        st.error(failure(err), icon=":material/error:")
        return
    _counts(summary, class_set)
    st.markdown("#### The class's handwriting")
    _gallery(class_set)
    if class_set.reading is not None:
        _reading(class_set)
    st.markdown("#### Leaderboard")
    leaderboard_table(board, lesson)


def _counts(summary: ClassSummary, class_set: ClassSet) -> None:
    limits, reading = summary.info.limits, class_set.reading
    accuracy = "–" if reading is None else f"{reading.report.accuracy:.1%}"
    player.metric_row(
        [
            ("Students", f"{summary.students} / {limits.students}"),
            ("Drawings", f"{summary.drawings:,} / {limits.drawings:,}"),
            ("Runs handed in", f"{summary.runs:,} / {limits.runs:,}"),
            ("Shipped model on your class", accuracy),
        ]
    )
    names = ", ".join(plain(n) for n in summary.nicknames) or "nobody yet"
    now = datetime.now(UTC).strftime("%H:%M:%S")
    st.caption(
        f"**In the class:** {names}. Each student may store {limits.drawings_per_student} "
        f"drawings and hand in {limits.runs_per_student} runs. Updated {now} UTC."
    )


def _gallery(class_set: ClassSet) -> None:
    drawings, reading = class_set.drawings, class_set.reading
    if reading is None:
        st.info(
            "No drawings yet. Students add theirs on *Draw a digit* with **Add to the class "
            "set**; they appear here as they arrive.",
            icon=":material/draw:",
        )
        return
    report = reading.report
    hover = [
        f"#{d.id} by {html.escape(d.nickname)}: a {d.label}, read as {report.predicted[i]} "
        f"({report.confidence[i]:.0%})"
        for i, d in enumerate(drawings)
    ]
    images = [d.image for d in drawings]
    figure = gallery_figure(images, report.labels, report.predicted, hover, GALLERY_COLUMNS)
    live_chart(figure, key=K("chart.gallery"))
    st.caption(
        f"Each row is one digit as the students labelled it (the number: how many), its latest "
        f"{GALLERY_COLUMNS} drawings. An **orange frame** marks a drawing the shipped model "
        "misreads, with what it read. Point at a drawing for its number and author."
    )


def _reading(class_set: ClassSet) -> None:
    reading = class_set.reading
    report = reading.report
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        st.markdown(
            f"**The shipped model on your class's handwriting:** {report.accuracy:.1%} right "
            f"({int(report.confusion.trace())} of {len(report.labels)}). On MNIST's own test "
            f"digits it gets {digit_model_info().get('mnist_test_accuracy', 0):.1%}."
        )
        live_chart(confusion_figure(report.confusion, height=380), key=K("chart.confusion"))
        st.caption("Rows: the digit the student meant; columns: what the model read.")
    with right:
        hardest = reading.hardest(HARDEST)
        st.markdown(f"**The {len(hardest)} hardest drawings** for the model")
        figure = mistakes_figure(
            [class_set.drawings[i].image for i in hardest],
            report.labels[hardest],
            report.predicted[hardest],
            report.confidence[hardest],
            columns=5,
            tile_px=96,
        )
        live_chart(figure, key=K("chart.hardest"))
        numbers = ", ".join(f"#{class_set.drawings[i].id}" for i in hardest)
        st.caption(
            "The lowest probability for the digit the student meant first. Each tile: "
            f"**meant** → **read** · how sure. Drawings {numbers}."
        )
