"""The app: its pages as data, the router, and the one setup call every page makes.

A new page is one `PageInfo` entry in `PAGES` (and its file under `pages/`): the router and
the Home cards both read this list. A page appears here only once it works.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from threadpoolctl import threadpool_limits

from nnviz.ui.widgets import report_failure

THUMBNAILS = Path(__file__).parent / "thumbnails"
_ROUTED = "app:routed"  # the title of the page the router is about to run


@dataclass(frozen=True)
class PageInfo:
    """One page. `path` is relative to the folder of `app.py`; `thumbnail` is a file name in
    `nnviz/ui/thumbnails/` (or None); `question` is what the page answers, for its card.
    With an `intro`, `setup_page` heads the page with its title and that line; a page
    without one draws its own heading."""

    path: str
    title: str
    icon: str
    question: str
    summary: str
    thumbnail: str | None = None
    default: bool = False
    intro: str = ""

    @property
    def thumbnail_path(self) -> Path | None:
        path = THUMBNAILS / self.thumbnail if self.thumbnail else None
        return path if path is not None and path.exists() else None


PAGES: list[PageInfo] = [
    PageInfo(
        "pages/home.py",
        "Home",
        ":material/home:",
        "What is nnviz?",
        "An overview of the pages.",
        default=True,
    ),
    PageInfo(
        "pages/playground.py",
        "Playground",
        ":material/scatter_plot:",
        "How does a small network carve up the plane?",
        "Pick a 2-D dataset, shape a network, press Play, and watch the decision boundary, "
        "every neuron, the weights and the gradients change step by step.",
        thumbnail="playground.png",
    ),
    PageInfo(
        "pages/train_mnist.py",
        "Train on MNIST",
        ":material/model_training:",
        "How does a network learn to read handwriting?",
        "Train a network on 70,000 real handwritten digits and watch the loss and accuracy "
        "live; then see its first-layer weights, its confusion matrix and the digits it gets "
        "wrong.",
        thumbnail="train_mnist.png",
        intro=(
            "A network learns to read handwritten digits: 28×28 pixels in, ten scores out. Watch "
            "the loss fall and the test accuracy climb, then look at what the first layer learned"
            " and which digits still fool it."
        ),
    ),
    PageInfo(
        "pages/draw_digit.py",
        "Draw a digit",
        ":material/draw:",
        "What does the network see when you draw?",
        "Draw a digit and see the 28×28 image the model reads, its ten probabilities, a "
        "saliency map of why, and teach it your handwriting when it is wrong.",
        thumbnail="draw_digit.png",
        intro=(
            "Draw a digit with the mouse (or a finger) and see what an MNIST network makes of it:"
            " the 28×28 image it really sees, its ten probabilities, and why."
        ),
    ),
    PageInfo(
        "pages/step_math.py",
        "Step through the math",
        ":material/function:",
        "What exactly happens in one training step?",
        "One forward pass, one backward pass, one update — every matrix with its real numbers "
        "under the textbook's equation, and a check of backprop against finite differences.",
        thumbnail="step_math.png",
        intro=(
            "One press of **Step** is one forward pass, one backward pass and one update: every "
            "matrix of it with its real numbers, the equation above it, and a check that backprop"
            " is right."
        ),
    ),
    PageInfo(
        "pages/compare.py",
        "Compare runs",
        ":material/compare:",
        "What difference does one setting make?",
        "Two or three networks train side by side on the same points from the same seed — "
        "sigmoid vs ReLU, SGD vs Adam, ×0.01 vs Xavier weights — with their curves overlaid.",
        thumbnail="compare.png",
        intro=(
            "Two or three networks train side by side on the same points from the same seed; only"
            " the setting under comparison differs. Pause or step any of them on its own."
        ),
    ),
    PageInfo(
        "pages/classroom.py",
        "Classroom",
        ":material/school:",
        "How do the classic tutorials look when you can watch them?",
        "Ready-made lessons — a single neuron, XOR that stalls and XOR that learns, MNIST with "
        "gradient descent and with Adam — each with what to watch and a link for the class.",
        thumbnail="classroom.png",
        intro=(
            "Classic tutorials, replayed step by step. Pick a lesson, read what to watch, press "
            "Play — and share the lesson's link so every student starts from the same point."
        ),
    ),
    PageInfo(
        "pages/class.py",
        "Class",
        ":material/groups:",
        "What does a whole class learn together?",
        "Start a class: students join with a code or a QR code and a nickname, add their "
        "handwriting to the class set and hand in their runs; you watch it arrive live, see how "
        "well the model reads your class, and rank the runs.",
        thumbnail="class.png",
    ),
]


def navigation(root: Path | None = None):
    """Declare the pages to Streamlit (top bar) and return the page to run.

    `root` is the folder of `app.py`; without it the paths are taken relative to the
    entrypoint, which is what `st.Page` does with a relative path.
    """
    pages = [
        st.Page(
            str(root / p.path) if root else p.path, title=p.title, icon=p.icon, default=p.default
        )
        for p in PAGES
    ]
    return st.navigation(pages, position="top")


def run_app(root: Path) -> None:
    """The whole of `app.py`: configure, route, run the chosen page."""
    _configure()
    page = navigation(root)
    st.session_state[_ROUTED] = page.title
    try:
        page.run()
    except Exception as err:  # the net under the pages' own messages: never a traceback
        report_failure("this page", err, st.session_state.clear, "app.reset_after_error")


def setup_page() -> None:
    """First call of every page; safe to repeat. Shows the class banner of a session in a class.

    With a `pages/` folder beside `app.py`, the first request after a server start that deep
    links to a page (say `/playground`) runs that page file alone, in Streamlit's legacy
    multipage mode. Declaring the real navigation switches the server to `st.navigation` for
    good, and the immediate rerun then goes through `app.py` like every later run (widgets
    created in the legacy run would otherwise lose their state on the next click).
    """
    title = st.session_state.pop(_ROUTED, None)
    if title is None:
        navigation()
        st.rerun()
    info = next((p for p in PAGES if p.title == title), None)
    if info is not None and info.intro:
        st.title(info.title, anchor=False)
        st.caption(info.intro)
    from nnviz.ui.classes.banner import class_banner  # here: nnviz.ui.classes imports this module

    class_banner()


@st.cache_resource(show_spinner=False)
def _one_blas_thread() -> threadpool_limits:
    """Once per server: BLAS runs on one thread.

    Sessions already run in threads of their own, and next to a browser on a small machine
    BLAS's extra threads spin against everything else: measured on 2 cores, a Train-page
    MNIST epoch took 4–7× the core's time with the default threads and 1.8× with one.
    """
    return threadpool_limits(limits=1, user_api="blas")


def _configure() -> None:
    _one_blas_thread()
    st.set_page_config(
        page_icon=":material/hub:",
        layout="wide",
        initial_sidebar_state="expanded",
        menu_items={"About": "nnviz: watch a neural network learn. NumPy core, Streamlit app."},
    )
    st.html(_CSS)


_CSS = """<style>
.block-container {padding-top: 3.4rem; padding-bottom: 1rem; max-width: 1700px;}
h1 {font-size: 2.1rem !important; padding-top: .2rem !important;}
[data-testid="stSidebarContent"] h3 {margin-top: .4rem; font-size: 1.05rem;}
[data-testid="stMetricValue"] {font-size: 1.55rem; font-variant-numeric: tabular-nums;}
[data-testid="stMetricLabel"] p {font-size: .85rem; color: #6b7785;}
.st-key-pg_toolbar button {font-weight: 600;}
[data-testid="stAppDeployButton"] {display: none;}
.st-key-pg_live [data-stale="true"] {opacity: 1 !important; transition: none !important;}
.st-key-cls_tab_memory {display: none;}
</style>"""
