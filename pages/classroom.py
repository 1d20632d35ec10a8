import streamlit as st

from nnviz import ui

ui.setup_page()

st.title("Classroom", anchor=False)
st.caption(
    "Classic tutorials, replayed step by step. Pick a lesson, read what to watch, press Play — "
    "and share the lesson's link so every student starts from the same point."
)
preset = ui.lesson_picker()
config = None
if preset.config is not None:
    config = ui.playground_controls(ui.CONFIG.get())
    ui.CONFIG.set(config)
else:
    ui.mnist_settings(preset)
ui.sync_lesson_url(preset, config)
ui.lesson_card(preset)

if config is not None:
    if ui.current_run(config) is not None:
        ui.toolbar()
        ui.live_panel()
else:
    splits = ui.mnist_or_download()
    if splits is not None:
        run = ui.training_toolbar(preset.mnist, splits)
        ui.training_live()
        ui.learned_panel(run)
ui.share_lesson(preset, config.hide if config is not None else ())
