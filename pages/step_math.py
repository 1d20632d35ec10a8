import streamlit as st

from nnviz.ui import teaching as ui

ui.setup_page()

run = ui.math_network()

left, right = st.columns([1.5, 1], gap="large")
with left:
    ui.math_toolbar(run)
    inspection = ui.step_status(run)
with right:
    ui.network_view(run)
if inspection is not None:
    ui.step_view(run, inspection)
ui.export_panel(run, key="math.export")
