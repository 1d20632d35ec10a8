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
from nnviz.ui.widgets import download, guarded, seeded

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
    steps = _how_long(
        f"Steps to train (0 = as many as this run: {run.steps:,})",
        key + ".steps",
        "The script trains this many mini-batch steps and prints the loss on the way.",
        step=100,
    )
    steps = steps or run.steps or DEFAULT_STEPS
    code = numpy_script(run.config, steps, run.dataset)
    st.caption(
        f"A standalone script that needs only NumPy. It trains {steps:,} steps from this run's "
        "data, starting weights and batch order, and its last line prints `final_loss=…`: the "
        "training loss nnviz shows at that step (plus the L2 penalty, if any)."
    )
    _script(code, "nnviz_run.py", key + ".numpy_file")


def _keras(run: Run, key: str) -> None:
    epochs = _how_long(
        f"Epochs (0 = as many as this run: {run.trainer.epoch:,})",
        key + ".epochs",
        "One epoch is one pass over all the training points.",
        step=10,
    )
    epochs = epochs or run.trainer.epoch or DEFAULT_EPOCHS
    code = keras_script(run.config, epochs, run.dataset)
    st.caption(
        "The same network, loss, optimizer and batch size in the words most courses use "
        "(`Sequential`, `Dense`, `compile`, `fit`). Keras draws its own starting weights and "
        "batches, so its numbers differ from nnviz's: the setup is the same, not the run."
    )
    _script(code, "nnviz_keras.py", key + ".keras_file")


def _how_long(label: str, key: str, help: str, step: int) -> int:
    """How long the exported script trains; 0 means as long as this run has."""
    column = st.columns([1, 2])[0]
    return int(column.number_input(label, 0, 1_000_000, step=step, key=seeded(key, 0), help=help))


def _script(code: str, name: str, key: str) -> None:
    download(f"Download {name}", code, name, key, mime="text/x-python")
    st.code(code, language="python", line_numbers=True, height=420)


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
        download(
            "Download history (.csv)",
            lambda: history_frame(run).to_csv(index=False),
            "nnviz_history.csv",
            key + ".csv",
            mime="text/csv",
            icon=":material/table_view:",
        )
    with right:
        st.markdown("**The model**")
        st.caption("The weights as `.npz` (NumPy arrays plus a JSON record of the layers).")
        metadata = {"config": run.config.to_query(), "steps": run.steps}
        download(
            "Download model (.npz)",
            lambda: model_bytes(run.trainer.model, metadata),
            "nnviz_model.npz",
            key + ".npz",
            icon=":material/deployed_code:",
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
