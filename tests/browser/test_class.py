"""A class in real browsers: the teacher starts it, a student in another browser joins by the
link, draws a digit into the class set and hands in a Playground run; the teacher's page shows
both without a reload, they survive a server restart, and deleting the class removes them."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import numpy as np
from playwright.sync_api import expect

from nnviz.classes import ClassStore
from nnviz.datasets import preprocess_drawing, sketch_digits
from nnviz.digits import load_digit_model
from nnviz.playground import Run, RunConfig
from nnviz.ui.classes.actions import run_link
from tests.browser.conftest import start_streamlit
from tests.browser.helpers import (
    click,
    exception_count,
    metric_value,
    stroke,
    wait_for_idle,
    wait_for_metric,
    widget,
)


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_idle(page)


def nav(page, title: str) -> None:
    """Go to another page by the top navigation (the session goes along)."""
    page.locator('[data-testid="stTopNavLink"]', has_text=title).first.click()
    wait_for_idle(page)


def wait_for_text(page, label: str, starts: str, timeout_s: float = 45.0) -> str:
    """Poll the metric `label` (no reload) until its value starts with `starts`."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = metric_value(page, label)
        if value.startswith(starts) or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def start_class(teacher, url: str) -> tuple[str, str]:
    open_page(teacher, url + "/class")
    click(teacher, "cls.start")
    expect(teacher.get_by_text("Scan to join")).to_be_visible(timeout=30_000)
    params = parse_qs(urlsplit(teacher.url).query)
    return params["class"][0], params["teacher"][0]


def join_by_link(student, link: str, nickname: str) -> None:
    open_page(student, link)
    student.get_by_role("textbox", name="Your nickname").fill(nickname)
    student.get_by_role("button", name="Join").click()
    expect(student.get_by_text(f"You are {nickname} in class")).to_be_visible(timeout=30_000)


def draw_and_add_a_one(student) -> None:
    nav(student, "Draw a digit")
    canvas = student.locator("canvas").last
    expect(canvas).to_be_visible(timeout=30_000)
    stroke(student, canvas, [(140, 40 + 10 * i) for i in range(21)])
    expect(student.locator('.st-key-dr_answer [data-testid="stMetricValue"]')).to_have_text(
        "1", timeout=30_000
    )
    wait_for_idle(student)
    widget(student, "cls.label").get_by_role("radio", name="1", exact=True).click()
    wait_for_idle(student)
    click(student, "cls.add")
    expect(student.get_by_text("Added your 1")).to_be_visible(timeout=30_000)


def hand_in_a_playground_run(student) -> None:
    nav(student, "Playground")
    student.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
    click(student, "pg.step")
    wait_for_metric(student, "Step", lambda n: n >= 1)
    wait_for_idle(student)
    click(student, "cls.hand_in")
    expect(student.get_by_text("Handed in: step 1")).to_be_visible(timeout=30_000)


def leaderboard_shows(teacher, nickname: str) -> None:
    board = teacher.locator('[data-testid="stDataFrame"]')
    expect(board).to_be_visible(timeout=45_000)
    expect(board.get_by_text(nickname, exact=True).first).to_be_attached(timeout=45_000)


def seed_a_busy_class(db: str, code: str) -> int:
    """Three more students with canvas-like sketches of every digit and a trained run each, so
    the teacher's screenshot shows a class at work; returns how many drawings were added."""
    store, model = ClassStore(db), load_digit_model()
    images, labels = sketch_digits(60, np.random.default_rng(7))
    configs = [
        RunConfig(dataset="moons", hidden=(4,)),
        RunConfig(dataset="circles", hidden=(6, 6)),
        RunConfig(dataset="spirals", hidden=(8, 8), activations=("relu", "relu")),
    ]
    for k, (name, config) in enumerate(zip(("ben", "chloé", "dev"), configs, strict=True)):
        store.join(code, name)
        for image, label in zip(images[k::3], labels[k::3], strict=True):
            x = preprocess_drawing(image)
            p = model.predict_proba(x)[0]
            store.add_drawing(code, name, x, int(label), int(p.argmax()), float(p.max()))
        run = Run(config)
        run.advance(300)
        h = run.history
        store.hand_in_run(
            code,
            name,
            run_link(run),
            steps=run.steps,
            train_loss=h.train_loss[-1],
            test_loss=h.test_loss[-1],
            train_accuracy=h.train_accuracy[-1],
            test_accuracy=h.test_accuracy[-1],
            n_weights=run.trainer.model.n_parameters,
        )
    return len(images)


def tall_screenshot(page, screenshot, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the window grows."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3000})
    wait_for_idle(page)
    time.sleep(1.0)  # the charts redraw at the new size
    screenshot(page, name)
    page.set_viewport_size(size)


def test_a_class_works_together_live_and_survives_a_restart(
    chromium_path, browser_context, other_browser, tmp_path, monkeypatch, screenshot
):
    db = str(tmp_path / "classes.db")  # outlives the first server
    monkeypatch.setenv("NNVIZ_CLASS_DB", db)
    server = start_streamlit(tmp_path / "server-1.log")
    teacher = browser_context.new_page()
    student = other_browser.new_page()
    try:
        code, key = start_class(teacher, server.url)
        assert metric_value(teacher, "Drawings").startswith("0 ")

        join_by_link(student, f"{server.url}/class?class={code}", "anna")
        draw_and_add_a_one(student)
        assert f"class={code}" in student.url  # the class stays in the address
        expect(student.get_by_text(f"class {code} · anna")).to_be_visible()
        screenshot(student, "class-student")
        hand_in_a_playground_run(student)
        assert f"class={code}" in student.url

        # the teacher's page was never reloaded: the live view brings both in
        assert wait_for_text(teacher, "Drawings", "1 ") == "1 / 3,000"
        assert wait_for_text(teacher, "Runs handed in", "1 ") == "1 / 1,500"
        assert metric_value(teacher, "Students") == "1 / 60"
        expect(teacher.get_by_text("The 1 hardest drawings")).to_be_visible(timeout=30_000)
        leaderboard_shows(teacher, "anna")
        assert exception_count(teacher) == 0 and exception_count(student) == 0
    finally:
        server.stop()

    server = start_streamlit(tmp_path / "server-2.log")
    try:
        teacher_link = f"{server.url}/class?class={code}&teacher={key}"
        open_page(teacher, teacher_link)
        assert wait_for_text(teacher, "Drawings", "1 ") == "1 / 3,000"
        assert metric_value(teacher, "Runs handed in") == "1 / 1,500"
        leaderboard_shows(teacher, "anna")

        added = seed_a_busy_class(db, code)
        assert wait_for_text(teacher, "Drawings", f"{added + 1} ") == f"{added + 1} / 3,000"
        leaderboard_shows(teacher, "chloé")
        tall_screenshot(teacher, screenshot, "class-teacher")

        teacher.get_by_text("Delete this class").click()
        widget(teacher, "cls.delete_sure").locator("label").click()
        wait_for_idle(teacher)
        click(teacher, "cls.delete")
        expect(teacher.get_by_text(f"Class {code} and everything in it is deleted")).to_be_visible()
        open_page(teacher, teacher_link)
        expect(teacher.get_by_text(f"there is no class {code}")).to_be_visible()
        open_page(student, f"{server.url}/class?class={code}")
        expect(student.get_by_text(f"there is no class {code}")).to_be_visible()
        assert exception_count(teacher) == 0
    finally:
        server.stop()
        teacher.close()
        student.close()


def settled(page) -> None:
    """Past the tab memory's answer, which arrives one rerun after the page is drawn."""
    time.sleep(2.0)
    wait_for_idle(page)


def test_a_reload_keeps_the_students_nickname_and_a_copied_link_does_not(
    browser_context, tmp_path, monkeypatch
):
    db = str(tmp_path / "classes.db")
    monkeypatch.setenv("NNVIZ_CLASS_DB", db)
    code = ClassStore(db).create_class().code
    server = start_streamlit(tmp_path / "server.log")
    join_link = f"{server.url}/class?class={code}"
    student = browser_context.new_page()
    other = browser_context.new_page()
    try:
        join_by_link(student, join_link, "anna")
        nav(student, "Playground")
        student.wait_for_selector('[data-testid="stMetric"]', timeout=60_000)
        student.reload()  # a new session: the tab remembers who it was
        wait_for_idle(student)
        expect(student.get_by_text(f"class {code} · anna")).to_be_visible(timeout=30_000)

        open_page(other, student.url)  # the same address in another tab: not anna
        settled(other)
        expect(other.get_by_text(f"class {code} · not joined yet")).to_be_visible()

        open_page(student, join_link)
        expect(student.get_by_text(f"You are anna in class {code}")).to_be_visible(timeout=30_000)
        click(student, "cls.leave")
        expect(student.get_by_text("You left the class")).to_be_visible(timeout=30_000)
        settled(student)
        open_page(student, join_link)  # left: the tab forgot the nickname
        settled(student)
        expect(student.get_by_text(f"Join class {code}")).to_be_visible()
        expect(student.get_by_text(f"class {code} · not joined yet")).to_be_visible()
        assert ClassStore(db).summary(code).students == 1
        assert exception_count(student) == 0 and exception_count(other) == 0
    finally:
        server.stop()
        student.close()
        other.close()
