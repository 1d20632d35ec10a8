"""The Classroom page: pick a preset, read what to watch, run it; share it as a link.

A Playground preset becomes the Playground's own config and run (the `CONFIG` and `RUN`
slots), so the lesson continues on the Playground or on *Step through the math* with
nothing lost. An MNIST preset runs with the Train page's panels on the preset's settings.
The address bar always holds `?preset=…&hide=…`: copying it shares the lesson.
"""

from __future__ import annotations

from dataclasses import fields
from urllib.parse import urlencode

import streamlit as st

from nnviz.playground import HIDEABLE, RunConfig
from nnviz.teaching import PRESETS, Preset, lesson_config, parse_preset_query, preset_query
from nnviz.ui.playground.labels import HIDE_LABELS
from nnviz.ui.playground.state import CONFIG, NOTICE, PLAYING, RUN
from nnviz.ui.playground.state import K as PLAYGROUND
from nnviz.ui.state import page_query, set_page_query
from nnviz.ui.teaching.state import CLASSROOM as K
from nnviz.ui.teaching.state import LESSON
from nnviz.ui.widgets import guarded, seeded


@guarded("the lessons", K, lambda: next(iter(PRESETS.values())))
def lesson_picker() -> Preset:
    """The row of presets. The session's first visit takes the preset (and the hidden
    controls) from the link; choosing another preset loads it, keeping the hidden controls."""
    if LESSON.get() is None:
        params = page_query()
        preset, hide = parse_preset_query(params)
        if preset is None and set(params) & {f.name for f in fields(RunConfig)}:
            st.switch_page("pages/playground.py", query_params=params)  # a "Share this run" link
        preset = preset or next(iter(PRESETS.values()))
        load_preset(preset.key, hide)
        st.session_state[K("pick")] = preset.key
    st.pills(
        "Lesson",
        list(PRESETS),
        format_func=lambda key: PRESETS[key].title,
        key=seeded(K("pick"), LESSON.get()),
        required=True,
        on_change=_picked,
        label_visibility="collapsed",
        help="Each lesson replays a classic tutorial's setup.",
    )
    return PRESETS[LESSON.get()]


def _picked() -> None:
    load_preset(st.session_state[K("pick")], CONFIG.get().hide)


def load_preset(key: str, hide: tuple[str, ...] = ()) -> None:
    """Make preset `key` the current lesson; a Playground preset replaces the Playground's
    config and run, and its sidebar widgets start again from the preset's values."""
    preset = PRESETS[key]
    LESSON.set(key)
    if preset.config is None:
        return
    CONFIG.set(lesson_config(preset, hide))
    RUN.set(None)
    PLAYING.set(False)
    NOTICE.set(None)
    PLAYGROUND.forget_widgets()


def sync_lesson_url(preset: Preset, config: RunConfig | None) -> None:
    """The address bar: this lesson's link, with the controls hidden right now."""
    set_page_query(preset_query(preset, config.hide if config is not None else ()))


@guarded("the lesson", K)
def lesson_card(preset: Preset) -> None:
    """The lesson's title, source, and the bullet points of what to watch."""
    with st.container(border=True, key=K.css("card")):
        left, right = st.columns([1, 1.6], gap="large")
    with left:
        st.markdown(f"### {preset.title}")
        st.caption(f"{preset.network} · after {preset.source}")
        st.markdown(preset.summary)
        with st.container(horizontal=True):
            if preset.config is not None:
                st.page_link(
                    "pages/step_math.py",
                    label="Step through the math of this run",
                    icon=":material/function:",
                    query_params={"source": "playground"},
                )
                st.page_link(
                    "pages/playground.py",
                    label="Continue on the Playground",
                    icon=":material/scatter_plot:",
                )
            else:
                st.page_link(
                    "pages/train_mnist.py",
                    label="Train on MNIST with your own settings",
                    icon=":material/model_training:",
                )
    with right:
        st.markdown("**What to watch**\n\n" + "\n".join(f"- {line}" for line in preset.watch))


@guarded("the share box", K)
def share_lesson(preset: Preset, hide: tuple[str, ...]) -> None:
    """A link to this lesson for the class, optionally hiding control groups."""
    with st.expander("Share this lesson with your class", icon=":material/share:"):
        chosen = hide
        if preset.config is not None:
            chosen = st.multiselect(
                "Hide these controls from students",
                list(HIDE_LABELS),
                default=list(hide),
                format_func=HIDE_LABELS.get,
                key=K("hide"),
                help="The link opens the lesson with these controls hidden, so the class "
                "changes only what you want them to.",
            )
        base = (st.context.url or "").split("?")[0]
        query = preset_query(preset, tuple(h for h in HIDEABLE if h in chosen))
        st.code(base + "?" + urlencode(query), language=None, wrap_lines=True)
        st.caption("Everyone who opens it starts from the same data and the same weights.")


@guarded("the sidebar", K)
def mnist_settings(preset: Preset) -> None:
    """The sidebar of an MNIST lesson: its settings, read-only (they are the lesson)."""
    c = preset.mnist
    with st.sidebar:
        st.subheader("This lesson's settings")
        batch = "all of them (full batch)" if c.batch_size >= c.train_size else c.batch_size
        st.markdown(
            f"- Network **{c.name}** → softmax\n"
            f"- **{c.train_size:,}** training images\n"
            f"- Batch size: **{batch}**\n"
            f"- Optimizer **{c.optimizer}**, learning rate **{c.learning_rate:g}**\n"
            f"- **{c.epochs}** epochs"
        )
        st.caption("To change them, use the Train on MNIST page.")
