"""Draw-a-digit speed: `python -m bench.digits` (prints figures, asserts nothing).

Milliseconds per drawing for what the Draw page does on every stroke — preprocessing (the MNIST
recipe, `drawing_stages`) plus the shipped model's prediction — on 280×280 RGBA canvases and on
canvas stroke data. Target: ≤ 5 ms per drawing.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from importlib import resources

import numpy as np

from nnviz.datasets import preprocess_drawing, sketch_digits
from nnviz.digits import classify_drawing, digit_model_info, load_digit_model
from nnviz.digits.predict import ASSETS, DEFAULT_KIND


def per_item_ms(fn: Callable[[object], object], items: list, repeat: int) -> float:
    """Best of `repeat` passes over `items`, in milliseconds per item."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return 1000 * best / len(items)


def stroke_canvas(rng: np.random.Generator) -> dict:
    """Canvas `json_data` with one random wobbly path of 60 points (a mouse-drawn stroke)."""
    t = np.linspace(0, 2 * np.pi, 60)
    x = 140 + 70 * np.cos(t) + rng.normal(0, 3, 60)
    y = 140 + 100 * np.sin(t) + rng.normal(0, 3, 60)
    path = [["M", x[0], y[0]]] + [["L", a, b] for a, b in zip(x[1:], y[1:], strict=True)]
    return {"objects": [{"type": "path", "path": path, "strokeWidth": 18}]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--drawings", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kind", choices=sorted(ASSETS), default=DEFAULT_KIND)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    model = load_digit_model(args.kind)
    load_ms = 1000 * (time.perf_counter() - start)
    info = digit_model_info(args.kind)
    size = len((resources.files("nnviz") / "assets" / ASSETS[args.kind]).read_bytes())
    print(f"model: {info['architecture']}; file {size / 1e6:.2f} MB; first load {load_ms:.1f} ms")
    print(
        f"  recorded: MNIST test {info['mnist_test_accuracy']:.2%}, sketches "
        f"{info['sketch_accuracy']:.2%}, trained in {info['training_seconds']:.0f} s"
    )

    rng = np.random.default_rng(0)
    canvases = list(sketch_digits(args.drawings, rng)[0])
    strokes = [stroke_canvas(rng) for _ in range(args.drawings)]
    rows = [preprocess_drawing(c) for c in canvases]
    figures = {
        "preprocess 280×280 RGBA": per_item_ms(preprocess_drawing, canvases, args.repeat),
        "predict one 28×28": per_item_ms(model.predict_proba, rows, args.repeat),
        "classify_drawing, RGBA canvas": per_item_ms(classify_drawing, canvases, args.repeat),
        "classify_drawing, stroke data": per_item_ms(classify_drawing, strokes, args.repeat),
    }
    for name, ms in figures.items():
        print(f"{name:32s} {ms:7.3f} ms per drawing")
    worst = max(figures["classify_drawing, RGBA canvas"], figures["classify_drawing, stroke data"])
    print(f"target ≤ 5 ms per drawing: {'met' if worst <= 5 else 'NOT met'} ({worst:.2f} ms)")


if __name__ == "__main__":
    main()
