import streamlit as st

from nnviz.ui import classes, teaching
from nnviz.ui import playground as ui

ui.setup_page()

config = ui.playground_controls(ui.config_from_url())
ui.sync_url(config)

st.title("Playground", anchor=False)
run = ui.current_run(config)
if run is not None:
    ui.toolbar()
    classes.hand_in_run([run])
    ui.live_panel()
    teaching.export_panel(run)
