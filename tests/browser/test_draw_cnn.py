"""The hard drawings in a real browser: an open-top 4 and a figure-eight 8 drawn with the mouse,
read by the shipped CNN (the default model), with its feature maps on the page."""

from __future__ import annotations

import math

from playwright.sync_api import expect

from tests.browser.helpers import exception_count, stroke, wait_for_idle
from tests.browser.test_draw import ANSWER, _open_canvas


def _line(a: tuple[float, float], b: tuple[float, float], n: int = 12) -> list[tuple[float, float]]:
    return [(a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(n + 1)]


# An open-top 4 with a low bar and a short stem (the shipped MLP is only 69 % sure of it), and a
# skinny figure-eight 8 in one stroke (the MLP reads it as a 1).
OPEN_FOUR = [
    _line((122, 30), (59, 206)) + _line((59, 206), (221, 206))[1:],
    _line((167, 140), (167, 250)),
]
TURNS = [2 * math.pi * i / 48 for i in range(50)]
# (No stroke starts in the canvas's top 35 px right of centre: the element toolbar's hover zone.)
FIGURE_EIGHT = [[(140 + 20 * math.sin(2 * t), 145 - 100 * math.cos(t)) for t in TURNS]]


def _clear(page):
    page.locator(".st-key-dr-clear button").click()
    expect(page.get_by_text("Draw a digit in the black square")).to_be_visible(timeout=30_000)
    wait_for_idle(page)
    canvas = page.locator("canvas").last
    expect(canvas).to_be_visible()
    return canvas


def _show_feature_maps(page, screenshot, name: str) -> None:
    """Scroll to the filters and feature maps (one chart per conv layer, and the filters).
    Last thing on the page: a canvas mounted on a scrolled page takes strokes in the wrong place."""
    caption = page.get_by_text("answer at every place")
    expect(caption).to_be_attached(timeout=30_000)
    caption.scroll_into_view_if_needed()
    expect(caption).to_be_visible(timeout=30_000)
    wait_for_idle(page)
    screenshot(page, name)


def test_the_cnn_reads_an_open_four_and_a_figure_eight_and_shows_its_feature_maps(
    app_server, page, screenshot
):
    canvas = _open_canvas(page, app_server.url)
    for points in OPEN_FOUR:
        stroke(page, canvas, points)
    expect(page.locator(ANSWER)).to_have_text("4", timeout=30_000)
    expect(page.get_by_text("What the filters see")).to_be_visible(timeout=30_000)
    wait_for_idle(page)
    screenshot(page, "cnn_open_four")

    canvas = _clear(page)
    for points in FIGURE_EIGHT:
        stroke(page, canvas, points)
    expect(page.locator(ANSWER)).to_have_text("8", timeout=30_000)
    wait_for_idle(page)
    screenshot(page, "cnn_figure_eight")
    _show_feature_maps(page, screenshot, "cnn_feature_maps_eight")
    assert exception_count(page) == 0
