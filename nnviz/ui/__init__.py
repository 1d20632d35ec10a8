"""The Streamlit layer, the only package that imports streamlit: pages, state, controls, panels.

Every page starts with `setup_page()`; the Playground's pieces are reusable by other pages.
"""

from nnviz.ui.cards import page_cards
from nnviz.ui.controls import playground_controls
from nnviz.ui.live import current_run, live_panel, status, toolbar
from nnviz.ui.pages import PAGES, PageInfo, navigation, run_app, setup_page
from nnviz.ui.session import (
    CONFIG,
    NOTICE,
    PLAYING,
    RUN,
    UPLOAD,
    Notice,
    SessionValue,
    config_from_url,
    sync_url,
)

__all__ = [
    "CONFIG",
    "NOTICE",
    "PAGES",
    "PLAYING",
    "RUN",
    "UPLOAD",
    "Notice",
    "PageInfo",
    "SessionValue",
    "config_from_url",
    "current_run",
    "live_panel",
    "navigation",
    "page_cards",
    "playground_controls",
    "run_app",
    "setup_page",
    "status",
    "sync_url",
    "toolbar",
]

# The MNIST pages: Train on MNIST, Draw a digit.
from nnviz.ui.draw_extras import digit_details
from nnviz.ui.draw_panel import digit_input, draw_settings, prediction_view, stages_view
from nnviz.ui.mnist import SESSION_MODEL, SessionModel, mnist_credit, mnist_or_download
from nnviz.ui.train_controls import mnist_controls, model_files
from nnviz.ui.train_panel import RUN as MNIST_RUN
from nnviz.ui.train_panel import learned_panel, training_live, training_toolbar

__all__ += [
    "MNIST_RUN",
    "SESSION_MODEL",
    "SessionModel",
    "digit_details",
    "digit_input",
    "draw_settings",
    "learned_panel",
    "mnist_controls",
    "mnist_credit",
    "mnist_or_download",
    "model_files",
    "prediction_view",
    "stages_view",
    "training_live",
    "training_toolbar",
]

# The teaching pages: Step through the math, Compare runs, Classroom; the Export panel.
from nnviz.ui.math_controls import math_network, math_toolbar  # noqa: E402
from nnviz.ui.math_panel import network_view, step_status, step_view  # noqa: E402

__all__ += ["math_network", "math_toolbar", "network_view", "step_status", "step_view"]
from nnviz.ui.compare_panel import compare_live, compare_setup, compare_toolbar  # noqa: E402

__all__ += ["compare_live", "compare_setup", "compare_toolbar"]
from nnviz.ui.export_panel import export_panel  # noqa: E402

__all__ += ["export_panel"]
from nnviz.ui.classroom import (  # noqa: E402
    lesson_card,
    lesson_picker,
    mnist_settings,
    share_lesson,
    sync_lesson_url,
)

__all__ += ["lesson_card", "lesson_picker", "mnist_settings", "share_lesson", "sync_lesson_url"]
