"""Step through the math in Debian's chromium: one press draws the step's matrices, no errors."""

from __future__ import annotations

import re

from tests.browser.helpers import exception_count, metric_value, wait_for_idle

STEP = re.compile(r"^Step(\s|$)")


def test_a_step_draws_the_matrices_in_the_browser(app_server, page, screenshot):
    page.goto(app_server.url + "/step_math")
    button = page.get_by_role("button", name=STEP).first
    button.wait_for(timeout=60_000)
    wait_for_idle(page)
    button.click()
    page.get_by_text("Rows are samples.").wait_for(timeout=60_000)
    wait_for_idle(page)
    assert metric_value(page, "Step") == "1"
    equations = page.locator(".katex")
    equations.first.wait_for(timeout=30_000)
    assert equations.count() >= 2  # one per layer of the forward pass
    heatmaps = page.locator(".js-plotly-plot .heatmaplayer")
    heatmaps.nth(4).wait_for(timeout=30_000)  # the five matrices of layer 1, drawn by plotly
    assert exception_count(page) == 0
    screenshot(page, "step-math", full_page=True)
