from nnviz.ui import classes, digits, playground
from nnviz.ui import teaching as ui

ui.setup_page()

preset = ui.lesson_picker()
config = None
if preset.config is not None:
    config = playground.playground_controls(playground.CONFIG.get())
    playground.CONFIG.set(config)
else:
    ui.mnist_settings(preset)
ui.sync_lesson_url(preset, config)
ui.lesson_card(preset)

if config is not None:
    if (run := playground.current_run(config)) is not None:
        playground.toolbar()
        classes.hand_in_run([run])
        playground.live_panel()
else:
    splits = digits.mnist_or_download()
    if splits is not None:
        run = digits.training_toolbar(preset.mnist, splits)
        digits.training_live()
        digits.learned_panel(run)
ui.share_lesson(preset, config.hide if config is not None else ())
