"""Canvas strokes → pixels: the drawable canvas' `json_data` paths, rendered with a round pen.

Re-rendering from the strokes (not the canvas bitmap) lets the preprocessing choose the pen
width from the drawing's size, so thick and thin pens give the model the same input.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from PIL import Image, ImageDraw

from nnviz.core import limits
from nnviz.datasets.base import DatasetError

# Pen width as a fraction of the drawing's longer side when strokes are re-rendered; with it
# our templates carry about as much ink per digit as MNIST's (mean ≈ 102 at 0-1 per pixel).
PEN_FRACTION = 0.14
DEFAULT_WIDTH = 20.0


def render_strokes(
    strokes: dict | list, size: tuple[int, int] = (280, 280), width: float | None = None
) -> np.ndarray:
    """Draw strokes as white round-capped lines on black: a uint8 `(height, width)` image.

    Args:
        strokes: canvas `json_data` (`{"objects": [{"type": "path", "path": [["M", x, y],
            ["Q", cx, cy, x, y], ..., ["L", x, y]], "strokeWidth": w, ...}]}`) or a list of
            `(k, 2)` polylines of (x, y) canvas points.
        size: `(width, height)` of the canvas in pixels.
        width: pen width in pixels; None uses each path's `strokeWidth` (polylines: 20).
    """
    lines = _polylines(strokes)
    pens = [width or pen for _, pen in lines]
    return _draw([pts for pts, _ in lines], pens, size)


def stroke_ink(data: dict, side: int) -> np.ndarray | None:
    """Re-render the strokes with a pen of `PEN_FRACTION` × the drawing's longer side, the
    longer side at `side` px: the pen the user chose no longer matters, only the shape.
    Float image in [0, 1], or None when there are no strokes."""
    lines = [pts for pts, _ in _polylines(data)]
    if not lines:
        return None
    every = np.concatenate(lines)
    lo = every.min(axis=0)
    extent = max(float(np.ptp(every, axis=0).max()), 1e-3)
    pen = PEN_FRACTION * extent
    scale = side / (extent + pen)
    pad = 2 + pen * scale / 2
    size = tuple(math.ceil(v) for v in (np.ptp(every, axis=0) * scale + 2 * pad))
    img = _draw([(p - lo) * scale + pad for p in lines], [pen * scale] * len(lines), size)
    return img.astype(np.float32) / 255


def _draw(lines: list[np.ndarray], pens: list[float], size: tuple[int, ...]) -> np.ndarray:
    """Round pens drawn at 2× and box-averaged down: anti-aliased lines from Pillow."""
    canvas = Image.new("L", (2 * size[0], 2 * size[1]), 0)
    draw = ImageDraw.Draw(canvas)
    for pts, pen in zip(lines, pens, strict=True):
        xy = [(float(x), float(y)) for x, y in 2 * pts]
        r = max(pen, 0.5)
        if len(xy) > 1:
            draw.line(xy, fill=255, width=max(1, round(2 * pen)), joint="curve")
        for x, y in (xy[0], xy[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(canvas.reduce(2))


def _polylines(strokes: dict | list) -> list[tuple[np.ndarray, float]]:
    """(points `(k, 2)`, pen width) for each stroke; non-path canvas objects are ignored.

    Canvas data comes from the browser and can be tampered with, so its counts are checked
    before any point is sampled and every number is checked where it is read
    (`nnviz.core.limits`: `CANVAS_OBJECTS`, `CANVAS_POINTS`, `CANVAS_COORDINATE`).
    """
    if isinstance(strokes, dict):
        return [(_path_points(o), _pen(o)) for o in _paths(strokes)]
    out = []
    for line in strokes:
        pts = np.asarray(line, dtype=np.float64).reshape(-1, 2)
        if len(pts):
            out.append((_checked(pts, "stroke points"), DEFAULT_WIDTH))
    return out


def _paths(data: dict) -> list[dict]:
    """The canvas' path objects, after checking how many objects and commands there are."""
    objects = data.get("objects")
    if not isinstance(objects, list):
        raise DatasetError("canvas data must be a dict with an 'objects' list (json_data)")
    if len(objects) > limits.CANVAS_OBJECTS:
        raise DatasetError(
            f"the canvas data holds {len(objects):,} objects; at most {limits.CANVAS_OBJECTS:,}"
        )
    paths = [
        o
        for o in objects
        if isinstance(o, dict) and str(o.get("type", "")).lower() == "path" and o.get("path")
    ]
    for o in paths:
        if not isinstance(o["path"], list):
            raise DatasetError(f"a canvas path must be a list of commands, got {o['path']!r:.40}")
    commands = sum(len(o["path"]) for o in paths)
    if commands > limits.CANVAS_POINTS:
        raise DatasetError(
            f"the canvas data holds {commands:,} path commands; at most {limits.CANVAS_POINTS:,}"
        )
    return paths


def _path_points(obj: dict) -> np.ndarray:
    """Sample a fabric.js path (M / L / Q / C commands) and place it on the canvas.

    fabric stores the path in its own coordinates plus a transform: canvas point =
    R(angle) · scale · (p − pathOffset) + centre, centre = left/top + half the box (the box
    includes the stroke). For a stroke that was drawn and never moved this is the identity.
    """
    pts: list[tuple[float, float]] = []
    for cmd in obj["path"]:
        if not (isinstance(cmd, list | tuple) and cmd and isinstance(cmd[0], str)):
            raise DatasetError(f"a canvas path command is not [letter, numbers…]: {cmd!r:.60}")
        op, args = cmd[0].upper(), [_value(v, f"path command {cmd!r:.60}") for v in cmd[1:]]
        if op in ("M", "L") and len(args) >= 2:
            pts.append((args[0], args[1]))
        elif op in ("Q", "C") and len(args) in (4, 6) and pts:
            ctrl = np.array([pts[-1], *zip(args[::2], args[1::2], strict=True)])
            t = np.linspace(0, 1, 6)[1:, None]
            pts.extend(map(tuple, _bezier(ctrl, t)))
    if not pts:
        raise DatasetError("a canvas path has no points (expected 'M x y' commands)")
    p = np.array(pts)
    offset = obj.get("pathOffset")
    if not isinstance(offset, dict) or "left" not in obj:
        return p
    scale = np.array([_number(obj, "scaleX", 1.0), _number(obj, "scaleY", 1.0)])
    box = np.array([_number(obj, "width", 0.0), _number(obj, "height", 0.0)])
    box = (box + _number(obj, "strokeWidth", 0.0)) * scale
    origin = np.array(
        [
            {"center": 0.5, "right": 1.0, "bottom": 1.0}.get(obj.get(k), 0.0)
            if isinstance(obj.get(k), str)
            else 0.0
            for k in ("originX", "originY")
        ]
    )
    a = math.radians(_number(obj, "angle", 0.0))
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    centre = np.array([_number(obj, "left", 0.0), _number(obj, "top", 0.0)]) + rot @ (
        (0.5 - origin) * box
    )
    shift = np.array([_value(offset.get(k, 0.0), f"canvas field 'pathOffset.{k}'") for k in "xy"])
    return _checked(((p - shift) * scale) @ rot.T + centre, "a moved canvas path")


def _pen(obj: dict) -> float:
    width = _number(obj, "strokeWidth", DEFAULT_WIDTH)
    if not 0 <= width <= limits.CANVAS_PEN:
        raise DatasetError(
            f"canvas field 'strokeWidth': {width:g} px is not a pen width from 0 to "
            f"{limits.CANVAS_PEN:g}"
        )
    return width


def _number(obj: dict, key: str, default: float) -> float:
    """`obj[key]` as a checked number (see `_value`), or `default` when absent."""
    return _value(obj.get(key, default), f"canvas field {key!r}")


def _value(v: object, what: str) -> float:
    """A JSON number within ±`CANVAS_COORDINATE` (no text, no NaN, no infinity)."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise DatasetError(f"{what}: {v!r:.40} is not a number")
    value = float(v)
    if not abs(value) <= limits.CANVAS_COORDINATE:  # also refuses NaN
        raise DatasetError(
            f"{what}: {value!r} is not a finite number within ±{limits.CANVAS_COORDINATE:,.0f}"
        )
    return value


def _checked(pts: np.ndarray, what: str) -> np.ndarray:
    """Points within ±`CANVAS_COORDINATE`: Pillow draws in C integers, so far-away points
    cost time or overflow."""
    if not (np.abs(pts) <= limits.CANVAS_COORDINATE).all():
        raise DatasetError(
            f"{what} must be finite numbers within ±{limits.CANVAS_COORDINATE:,.0f} pixels"
        )
    return pts


def _bezier(ctrl: np.ndarray, t: np.ndarray) -> np.ndarray:
    """De Casteljau: repeated linear interpolation between control points."""
    pts = np.broadcast_to(ctrl, (len(t), *ctrl.shape))
    while pts.shape[1] > 1:
        pts = pts[:, :-1] + t[:, None] * (pts[:, 1:] - pts[:, :-1])
    return pts[:, 0]
