"""Frame-rate bench of the Playground: `python -m bench.playground [--frames 60]`.

One frame is what a Play tick does on the server: N training steps, then the pictures (loss
and accuracy curves, the 100×100 decision boundary, the neuron maps), then the JSON that
`nnviz.ui.charts.live_chart` sends. The target is ≥ 5 frames/s with a 2-8-8-1 network on 200
training points, and ≤ 50 ms of figure building per frame. Prints medians and 90th percentiles.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import plotly.io as pio

from nnviz.playground import VIEWS, Run, RunConfig
from nnviz.ui.playground.figures import playground_figures, view_figure

TARGET_FPS, FIGURE_BUDGET_MS = 5.0, 50.0


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1e3, ordered[int(0.9 * (len(ordered) - 1))] * 1e3


def bench(config: RunConfig, frames: int) -> dict[str, list[float]]:
    run = Run(config)
    timings: dict[str, list[float]] = {"train": [], "figures": [], "serialize": []}
    for _ in range(frames):
        t0 = time.perf_counter()
        run.advance(config.steps_per_frame)
        t1 = time.perf_counter()
        figures = playground_figures(run, views=("neurons",))
        t2 = time.perf_counter()
        for figure in figures.values():  # what nnviz.ui.charts.live_chart sends for each figure
            json.dumps({"spec": pio.to_json(figure, validate=False)})
        t3 = time.perf_counter()
        timings["train"].append(t1 - t0)
        timings["figures"].append(t2 - t1)
        timings["serialize"].append(t3 - t2)
    timings["frame"] = [sum(parts) for parts in zip(*timings.values(), strict=True)]
    return timings


def bench_views(config: RunConfig, repeats: int) -> dict[str, list[float]]:
    """Each inspector tab's figure on its own (only the open tab is built per frame)."""
    run = Run(config)
    run.advance(50)
    out: dict[str, list[float]] = {}
    for view in VIEWS:
        out[view] = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            json.dumps({"spec": pio.to_json(view_figure(run, view), validate=False)})
            out[view].append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--steps", type=int, default=10, help="training steps per frame")
    args = parser.parse_args()
    config = RunConfig(
        dataset="circles",
        n_samples=250,
        test_fraction=0.2,
        hidden=(8, 8),
        steps_per_frame=args.steps,
        batch_size=10,
    )
    bench(config, 5)  # warm up imports and caches
    timings = bench(config, args.frames)
    print(f"Playground frame, 2-8-8-1 on 200 training points (+50 test), {args.steps} steps/frame")
    print(f"{'part':<12}{'median ms':>12}{'p90 ms':>10}")
    for name, samples in timings.items():
        median, p90 = _ms(samples)
        print(f"{name:<12}{median:>12.1f}{p90:>10.1f}")
    frame_median = statistics.median(timings["frame"])
    figures_median = statistics.median(timings["figures"]) * 1e3
    fps = 1 / frame_median
    print(
        f"\nserver frames/s (median): {fps:.1f}   target ≥ {TARGET_FPS:g}: "
        f"{'ok' if fps >= TARGET_FPS else 'MISSED'}"
    )
    print(
        f"figure building (median): {figures_median:.1f} ms   budget ≤ {FIGURE_BUDGET_MS:g} ms: "
        f"{'ok' if figures_median <= FIGURE_BUDGET_MS else 'MISSED'}"
    )
    print("\ninspector tabs, build + serialize (median / p90 ms):")
    for view, samples in bench_views(config, 15).items():
        median, p90 = _ms(samples)
        print(f"  {view:<10}{median:>8.1f}{p90:>8.1f}")


if __name__ == "__main__":
    main()
