import streamlit as st

from nnviz import ui

ui.setup_page()

st.title("nnviz: watch a neural network learn", anchor=False)
st.markdown(
    "A neural network written from scratch in NumPy, drawn live. Every number you see comes "
    "from the same few lines a textbook uses: a forward pass, a loss, its gradient, one "
    "update. Pick a page, press **Play**, change one thing, and see what it does."
)
ui.page_cards()
st.caption(
    "Everything runs on this server; a link to any run reproduces it exactly, "
    "so you can hand a class the same starting point."
)
