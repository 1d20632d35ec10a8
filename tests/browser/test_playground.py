"""The Playground in Debian's chromium against a real `streamlit run app.py`."""

from __future__ import annotations

import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from nnviz.ui import PAGES
from tests.browser.helpers import (
    click,
    exception_count,
    metric_number,
    wait_for_idle,
    wait_for_metric,
    widget,
)


def open_playground(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    wait_for_idle(page)


def pause(page) -> bool:
    """Click Pause once; True when the button says Play again (the run is paused)."""
    click(page, "pg.play")
    try:
        widget(page, "pg.play").locator("button", has_text="Play").wait_for(timeout=10_000)
    except PlaywrightTimeout:
        return False
    return True


def test_play_trains_live_in_the_browser(app_server, page, screenshot):
    page.goto(app_server.url)
    page.get_by_role("link", name="Open Playground").click()
    page.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    wait_for_idle(page)
    assert metric_number(page, "Step") == 0

    widget(page, "pg.play").locator("button").click()
    steps = wait_for_metric(page, "Step", lambda n: n >= 50)
    assert steps >= 50, f"the step counter only reached {steps}"
    assert exception_count(page) == 0
    screenshot(page, "playground-playing")

    assert "Pause" in widget(page, "pg.play").inner_text()
    assert pause(page), "Pause did not stop the run"
    # a tick already in flight may still land; once the button says Play and the app is idle,
    # the paused timer must not fire again
    wait_for_idle(page)
    time.sleep(1.0)
    wait_for_idle(page)
    paused = metric_number(page, "Step")
    time.sleep(2.0)
    assert metric_number(page, "Step") == paused
    assert exception_count(page) == 0


def test_a_deep_link_is_the_first_request_of_a_fresh_server(fresh_server, page, screenshot):
    open_playground(page, fresh_server.url + "/playground?dataset=moons&hidden=6")
    assert exception_count(page) == 0
    links = page.locator('[data-testid="stTopNavLink"] [data-testid="stMarkdownContainer"]')
    assert links.all_inner_texts() == [p.title for p in PAGES]  # not legacy "app, home, …"
    click(page, "pg.step")  # the click's run may not have started yet: poll for its result
    assert wait_for_metric(page, "Step", lambda n: n >= 1) == 1
    wait_for_idle(page)
    # the settings from the link survived the first click (state of the first run is kept)
    assert page.get_by_role("combobox", name="Dataset").input_value() == "Moons"
    assert "hidden=6" in page.url and "dataset=moons" in page.url
    assert exception_count(page) == 0
    screenshot(page, "playground-deep-link")


def test_two_tabs_train_independently(app_server, browser_context):
    first, second = browser_context.new_page(), browser_context.new_page()
    try:
        open_playground(first, app_server.url + "/playground")
        open_playground(second, app_server.url + "/playground?dataset=xor")
        click(first, "pg.epoch")
        assert wait_for_metric(first, "Epoch", lambda n: n >= 1) == 1
        second.reload()
        second.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        wait_for_idle(second)
        assert metric_number(first, "Epoch") == 1
        assert metric_number(second, "Step") == 0
    finally:
        first.close()
        second.close()
