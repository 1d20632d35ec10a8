"""The Draw page's input and answer: the model choice, the canvas (or an uploaded image, or a
real MNIST digit), what the model sees, and what it says.

The canvas sends its strokes when the pen lifts; the strokes (not the bitmap) go through the
MNIST recipe, so the pen width does not change what the model sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from nnviz.core import Sequential, limits
from nnviz.datasets import DatasetError
from nnviz.datasets.drawing import upload_stages
from nnviz.digits import (
    DEFAULT_KIND,
    DigitPrediction,
    classify_drawing,
    classify_image,
    digit_model_info,
    digit_prediction,
    load_digit_model,
)
from nnviz.ui.digits.data import random_generator, real_digits
from nnviz.ui.digits.state import CLEARS, PICK, SESSION_MODEL, SOURCE
from nnviz.ui.digits.state import DRAW as K
from nnviz.ui.widgets import guarded, plain
from nnviz.viz import theme
from nnviz.viz.digits import probabilities_figure, stages_figure

CANVAS_PX = 280
MODELS = {"cnn": "Shipped CNN", "mlp": "Shipped MLP", "session": "This session's model"}

PAGE_CSS = """<style>
.st-key-dr_answer [data-testid="stMetricValue"] {font-size: 3.6rem; line-height: 1.05;}
.st-key-dr_answer {gap: 2.5rem;}
.st-key-dr-upload [data-testid="stFileUploaderDropzoneInstructions"] {display: none;}
</style>"""


@dataclass(frozen=True)
class DrawSettings:
    model: Sequential
    model_title: str
    threshold: float
    pen: int


@dataclass(frozen=True)
class Reading:
    """The current input's prediction (None: nothing to classify) and where it came from."""

    prediction: DigitPrediction | None
    source: str
    note: str = ""
    error: str | None = None
    raw: np.ndarray | None = None  # the canvas bitmap, shown as the first stage
    title: str = "your drawing"  # of the first stage


def draw_settings() -> DrawSettings:
    """The sidebar: which model, pen width, and where "not sure" starts."""
    session = SESSION_MODEL.get()
    with st.sidebar:
        st.subheader("Model")
        choice = st.radio(
            "Which model answers",
            list(MODELS),
            format_func=MODELS.get,
            key=K("model"),
            label_visibility="collapsed",
        )
        if choice == "session" and session is not None:
            title, model = session.title, session.model
            st.caption(title)
        else:
            kind = DEFAULT_KIND if choice == "session" else choice
            info = digit_model_info(kind)
            title = f"the shipped {kind.upper()}"
            st.caption(
                f"Shipped with nnviz: {info.get('architecture', '')}, "
                f"{info.get('mnist_test_accuracy', 0):.2%} on the MNIST test set. "
                + _no_session_note(session is None, choice == "session")
            )
            model = load_digit_model(kind)
        st.subheader("Drawing")
        pen = st.slider(
            "Pen width",
            6,
            40,
            20,
            key=K("pen"),
            help="How your strokes look. The model sees them redrawn with MNIST's own pen "
            "width, so a thin and a thick pen give it the same digit.",
        )
        threshold = st.slider(
            "Say “not sure” below",
            0.0,
            1.0,
            0.6,
            0.05,
            key=K("threshold"),
            format="%.2f",
            help="If the top probability is lower than this, the answer is shown as a guess.",
        )
    return DrawSettings(model, title, threshold, pen)


def _no_session_note(missing: bool, chosen: bool) -> str:
    if not missing:
        return ""
    if chosen:
        return (
            "No model was trained or uploaded in this session yet (*Train on MNIST*), so the "
            f"shipped {DEFAULT_KIND.upper()} answers."
        )
    return "Train or upload one on the *Train on MNIST* page to compare."


@guarded("the drawing", K, lambda settings: Reading(None, "canvas"))
def digit_input(settings: DrawSettings) -> Reading:
    """The canvas and the other inputs; returns the prediction for the most recent one."""
    # Imported here: the component registers itself on import, which needs a running app.
    from streamlit_drawable_canvas import st_canvas

    st.html(PAGE_CSS)  # the size limit is in the label; the answer digit is large
    st.markdown("**Your digit**")
    canvas = st_canvas(
        stroke_width=settings.pen,
        stroke_color="#ffffff",
        background_color="#000000",
        height=CANVAS_PX,
        width=CANVAS_PX,
        drawing_mode="freedraw",
        return_image_data=True,
        key=K(f"canvas.{CLEARS.get()}"),
        on_change=lambda: SOURCE.set("canvas"),
    )
    with st.container(horizontal=True, key=K.css("buttons")):
        st.button("Clear", key=K("clear"), icon=":material/delete:", on_click=_clear)
        st.button(
            "Show me a real MNIST digit",
            key=K("real"),
            icon=":material/casino:",
            on_click=_pick_real,
        )
    # Any file is accepted here and checked below: the widget's own type and size refusals
    # only mark the file with an icon, while this page says what is wrong in words.
    upload = st.file_uploader(
        f"…or upload a photo or scan of one digit ({limits.describe('image')})",
        max_upload_size=limits.UPLOAD_BYTES // limits.MB,
        key=K("upload"),
        on_change=lambda: SOURCE.set("upload"),
    )
    source = SOURCE.get()
    if source == "mnist":
        return _real_reading(settings.model)
    if source == "upload" and upload is not None:
        return _upload_reading(upload, settings.model)
    try:
        prediction = _classify(canvas.json_data, settings.model)
    except DatasetError as err:
        return Reading(None, "canvas", error=f"This drawing cannot be read: {err}")
    return Reading(prediction, "canvas", raw=canvas.image_data if prediction else None)


def _classify(drawing, model: Sequential) -> DigitPrediction | None:
    if not drawing or not drawing.get("objects"):
        return None
    return classify_drawing(drawing, model)


def _clear() -> None:
    CLEARS.set(CLEARS.get() + 1)
    SOURCE.set("canvas")


def _pick_real() -> None:
    digits, _ = real_digits()
    PICK.set(int(random_generator().integers(len(digits))))
    SOURCE.set("mnist")


def _real_reading(model: Sequential) -> Reading:
    digits, where = real_digits()
    i = PICK.get() % len(digits)
    prediction = classify_image(digits.images[i], model)
    note = (
        f"A real MNIST digit, labelled **{int(digits.y[i])}** (#{i:,} of {where}). "
        "It is already centred, so the model sees it as stored. Draw to go back to yours."
    )
    return Reading(prediction, "mnist", note, title=f"MNIST digit #{i:,}")


def _upload_reading(upload, model: Sequential) -> Reading:
    name = plain(upload.name)
    if upload.size > limits.IMAGE_BYTES:
        error = (
            f"**{name}** is {upload.size / limits.MB:.1f} MB, too large: upload an image of at "
            f"most {limits.IMAGE_BYTES // limits.MB} MB (a photo of one digit needs far less)."
        )
        return Reading(None, "upload", error=error)
    try:
        stages = upload_stages(upload.getvalue())
    except DatasetError as err:
        return Reading(None, "upload", error=f"**{name}**: {plain(err, 400)}")
    prediction = digit_prediction(model, stages.centred, stages)
    return Reading(prediction, "upload", f"Your image **{name}**.", title="your image (its ink)")


@guarded("the answer", K)
def prediction_view(reading: Reading, threshold: float) -> None:
    """The answer (or a hint / an error), the ten probabilities."""
    if reading.error:
        st.error(reading.error, icon=":material/image_not_supported:")
    p = reading.prediction
    if p is None:
        if not reading.error:
            st.info(
                "Draw a digit in the black square: the model answers each time you lift the "
                "pen. Or show it a real MNIST digit, or upload a photo.",
                icon=":material/draw:",
            )
        return
    probabilities = p.probabilities
    second = int(probabilities.argsort()[-2])
    sure = p.confidence >= threshold
    runner_up = f"or {second} ({probabilities[second]:.0%})"
    with st.container(key=K.css("answer"), horizontal=True, vertical_alignment="center"):
        st.metric(
            "The model says",
            str(p.label) if sure else f"{p.label}?",
            f"{p.confidence:.1%} sure" if sure else f"not sure: {p.confidence:.0%} {runner_up}",
            delta_color="blue" if sure else "orange",
            delta_arrow="off",
            width="content",
        )
        if reading.note:
            st.markdown(reading.note)
    figure = probabilities_figure(probabilities, threshold=threshold)
    st.plotly_chart(figure, key=K("probabilities"), config=theme.PLOTLY_CONFIG)


@guarded("what the model sees", K)
def stages_view(reading: Reading) -> None:
    """Raw → cropped → 20 px → centred: what the model sees."""
    if reading.prediction is None:
        return
    st.plotly_chart(
        stages_figure(reading.prediction.stages, reading.raw, reading.title),
        key=K("stages"),
        config=theme.PLOTLY_CONFIG,
    )
