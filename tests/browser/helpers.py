"""Driving a running Streamlit page from playwright: waits, metrics, exception boxes, strokes."""

from __future__ import annotations

import time

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def wait_for_idle(page, timeout_ms: float = 60_000) -> None:
    """Until the current script run has finished (Streamlit marks the app element)."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def metric_value(page, label: str) -> str:
    """The displayed value of the `st.metric` labelled `label`."""
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return metric.locator('[data-testid="stMetricValue"]').first.inner_text()


def metric_number(page, label: str) -> int:
    return int(metric_value(page, label).replace(",", ""))


def wait_for_metric(page, label: str, predicate, timeout_s: float = 60.0) -> int:
    """Poll the numeric metric `label` until `predicate(value)`; return the last value."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = metric_number(page, label)
        if predicate(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.25)


def exception_count(page) -> int:
    """Streamlit's red exception boxes on the page."""
    return page.locator('[data-testid="stException"]').count()


def widget(page, key: str):
    """The element of the widget with Streamlit key `key` (its container's CSS class)."""
    css_key = "".join(c if c.isalnum() or c in "-_" else "-" for c in key)
    return page.locator(f".st-key-{css_key}")


def click(page, key: str) -> None:
    """Click the button with Streamlit key `key` and wait for the run it starts."""
    widget(page, key).locator("button").first.click()
    wait_for_idle(page)


def stroke(page, canvas, points: list[tuple[float, float]]) -> None:
    """Press, move through `points` (canvas pixels), release: one stroke, as a hand draws it."""
    box = canvas.bounding_box()
    x0, y0 = box["x"], box["y"]
    page.mouse.move(x0 + points[0][0], y0 + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(x0 + x, y0 + y, steps=3)
    page.mouse.up()
