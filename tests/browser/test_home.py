"""Home in a real browser: it renders, and every card links to its page."""

from __future__ import annotations

from nnviz.ui import PAGES
from tests.browser.helpers import exception_count, wait_for_idle


def test_home_shows_a_card_per_page(app_server, page, screenshot):
    page.goto(app_server.url)
    page.get_by_text("watch a neural network learn").first.wait_for(timeout=60_000)
    wait_for_idle(page)
    for info in PAGES:
        if not info.default:
            link = page.get_by_role("link", name=f"Open {info.title}", exact=True)
            link.wait_for(timeout=30_000)
            assert link.count() == 1
    assert exception_count(page) == 0
    screenshot(page, "home")
