"""Canvas-style synthetic digits: what people draw with a mouse, for testing the digit model.

Every digit has a few hand-designed styles (1 with and without a flag, open and closed 4, 7 with
and without a bar, ...). A style is a list of strokes, each a polyline in a unit box (x right,
y down, the digit about 0.6 wide and 1 tall). A sketch takes one style, wobbles its points with
smooth noise, applies a random affine map (rotation ±15°, shear, scale 0.4-0.9 of the canvas,
aspect), drops it anywhere on the canvas and draws it with a random pen — black on white,
white on black, or dark ink on transparent paper, the three things a canvas hands back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np

from nnviz.datasets.base import DatasetError
from nnviz.datasets.strokes import render_strokes

Style = Literal["mixed", "black_on_white", "white_on_black"]


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float) -> np.ndarray:
    """Elliptical arc from angle `a0` to `a1` (degrees; y points down, so 90° is the bottom)."""
    t = np.radians(np.linspace(a0, a1, max(8, int(abs(a1 - a0) / 8))))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def _bez(*ctrl: tuple[float, float]) -> np.ndarray:
    """Cubic Bézier through 4 control points: B(t) = Σ C(3,i) (1−t)^(3−i) tⁱ Pᵢ."""
    t = np.linspace(0, 1, 16)[:, None]
    p = np.array(ctrl, dtype=float)
    return (
        (1 - t) ** 3 * p[0] + 3 * (1 - t) ** 2 * t * p[1] + 3 * (1 - t) * t**2 * p[2] + t**3 * p[3]
    )


def _line(*pts: tuple[float, float]) -> np.ndarray:
    """A polyline through `pts`, subdivided so the wobble can bend it."""
    p = np.array(pts, dtype=float)
    t = np.linspace(0, 1, 9)[:-1, None]
    return np.vstack([a + t * (b - a) for a, b in zip(p[:-1], p[1:], strict=True)] + [p[-1:]])


def _join(*parts: np.ndarray) -> np.ndarray:
    return np.vstack(parts)


TEMPLATES: dict[int, list[list[np.ndarray]]] = {
    0: [
        [_arc(0.5, 0.5, 0.3, 0.48, -100, 275)],
        [_arc(0.5, 0.5, 0.32, 0.47, -60, -440)],
    ],
    1: [
        [_line((0.5, 0.0), (0.5, 1.0))],
        [_line((0.36, 0.17), (0.56, 0.0), (0.56, 1.0))],
        [_line((0.37, 0.16), (0.55, 0.0), (0.55, 1.0)), _line((0.34, 1.0), (0.76, 1.0))],
    ],
    2: [
        [
            _join(
                _arc(0.5, 0.28, 0.3, 0.26, 195, 385),
                _bez((0.78, 0.39), (0.7, 0.62), (0.4, 0.78), (0.18, 1.0)),
                _line((0.18, 1.0), (0.84, 0.98)),
            )
        ],
        [
            _join(
                _arc(0.48, 0.27, 0.28, 0.25, 200, 370),
                _bez((0.76, 0.31), (0.78, 0.6), (0.35, 0.8), (0.22, 0.93)),
                _bez((0.22, 0.93), (0.1, 1.06), (0.38, 1.06), (0.42, 0.94)),
                _bez((0.42, 0.94), (0.5, 1.0), (0.7, 1.02), (0.86, 0.96)),
            )
        ],
    ],
    3: [
        [
            _join(
                _arc(0.47, 0.26, 0.27, 0.24, 200, 455),
                _arc(0.47, 0.74, 0.31, 0.26, -95, 160),
            )
        ],
        [
            _join(
                _line((0.2, 0.02), (0.78, 0.02), (0.42, 0.42)),
                _bez((0.42, 0.42), (0.95, 0.4), (0.9, 1.02), (0.48, 1.0)),
                _bez((0.48, 1.0), (0.35, 1.0), (0.25, 0.95), (0.18, 0.86)),
            )
        ],
    ],
    4: [
        [_line((0.3, 0.0), (0.17, 0.62), (0.86, 0.62)), _line((0.68, 0.18), (0.68, 1.0))],
        [_line((0.64, 0.0), (0.12, 0.66), (0.88, 0.66)), _line((0.64, 0.0), (0.64, 1.0))],
    ],
    5: [
        [
            _join(
                _line((0.3, 0.03), (0.25, 0.46)),
                _bez((0.25, 0.46), (0.6, 0.3), (0.95, 0.55), (0.75, 0.85)),
                _bez((0.75, 0.85), (0.6, 1.05), (0.3, 1.02), (0.17, 0.88)),
            ),
            _line((0.3, 0.03), (0.8, 0.0)),
        ],
        [
            _join(
                _line((0.8, 0.0), (0.3, 0.03), (0.25, 0.46)),
                _bez((0.25, 0.46), (0.6, 0.3), (0.95, 0.55), (0.75, 0.85)),
                _bez((0.75, 0.85), (0.6, 1.05), (0.3, 1.02), (0.17, 0.88)),
            )
        ],
    ],
    6: [
        [
            _join(
                _bez((0.74, 0.02), (0.45, 0.08), (0.2, 0.35), (0.2, 0.72)),
                _arc(0.49, 0.73, 0.29, 0.26, 180, -175),
            )
        ],
        [_join(_line((0.66, 0.0), (0.23, 0.62)), _arc(0.5, 0.74, 0.29, 0.25, 205, -150))],
    ],
    7: [
        [_line((0.15, 0.04), (0.85, 0.04), (0.4, 1.0))],
        [_line((0.15, 0.04), (0.85, 0.04), (0.42, 1.0)), _line((0.42, 0.52), (0.82, 0.52))],
        [_line((0.16, 0.17), (0.17, 0.04), (0.85, 0.04), (0.45, 1.0))],
    ],
    8: [
        [
            _join(
                _bez((0.74, 0.12), (0.6, -0.04), (0.2, 0.0), (0.28, 0.24)),
                _bez((0.28, 0.24), (0.36, 0.44), (0.82, 0.52), (0.8, 0.77)),
                _bez((0.8, 0.77), (0.78, 1.03), (0.22, 1.03), (0.2, 0.77)),
                _bez((0.2, 0.77), (0.2, 0.55), (0.7, 0.45), (0.72, 0.24)),
                _bez((0.72, 0.24), (0.73, 0.15), (0.72, 0.12), (0.68, 0.09)),
            )
        ],
        [
            _join(
                _arc(0.5, 0.26, 0.23, 0.24, -30, -270),
                _arc(0.5, 0.74, 0.29, 0.26, -90, 270),
                _arc(0.5, 0.26, 0.23, 0.24, 90, -40),
            )
        ],
    ],
    9: [
        [_join(_arc(0.5, 0.28, 0.27, 0.26, -15, -365), _line((0.77, 0.3), (0.74, 1.0)))],
        [
            _join(
                _arc(0.48, 0.28, 0.27, 0.26, -15, -365),
                _bez((0.75, 0.3), (0.78, 0.7), (0.62, 1.02), (0.3, 0.96)),
            )
        ],
    ],
}


def sketch_digits(
    n: int, rng: np.random.Generator, *, size: int = 280, style: Style = "mixed"
) -> tuple[np.ndarray, np.ndarray]:
    """`n` canvas-like digit drawings and their labels (every digit equally often).

    Args:
        n: how many drawings.
        rng: the randomness (same seed, same drawings).
        size: canvas side in pixels; pen widths scale with it (8-30 px on 280).
        style: "black_on_white" / "white_on_black" give uint8 `(n, size, size)` grey images;
            "mixed" gives uint8 RGBA `(n, size, size, 4)`, a random third each of black on
            white, white on black, and dark ink on transparent paper.

    Returns:
        `(images, labels)` with labels int64 `(n,)`.
    """
    _check(n, size, style)
    labels = rng.permutation(np.arange(n) % 10).astype(np.int64)
    return _draw(lambda d: TEMPLATES[d][rng.integers(len(TEMPLATES[d]))], labels, rng, size, style)


def _narrow(strokes: list[np.ndarray], k: float) -> list[np.ndarray]:
    """The same strokes `k` times as wide, about the box's middle."""
    return [np.column_stack([0.5 + k * (s[:, 0] - 0.5), s[:, 1]]) for s in strokes]


# Styles an MLP misreads (never trained on, by either shipped model): open-top 4s (the plain one
# above; one with a low bar and a short stem, read as a 6; one drawn in one zigzag), and
# one-stroke figure-eight 8s (the plain one above; a skinny one, read as a 1; one with a big top
# loop, read as a 0).
HARD_TEMPLATES: dict[int, list[list[np.ndarray]]] = {
    4: [
        TEMPLATES[4][0],
        [_line((0.4, 0.0), (0.05, 0.8), (0.95, 0.8)), _line((0.65, 0.5), (0.65, 1.0))],
        [_line((0.5, 0.0), (0.08, 0.75), (0.92, 0.75)), _line((0.7, 0.45), (0.7, 1.0))],
    ],
    8: [
        TEMPLATES[8][0],
        _narrow(TEMPLATES[8][0], 0.45),
        [_join(_arc(0.5, 0.35, 0.35, 0.33, 90, 450), _arc(0.5, 0.82, 0.18, 0.16, -90, 270))],
    ],
}


def hard_sketches(
    n: int, rng: np.random.Generator, *, size: int = 280, style: Style = "mixed"
) -> tuple[np.ndarray, np.ndarray]:
    """`n` hard drawings: open-top 4s and figure-eight 8s (`HARD_TEMPLATES`), half each, with
    every pen, tilt, size and place `sketch_digits` uses. Same arguments and results."""
    _check(n, size, style)
    labels = rng.permutation(np.where(np.arange(n) % 2 == 0, 4, 8)).astype(np.int64)
    styles = HARD_TEMPLATES
    return _draw(lambda d: styles[d][rng.integers(len(styles[d]))], labels, rng, size, style)


def _check(n: int, size: int, style: str) -> None:
    if style not in ("mixed", "black_on_white", "white_on_black"):
        raise DatasetError(
            f"unknown style {style!r}; use 'mixed', 'black_on_white' or 'white_on_black'"
        )
    if n < 0 or size < 28:
        raise DatasetError(f"need n ≥ 0 and size ≥ 28 pixels; got n={n}, size={size}")


def _draw(
    template: Callable[[int], list[np.ndarray]],
    labels: np.ndarray,
    rng: np.random.Generator,
    size: int,
    style: Style,
) -> tuple[np.ndarray, np.ndarray]:
    """Each label's template placed and drawn with a random pen, coloured as `style` says."""
    grey = np.empty((len(labels), size, size), np.uint8)
    for i, digit in enumerate(labels):
        strokes = template(int(digit))
        pen = rng.uniform(8, 30) * size / 280
        grey[i] = render_strokes(_place(strokes, rng, size, pen), (size, size), pen)
    if style == "white_on_black":
        return grey, labels
    if style == "black_on_white":
        return 255 - grey, labels
    return _colourise(grey, rng), labels


def _place(
    strokes: list[np.ndarray], rng: np.random.Generator, size: int, pen: float
) -> list[np.ndarray]:
    """Wobble, then a random affine map, then a random spot where the whole digit fits."""
    out = []
    for s in strokes:
        arc = np.linspace(0, 1, len(s))[:, None]
        phase, freq = rng.uniform(0, 2 * np.pi, (2, 3)), np.array([1.0, 2.0, 3.0])
        amp = rng.normal(0, 0.012, (2, 3)) / freq
        wobble = np.column_stack(
            [np.sin(2 * np.pi * arc * freq + phase[i]) @ amp[i] for i in (0, 1)]
        )
        out.append(s + wobble + rng.normal(0, 0.012, 2) + rng.normal(0, 0.001, s.shape))
    angle = np.radians(rng.uniform(-15, 15))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shear = np.array([[1.0, rng.uniform(-0.25, 0.25)], [0.0, 1.0]])
    scale = np.diag([rng.uniform(0.8, 1.25), 1.0]) * rng.uniform(0.4, 0.9) * size
    m = rot @ shear @ scale
    out = [(s - 0.5) @ m.T for s in out]
    every = np.vstack(out)
    lo, hi = every.min(axis=0) - pen, every.max(axis=0) + pen
    shrink = min(1.0, (size - 2) / max(hi - lo))
    out, lo, hi = [s * shrink for s in out], lo * shrink, hi * shrink
    where = rng.uniform(0, 1, 2) * np.maximum(size - (hi - lo), 0) - lo
    return [s + where for s in out]


def _colourise(grey: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """RGBA: black on (near-)white paper, white on black, or dark ink on transparent."""
    n = len(grey)
    kind = rng.integers(0, 3, n)
    out = np.empty((*grey.shape, 4), np.uint8)
    paper = rng.integers(225, 256, n).astype(np.float32)[:, None, None]
    ink = grey.astype(np.float32) / 255
    bow = np.rint(paper * (1 - ink)).astype(np.uint8)
    out[..., :3] = np.where((kind == 0)[:, None, None], bow, grey)[..., None]
    out[..., 3] = 255
    clear = kind == 2
    out[clear, :, :, :3] = rng.integers(0, 60, (clear.sum(), 1, 1, 3), dtype=np.uint8)
    out[clear, :, :, 3] = grey[clear]
    return out
