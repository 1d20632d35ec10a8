"""The Playground page's pieces: `from nnviz.ui import playground as ui` in a page."""

from nnviz.ui.app import setup_page
from nnviz.ui.playground.panel import current_run, live_panel, toolbar
from nnviz.ui.playground.sidebar import playground_controls
from nnviz.ui.playground.state import CONFIG, config_from_url, sync_url
