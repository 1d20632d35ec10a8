"""Export a run: "Show the code" (NumPy and Keras), the training history, the model, the charts.

The expander draws its content only while open (it reruns the page when toggled), so a closed
panel costs the Playground nothing. Downloads are produced when clicked.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nnviz.core import model_bytes
from nnviz.playground import Run
from nnviz.teaching import keras_script, numpy_script
from nnviz.ui.playground.figures import playground_figures
from nnviz.ui.teaching.state import EXPORT
from nnviz.ui.widgets import guarded, seeded

TABS = ("NumPy script", "Keras code", "History, model, charts")
DEFAULT_STEPS, DEFAULT_EPOCHS = 1000, 100
PNG_CONFIG = {
    "displayModeBar": True,
    "displaylogo": False,
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


@guarded("the export panel", EXPORT)
def export_panel(run: Run | None, key: str = "export") -> None:
    """The "Export" expander for `run` (nothing while there is no run)."""
    if run is None:
        return
    with st.expander(
        "Export: the code, the data, the model",
        icon=":material/download:",
        key=key + ".open",
        on_change="rerun",
    ) as box:
        if not box.open:
            return
        tabs = st.tabs(TABS, key=key + ".tab", on_change="rerun")
        views = (_numpy, _keras, _files)
        for tab, view in zip(tabs, views, strict=True):
            if tab.open:
                with tab:
                    view(run, key)


def _numpy(run: Run, key: str) -> None:
    asked = st.columns([1, 2])[0].number_input(
        f"Steps to train (0 = as many as this run: {run.steps:,})",
        0,
        1_000_000,
        step=100,
        key=seeded(key + ".steps", 0),
        help="The script trains this many mini-batch steps and prints the loss on the way.",
    )
    steps = int(asked) or run.steps or DEFAULT_STEPS
    code = numpy_script(run.config, steps, run.dataset)
    st.caption(
        f"A standalone script that needs only NumPy. It trains {steps:,} steps from this run's "
        "data, starting weights and batch order, and its last line prints `final_loss=…`: the "
        "training loss nnviz shows at that step (plus the L2 penalty, if any)."
    )
    _download(code, "nnviz_run.py", "text/x-python", key + ".numpy_file")
    st.code(code, language="python", line_numbers=True, height=420)


def _keras(run: Run, key: str) -> None:
    asked = st.columns([1, 2])[0].number_input(
        f"Epochs (0 = as many as this run: {run.trainer.epoch:,})",
        0,
        100_000,
        step=10,
        key=seeded(key + ".epochs", 0),
        help="One epoch is one pass over all the training points.",
    )
    epochs = int(asked) or run.trainer.epoch or DEFAULT_EPOCHS
    code = keras_script(run.config, epochs, run.dataset)
    st.caption(
        "The same network, loss, optimizer and batch size in the words most courses use "
        "(`Sequential`, `Dense`, `compile`, `fit`). Keras draws its own starting weights and "
        "batches, so its numbers differ from nnviz's: the setup is the same, not the run."
    )
    _download(code, "nnviz_keras.py", "text/x-python", key + ".keras_file")
    st.code(code, language="python", line_numbers=True, height=420)


def _download(text: str, name: str, mime: str, key: str) -> None:
    st.download_button(
        f"Download {name}",
        data=text,
        file_name=name,
        mime=mime,
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


def history_frame(run: Run) -> pd.DataFrame:
    """The recorded curves as a table: one row per recorded frame."""
    h = run.history
    return pd.DataFrame(
        {
            "step": h.steps,
            "epoch": h.epochs,
            "train_loss": h.train_loss,
            "test_loss": h.test_loss,
            "train_accuracy": h.train_accuracy,
            "test_accuracy": h.test_accuracy,
        }
    )


def _files(run: Run, key: str) -> None:
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Training history**")
        st.caption("Loss and accuracy at every recorded step, as CSV (opens in any spreadsheet).")
        st.download_button(
            "Download history (.csv)",
            data=lambda: history_frame(run).to_csv(index=False),
            file_name="nnviz_history.csv",
            mime="text/csv",
            icon=":material/table_view:",
            key=key + ".csv",
            on_click="ignore",
        )
    with right:
        st.markdown("**The model**")
        st.caption("The weights as `.npz` (NumPy arrays plus a JSON record of the layers).")
        metadata = {"config": run.config.to_query(), "steps": run.steps}
        st.download_button(
            "Download model (.npz)",
            data=lambda: model_bytes(run.trainer.model, metadata),
            file_name="nnviz_model.npz",
            mime="application/octet-stream",
            icon=":material/deployed_code:",
            key=key + ".npz",
            on_click="ignore",
        )
    st.markdown("**Charts as PNG**")
    st.caption(
        "These are the run's charts as of now. Hover one and press the camera icon in its "
        "corner: that is plotly's own export, it saves a PNG at twice the screen resolution."
    )
    figures = playground_figures(run, views=())
    for name, figure in figures.items():
        options = {**PNG_CONFIG["toImageButtonOptions"], "filename": f"nnviz-{name}"}
        config = {**PNG_CONFIG, "toImageButtonOptions": options}
        st.plotly_chart(figure, key=f"{key}.png.{name}", config=config)
