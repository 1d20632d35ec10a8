import streamlit as st

from nnviz.ui import digits as ui

ui.setup_page()

config = ui.mnist_controls()

st.title("Train on MNIST", anchor=False)
st.caption(
    "A network learns to read handwritten digits: 28×28 pixels in, ten scores out. Watch the "
    "loss fall and the test accuracy climb, then look at what the first layer learned and "
    "which digits still fool it."
)
splits = ui.mnist_or_download()
if splits is not None:
    run = ui.training_toolbar(config, splits)
    ui.training_live()
    st.subheader("What it learned", anchor=False)
    ui.learned_panel(run)
st.subheader("Model file", anchor=False)
ui.model_files(ui.RUN.get())
ui.mnist_credit()
