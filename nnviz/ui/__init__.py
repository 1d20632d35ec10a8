"""The Streamlit layer, the only package that imports streamlit.

`app` holds the page list and the router, `state` typed session slots, `player` the one live
loop, `widgets`, `charts` and `cards` shared pieces. Each feature has a subpackage
(`playground`, `digits`, `teaching`) whose `__init__` exports what its pages call.
"""

from nnviz.ui.app import PAGES, PageInfo, navigation, run_app, setup_page
from nnviz.ui.cards import page_cards

__all__ = ["PAGES", "PageInfo", "navigation", "page_cards", "run_app", "setup_page"]
