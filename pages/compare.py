import streamlit as st

from nnviz.ui import classes
from nnviz.ui import teaching as ui

ui.setup_page()

comparison, experiment = ui.compare_setup()

st.title("Compare runs", anchor=False)
st.caption(
    "Two or three networks train side by side on the same points from the same seed; only the "
    "setting under comparison differs. Pause or step any of them on its own."
)
with st.container(border=True, key="cmp_question"):
    st.markdown(f"**{experiment.question}** {experiment.watch}")
if comparison is not None:
    ui.compare_toolbar()
    classes.hand_in_run(comparison.runs, comparison.labels)
    ui.compare_live()
