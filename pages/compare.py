import streamlit as st

from nnviz.ui import classes
from nnviz.ui import teaching as ui

ui.setup_page()

comparison, experiment = ui.compare_setup()

with st.container(border=True, key="cmp_question"):
    st.markdown(f"**{experiment.question}** {experiment.watch}")
if comparison is not None:
    ui.compare_toolbar()
    classes.hand_in_run(comparison.runs, comparison.labels)
    ui.compare_live()
