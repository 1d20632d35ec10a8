"""Tampered links and bad uploads in a real browser: a message on the page, never a traceback."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import exception_count, wait_for_idle

LINKS = [
    "/playground?dropout=0.9",
    "/playground?seed=10000000&stop_epochs=10000000&stop_loss=1000000",
    "/playground?%5BClick%20here%20for%20answers%5D(https%3A%2F%2Fevil.example%2F)=1",
    "/playground?!%5Bx%5D(https%3A%2F%2Fevil.example%2Fx.png)=1",
    "/classroom?dropout=0.9",
    "/classroom?preset=nope&hide=everything",
    "/compare?seed=-1",
]


def _png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("link", LINKS)
def test_a_tampered_link_gets_a_notice_not_a_traceback(app_server, page, link):
    page.goto(app_server.url + link)
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
    wait_for_idle(page)
    assert exception_count(page) == 0
    assert page.locator('a[href*="evil.example"], img[src*="evil.example"]').count() == 0
    page.locator('[data-testid="stTopNavLink"]').first.click()  # Home, and back
    wait_for_idle(page)
    page.go_back()
    wait_for_idle(page)
    assert exception_count(page) == 0


CSV, PICTURE = ("/playground?dataset=csv", "pg-csv"), ("/draw_digit", "dr-upload")


@pytest.mark.parametrize(
    "where, name, content, message",
    [
        (CSV, "nul.csv", b"x1,x2,y\n" + b"\0" * 1_000_000, "longer than"),
        (
            CSV,
            "labels.csv",
            b"x1,x2,y\n" + b"".join(b"0,0,l%d\n" % i for i in range(5000)),
            "classes",
        ),
        (CSV, "semi.csv", b"x1;x2;label\n1;2;0\n", "columns"),
        (PICTURE, "white.png", _png(np.full((64, 64), 255, np.uint8)), "no digit stands out"),
        (PICTURE, "dot.png", _png(np.zeros((1, 1), np.uint8)), "too small"),
        (PICTURE, "notes.txt", b"hello", "not an image"),
    ],
)
def test_a_bad_upload_gets_its_message(app_server, page, where, name, content, message):
    link, key = where
    page.goto(app_server.url + link)
    wait_for_idle(page)
    chooser = page.locator(f".st-key-{key} input[type=file]")
    chooser.set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )
    expect(page.locator('[data-testid="stAlertContentError"]').first).to_contain_text(
        message, timeout=60_000
    )
    wait_for_idle(page)
    assert exception_count(page) == 0
