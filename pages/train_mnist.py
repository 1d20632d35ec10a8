import streamlit as st

from nnviz.ui import digits as ui

ui.setup_page()

config = ui.mnist_controls()

splits = ui.mnist_or_download()
if splits is not None:
    run = ui.training_toolbar(config, splits)
    ui.training_live()
    st.subheader("What it learned", anchor=False)
    ui.learned_panel(run)
st.subheader("Model file", anchor=False)
ui.model_files(ui.RUN.get())
ui.mnist_credit()
