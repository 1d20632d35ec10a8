"""Speed of the MNIST pages: `python -m bench.mnist_pages [--browser]` (prints, asserts nothing).

1. Draw a digit: the server's work between a stroke's end and the answer on screen — decode the
   canvas bitmap, preprocess the strokes and predict (`classify_drawing`), build the probability
   bars and the four-stage figure, serialize them as `st.plotly_chart` does. Also with the
   "Why?" tab open (saliency + hidden activations). Target ≤ 20 ms.
2. Train on MNIST: one epoch of a 784-128-10 ReLU net (60,000 images, batch 128, Adam) the way
   the page runs it — ticks of `WORK_SECONDS` of training, each followed by the progress and the
   curves figure — against the core bench's epoch on the same shapes. Target ≤ 1.5×.
   `--browser` also times the epoch in the real page (streamlit + chromium, if available;
   the app runs BLAS on one thread).
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import time

import numpy as np
import plotly.io as pio
from PIL import Image

from bench.core import best_of, nnviz_epoch
from bench.digits import stroke_canvas
from nnviz.datasets import load_mnist, render_strokes
from nnviz.digits import MnistConfig, MnistRun, classify_drawing, explain, load_digit_model
from nnviz.ui.digits.train_panel import WORK_SECONDS
from nnviz.viz.digits import (
    activations_figure,
    probabilities_figure,
    saliency_figure,
    stages_figure,
)
from nnviz.viz.mnist import smooth, training_curves_figure

DRAW_BUDGET_MS, EPOCH_RATIO = 20.0, 1.5


def _send(*figures) -> None:
    for figure in figures:  # what st.plotly_chart does with a figure
        pio.to_json(figure.to_dict(), validate=False)


def canvas_png(drawing: dict) -> str:
    """The canvas bitmap the component sends with `return_image_data=True` (a PNG data URL)."""
    ink = render_strokes(drawing)
    rgba = np.dstack([ink, ink, ink, np.full_like(ink, 255)])
    buffer = io.BytesIO()
    Image.fromarray(rgba).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def stroke_to_answer(drawing: dict, png: str, model, why: bool) -> None:
    raw = np.asarray(Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1]))))
    p = classify_drawing(drawing, model)
    figures = [probabilities_figure(p.probabilities, threshold=0.6), stages_figure(p.stages, raw)]
    if why:
        e = explain(model, p.image, p.label)
        figures += [
            saliency_figure(p.image, e.saliency, p.label),
            activations_figure(e.activations),
        ]
    _send(*figures)


def bench_draw(n: int) -> dict[str, list[float]]:
    rng = np.random.default_rng(0)
    model = load_digit_model()
    items = [(d, canvas_png(d)) for d in (stroke_canvas(rng) for _ in range(n))]
    stroke_to_answer(*items[0], model, why=True)  # warm up
    out: dict[str, list[float]] = {"answer": [], "answer + why": []}
    for drawing, png in items:
        for name, why in (("answer", False), ("answer + why", True)):
            start = time.perf_counter()
            stroke_to_answer(drawing, png, model, why)
            out[name].append(1e3 * (time.perf_counter() - start))
    return out


def page_epoch(train, test) -> float:
    """One epoch as the Train page runs it: timed ticks, each redrawing progress and curves."""
    run = MnistRun(MnistConfig(train_size=60_000, hidden=(128,), epochs=1), train, test)
    start = time.perf_counter()
    while not run.finished:
        run.advance(WORK_SECONDS)
        smooth(run.losses[-300:])  # the smoothed-loss metric
        curves = training_curves_figure(
            run.losses, run.epoch_steps, run.test_accuracy, run.total_steps
        )
        _send(curves)
    return time.perf_counter() - start


def browser_epochs(repeat: int) -> list[float] | None:
    """Seconds the real page shows ("Time") for one 60,000-image epoch, `repeat` times in a
    fresh `streamlit run app.py`; None without chromium.
    """
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_streamlit

    if not CHROMIUM.exists():
        return None
    server = start_streamlit(Path(tempfile.mkdtemp()) / "server.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            times = [_page_epoch(browser, server.url) for _ in range(repeat)]
            browser.close()
    finally:
        server.stop()
    return times


def _page_epoch(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.goto(url + "/train_mnist")
    page.wait_for_selector(idle, timeout=120_000)
    page.locator(".st-key-tr-size input[type=range]").focus()
    page.keyboard.press("End")  # 60,000 images
    page.wait_for_selector(idle)
    page.locator(".st-key-tr-epochs input").fill("1")
    page.locator(".st-key-tr-epochs input").press("Enter")
    page.wait_for_selector(idle)
    page.locator(".st-key-tr-train button").click()
    page.get_by_text("Done:").wait_for(timeout=300_000)
    cell = page.locator('[data-testid="stMetric"]').filter(has_text="Time")
    text = cell.locator('[data-testid="stMetricValue"]').inner_text()
    page.close()
    minutes, _, seconds = text.replace(" s", "").rpartition(":")
    return 60 * int(minutes or 0) + float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3, help="best of N epochs")
    parser.add_argument("--browser", action="store_true", help="also time the real page")
    args = parser.parse_args()

    print("1. Draw a digit: stroke end → answer, server side (decode, preprocess, predict,")
    print("   figures, serialize), over", args.drawings, "drawings")
    for name, samples in bench_draw(args.drawings).items():
        median = statistics.median(samples)
        p90 = sorted(samples)[int(0.9 * (len(samples) - 1))]
        verdict = "ok" if median <= DRAW_BUDGET_MS else "MISSED"
        print(f"   {name:<14} median {median:5.1f} ms   p90 {p90:5.1f} ms   ≤ 20 ms: {verdict}")

    train, test = load_mnist()
    print(
        f"\n2. Train on MNIST: one epoch, 784-128-10 relu, Adam, batch 128 (best of {args.repeat})"
    )
    x = train.x
    core = best_of(nnviz_epoch(np.ascontiguousarray(x), train.y), args.repeat)
    page = min(page_epoch(train, test) for _ in range(args.repeat))
    print(f"   core bench epoch            {core:6.2f} s")
    verdict = "ok" if page / core <= EPOCH_RATIO else "MISSED"
    ratio = page / core
    print(f"   Train page loop (server)    {page:6.2f} s   {ratio:.2f}× core   ≤ 1.5×: {verdict}")
    print(f"   (ticks of {WORK_SECONDS} s training, then progress + curves; includes scoring the")
    print("    10,000 test digits at the epoch's end)")
    if args.browser:
        times = browser_epochs(args.repeat)
        if times is None:
            print("   real page in chromium: chromium not found")
        else:
            best, shown = min(times), ", ".join(f"{t:.1f}" for t in times)
            ratio = best / core
            print(f"   real page in chromium       {best:6.2f} s   {ratio:.2f}× core   ({shown})")
        print("   (the page's own Time: first tick to last, drawing and browser round trips")
        print("    included; chromium runs on the same cores as the server here)")


if __name__ == "__main__":
    main()
