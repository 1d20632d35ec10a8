"""The Draw page's "Why?" (saliency and hidden activations) and "That's wrong, it's a …"
(kept corrections, fine-tuning a copy of the model on them). All of it stays in this session.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from nnviz.core import Sequential
from nnviz.digits import Correction, DigitPrediction, explain, fine_tune, load_digit_sample
from nnviz.ui.digits.data import mnist_splits, random_generator
from nnviz.ui.digits.draw import DrawSettings, Reading
from nnviz.ui.digits.state import CORRECTIONS, SESSION_MODEL, TUNING, SessionModel, Tuning
from nnviz.ui.digits.state import DRAW as K
from nnviz.ui.widgets import guarded
from nnviz.viz import theme
from nnviz.viz.digits import activations_figure, probabilities_figure, saliency_figure
from nnviz.viz.mnist import mistakes_figure

TUNE_STEPS = 40
FORGOT = 0.02  # a drop in held-out accuracy larger than this is called forgetting
REPLAY, CHECK = 384, 500


@guarded("the explanation", K)
def digit_details(reading: Reading, settings: DrawSettings) -> None:
    """Tabs: why the model said it, and correcting it."""
    p = reading.prediction
    if p is None:
        return
    why, wrong = st.tabs(
        [":material/psychology: Why?", ":material/edit: That's wrong, it's a …"],
        key=K("details"),
        on_change="rerun",
    )
    if why.open is not False:
        with why:
            _why(p, settings.model)
    if wrong.open is not False:
        with wrong:
            _corrections(p, settings)


def _why(p: DigitPrediction, model: Sequential) -> None:
    answer = "its answer"
    chosen = st.selectbox(
        "Explain the score of",
        [answer, *range(10)],
        key=K("explain"),
        width=260,
        format_func=lambda d: d if d == answer else f"the digit {d}",
    )
    label = p.label if chosen == answer else int(chosen)
    explanation = explain(model, p.image, label)
    st.plotly_chart(
        saliency_figure(p.image, explanation.saliency, label),
        key=K("saliency"),
        config=theme.PLOTLY_CONFIG,
    )
    st.caption(
        f"Saliency: how much each pixel would change the score (logit) of “{label}”, "
        "∂ score / ∂ pixel, found by backpropagating to the input instead of the weights. "
        f"**Blue**: more ink here would make it more of a {label}; **orange**: less; white: "
        "no effect. Pick another digit above to see what would make it that one."
    )
    st.plotly_chart(
        activations_figure(explanation.activations),
        key=K("activations"),
        config=theme.PLOTLY_CONFIG,
    )
    st.caption(
        "The hidden units' outputs for this input, one cell per unit (darker = larger). "
        "With ReLU, white cells are units that stay silent for this digit."
    )


def _corrections(p: DigitPrediction, settings: DrawSettings) -> None:
    kept = CORRECTIONS.get()
    left, right = st.columns([1, 1], gap="large")
    with left:
        label = st.pills("The right digit", list(range(10)), key=K("right"))
        st.button(
            "Keep this drawing" if label is None else f"Keep this drawing as a {label}",
            key=K("keep"),
            icon=":material/bookmark_add:",
            disabled=label is None,
            on_click=_keep,
            args=(p, label),
        )
        st.caption("Kept drawings stay in this browser session; nothing is sent anywhere.")
    with right:
        if kept:
            st.markdown(f"**{len(kept)} kept** (the right digit → what the model said):")
            shown = kept[-8:]
            figure = mistakes_figure(
                np.stack([c.image for c in shown]),
                [c.label for c in shown],
                [c.predicted for c in shown],
                columns=len(shown),
                tile_px=110,
            )
            st.plotly_chart(figure, key=K("kept"), config=theme.PLOTLY_CONFIG)
            with st.container(horizontal=True):
                st.button(
                    f"Fine-tune a copy ({TUNE_STEPS} steps)",
                    key=K("tune"),
                    type="primary",
                    icon=":material/tune:",
                    on_click=_tune,
                    args=(settings,),
                )
                st.button("Forget them", key=K("forget"), on_click=_forget)
    tuning = TUNING.get()
    if tuning is not None:
        _before_after(p, tuning)


def _keep(p: DigitPrediction, label: int) -> None:
    CORRECTIONS.get().append(Correction(p.image, int(label), p.label))
    st.session_state[K("right")] = None


def _forget() -> None:
    CORRECTIONS.set([])
    TUNING.set(None)


def _tune(settings: DrawSettings) -> None:
    """Fine-tune a copy of the model in use; the copy becomes this session's model."""
    rng = random_generator()
    splits = mnist_splits()
    if splits is not None:
        train, test = splits
        replay = train.subset(rng.choice(len(train), REPLAY, replace=False))
        check = test.subset(rng.choice(len(test), CHECK, replace=False))
    else:
        sample = load_digit_sample()
        order = rng.permutation(len(sample))
        half = len(sample) // 2
        replay, check = sample.subset(order[:half]), sample.subset(order[half:])
    kept = CORRECTIONS.get()
    result = fine_tune(
        settings.model,
        kept,
        replay.images,
        replay.y,
        rng,
        steps=TUNE_STEPS,
        check=(check.images, check.y),
    )
    TUNING.set(Tuning(settings.model, settings.model_title, result))
    base = settings.model_title.removeprefix("trained here: ")
    SESSION_MODEL.set(SessionModel(result.model, f"{base}, fine-tuned on {len(kept)} drawing(s)"))
    st.session_state[K("model")] = "session"


def _before_after(p: DigitPrediction, tuning: Tuning) -> None:
    r = tuning.result
    x = p.image.reshape(1, -1)
    before = tuning.base.predict_proba(x)[0]
    after = r.model.predict_proba(x)[0]
    st.markdown(
        f"**Fine-tuned copy** ({r.steps} steps on your {len(r.labels)} drawing(s) mixed with real "
        f"MNIST digits): now gets **{r.fixed} of {len(r.labels)}** of them right."
    )
    if r.check_before is not None:
        kept = r.check_after >= r.check_before - FORGOT
        why = (
            "mixing in real digits kept it from forgetting what it knew."
            if kept
            else "it forgot some of what it knew: a correction that contradicts the real digits "
            "(a clear 7 called a 2?) pulls the whole network with it."
        )
        st.caption(
            f"On held-out real digits it scores {r.check_after:.1%} (before: "
            f"{r.check_before:.1%}): {why} The sidebar now uses the tuned copy; switch back "
            "to compare."
        )
    st.plotly_chart(
        probabilities_figure(after, before=before),
        key=K("before_after"),
        config=theme.PLOTLY_CONFIG,
    )
    st.caption(f"This input, before ({tuning.base_title}) and after fine-tuning.")
