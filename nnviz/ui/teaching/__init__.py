"""The teaching pages' pieces (Step through the math, Compare runs, Classroom, the Export
panel): `from nnviz.ui import teaching as ui` in a page."""

from nnviz.ui.app import setup_page
from nnviz.ui.teaching.classroom import (
    lesson_card,
    lesson_picker,
    mnist_settings,
    share_lesson,
    sync_lesson_url,
)
from nnviz.ui.teaching.compare import compare_live, compare_setup, compare_toolbar
from nnviz.ui.teaching.export import export_panel
from nnviz.ui.teaching.math_panel import network_view, step_status, step_view
from nnviz.ui.teaching.math_sidebar import math_network, math_toolbar
