import streamlit as st

from nnviz.ui import classes
from nnviz.ui import digits as ui

ui.setup_page()

settings = ui.draw_settings()

canvas_column, answer_column = st.columns([1, 1.6], gap="large")
with canvas_column:
    reading = ui.digit_input(settings)
with answer_column:
    ui.prediction_view(reading, settings.threshold)
    classes.add_to_class_set(reading.prediction, reading.source)
ui.stages_view(reading)
ui.feature_maps_view(reading, settings)
ui.digit_details(reading, settings)
ui.mnist_credit()
