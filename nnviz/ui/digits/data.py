"""What the two MNIST pages share: the data, read once per server, or a way to get it."""

from __future__ import annotations

import numpy as np
import streamlit as st

from nnviz.datasets import DatasetError, ImageDataset, load_mnist
from nnviz.datasets.mnist import (
    MNIST_CREDIT,
    MNIST_FILES,
    default_cache_dir,
    fetch_mnist,
    find_mnist,
)
from nnviz.digits import load_digit_sample
from nnviz.ui.digits.state import DOWNLOAD, MNIST, RNG
from nnviz.ui.widgets import guarded, plain

Splits = tuple[ImageDataset, ImageDataset]


@st.cache_resource(show_spinner="Reading MNIST…")
def _read_mnist(folder: str) -> Splits:
    return load_mnist(folder)


def mnist_splits() -> Splits | None:
    """MNIST `(train, test)` if it is on this machine and readable, else None (nothing is
    downloaded here)."""
    return _mnist()[0]


def _mnist() -> tuple[Splits | None, str | None]:
    """`(splits, None)`; `(None, None)` when MNIST is not here; `(None, why)` when its files
    are here but broken (truncated, corrupted), so the page can say so instead of failing."""
    folder = find_mnist()
    if folder is None:
        return None, None
    try:
        return _read_mnist(str(folder)), None
    except DatasetError as err:
        return None, f"The MNIST files in `{folder}` cannot be read: {plain(err, 400)}"


def real_digits() -> tuple[ImageDataset, str]:
    """Real test digits to show: all of MNIST's if present, else the shipped sample."""
    splits = mnist_splits()
    if splits is not None:
        return splits[1], "MNIST test set"
    return load_digit_sample(), "the sample of 500 MNIST test digits shipped with nnviz"


@guarded("the MNIST data", MNIST)
def mnist_or_download() -> Splits | None:
    """The splits, or an explanation and a Download button (with a progress bar) when MNIST
    is not here; offline, the error says how to provide the files by hand."""
    splits, problem = _mnist()
    if splits is not None:
        return splits
    if problem:
        st.error(
            f"{problem}. Remove or replace those files (or point `NNVIZ_DATA_DIR` elsewhere), "
            "then download them again below.",
            icon=":material/broken_image:",
        )
    with st.container(border=True, key=MNIST.css("missing")):
        st.markdown(
            "**MNIST is not on this machine yet.** The 70,000 digits are four files, 11 MB in "
            f"all, downloaded once into `{default_cache_dir()}` and checked against their "
            "published hashes."
        )
        st.caption(
            "No network here? Copy the four files ("
            + ", ".join(f"`{name}`" for name in MNIST_FILES)
            + ") into a folder and start the app with `NNVIZ_DATA_DIR` set to that folder."
        )
        st.button(
            "Download MNIST",
            key=MNIST("download"),
            icon=":material/download:",
            on_click=DOWNLOAD.set,
            args=(True,),
        )
        if DOWNLOAD.get():
            DOWNLOAD.set(False)
            _download()
    return None


def _download() -> None:
    bar = st.progress(0.0, text="Connecting…")
    shown = [-1]

    def progress(done: int, total: int | None, message: str) -> None:
        share = done / total if total else 0.0
        if int(share * 50) != shown[0]:  # at most ~50 updates per file
            shown[0] = int(share * 50)
            bar.progress(min(share, 1.0), text=message)

    try:
        fetch_mnist(progress=progress)
    except DatasetError as err:
        bar.empty()
        st.error(str(err), icon=":material/cloud_off:")
        return
    st.rerun()


def random_generator() -> np.random.Generator:
    """This session's generator for picks the user asks to be random (a new digit, a shuffle)."""
    return RNG.get()


def mnist_credit() -> None:
    """The data's credit, due wherever MNIST or a model trained on it is shown (CC BY-SA 3.0)."""
    st.caption(f"{MNIST_CREDIT}.")
