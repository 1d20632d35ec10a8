import streamlit as st

from nnviz import ui

ui.setup_page()

config = ui.playground_controls(ui.config_from_url())
ui.sync_url(config)

st.title("Playground", anchor=False)
run = ui.current_run(config)
if run is not None:
    ui.toolbar()
    ui.live_panel()
    ui.export_panel(run)
