"""A drawing → the 28×28 input an MNIST model expects, by MNIST's own recipe.

MNIST digits were made this way (LeCun et al.): the ink was scaled so its longer side fits a
20×20 box (aspect kept, anti-aliased into grey levels), then pasted into 28×28 so that the
intensity centre of mass sits at the field's centre. A model trained on MNIST has only ever
seen digits made like that, so a canvas drawing must be made like that too:

    ink (white on black) → crop to the ink's box → fit 20 px → place by centre of mass

Everything is NumPy + Pillow; a 280×280 canvas takes about a millisecond.
"""

from __future__ import annotations

import io
import math
import struct
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from nnviz.core import limits
from nnviz.datasets.base import DatasetError
from nnviz.datasets.strokes import stroke_ink

SIDE = 28
FIT = 20
# Intensity centre of mass (row, col), 0-based, measured on the 60,000 MNIST training images:
# per-image mean 13.996, 14.007 (std 0.29 each — the spread of a whole-pixel shift, so MNIST
# placed digits with integer shifts, as we do). Not 13.5: the centre pixel is 14.
MNIST_CENTRE = (14.0, 14.0)
MAX_SIDE = 1024  # larger inputs are box-averaged down first, so time and memory stay bounded
MIN_CONTRAST = 0.1  # ink weaker than this (on a 0-1 scale) is paper texture or JPEG noise
# Raster input: the fit happens at WORK px first, where stroke width (2·area / perimeter) is
# measured. Measured the same way on MNIST test digits: median 9.1 px, 10-90 % range 7.2-12.3.
# Pens outside that range are dilated / eroded towards the median; the rest are left alone.
WORK = 4 * FIT
PEN_BAND = (7.2, 12.3)
PEN_TARGET = 9.0
# Picture files decoded at all: the everyday formats. Pillow knows dozens more, some of which
# hand the file to outside programs (EPS → Ghostscript); a stranger's upload gets none of those.
PICTURE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")


@dataclass(frozen=True)
class DrawingStages:
    """The images along the way, for showing the user what the model sees (all float32 0-1).

    `ink` is the drawing as white on black; `cropped` its ink bounding box (`box` = top, left,
    bottom, right in `ink`); `fitted` the crop resized so its longer side is 20 px; `centred`
    the 28×28 MNIST-style input.
    """

    ink: np.ndarray
    box: tuple[int, int, int, int]
    cropped: np.ndarray
    fitted: np.ndarray
    centred: np.ndarray


def preprocess_drawing(image: Any) -> np.ndarray | None:
    """A drawing as one MNIST row `(1, 784)` float32 in [0, 1], or None when there is no ink.

    Args:
        image: an RGBA / RGB / grey numpy array (uint8, or float in [0, 1]), a PIL image,
            PNG/JPEG bytes, or streamlit-drawable-canvas `json_data` (`{"objects": [...]}`).
    """
    stages = drawing_stages(image)
    return None if stages is None else stages.centred.reshape(1, SIDE * SIDE).copy()


def drawing_stages(image: Any) -> DrawingStages | None:
    """Run the MNIST recipe and keep every intermediate image (None when there is no ink).

    Stroke data is re-rendered with a pen proportional to the drawing's size, so a thin and a
    thick pen give the same digit; in raster input only pens far from MNIST's are corrected.
    """
    ink = stroke_ink(image, 4 * FIT) if isinstance(image, dict) else _raster_ink(image)
    if ink is None:
        return None
    rows, cols = np.nonzero(ink.any(axis=1))[0], np.nonzero(ink.any(axis=0))[0]
    box = (int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1)
    cropped = ink[box[0] : box[2], box[1] : box[3]]
    fitted = _fit(cropped)
    return DrawingStages(_frozen(ink), box, _frozen(cropped), _frozen(fitted), _centre(fitted))


def upload_stages(data: bytes) -> DrawingStages:
    """The MNIST recipe for an uploaded picture file (PNG, JPEG, …).

    Unlike a blank canvas, an upload is meant to show a digit, so every reason it cannot
    (too large, not an image, too small, nothing stands out from the paper) raises a
    `DatasetError` whose text a page can show as it is.
    """
    image = _decode(bytes(data))
    width, height = image.size
    if min(width, height) < limits.IMAGE_MIN_SIDE:
        side = limits.IMAGE_MIN_SIDE
        raise DatasetError(
            f"the image is {width}×{height} pixels, too small to show a digit; "
            f"use at least {side}×{side}"
        )
    stages = drawing_stages(image)
    if stages is None:
        raise DatasetError(f"no digit stands out in the image: {_blank_reason(image)}")
    return stages


def _blank_reason(image: Image.Image) -> str:
    """Why `_raster_ink` found no ink: the picture is one shade, or nothing in it differs
    enough from the paper around its edges."""
    px, full = _pixels(image)
    if px.shape[2] in (2, 4) and float(px[..., -1].max()) < MIN_CONTRAST * full:
        return "it is fully transparent"
    grey = _grey(px)
    low, high = float(grey.min()), float(grey.max())
    if high - low < MIN_CONTRAST * full:
        mean = (low + high) / 2 / full
        shade = "white" if mean > 0.8 else "black" if mean < 0.2 else "grey"
        return f"it is all one shade ({shade}); photograph or scan a digit written in dark ink"
    return (
        f"nothing in it is {MIN_CONTRAST:.0%} darker or lighter than the paper at its edges; "
        "crop the picture to the digit on plain paper"
    )


def _fit(crop: np.ndarray) -> np.ndarray:
    """Longer side → 20 px, aspect kept, via a 4× working size where the pen is normalised."""
    work = _pen_normalised(np.pad(_resize(crop, WORK), WORK // 8))
    rows, cols = np.nonzero(work.any(axis=1))[0], np.nonzero(work.any(axis=0))[0]
    fitted = _resize(work[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1], FIT)
    return np.clip(fitted / max(float(fitted.max()), 1e-6), 0.0, 1.0)


def _resize(img: np.ndarray, side: int) -> np.ndarray:
    """Longer side → `side`; BOX averages every source pixel when shrinking (true anti-aliasing)."""
    h, w = img.shape
    scale = side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    resample = Image.Resampling.BOX if scale <= 1 else Image.Resampling.BILINEAR
    img = np.ascontiguousarray(img, dtype=np.float32)
    out = np.asarray(Image.fromarray(img, mode="F").resize(size, resample))
    return np.where(out > 1e-3, out, np.float32(0))


def _pen_normalised(work: np.ndarray) -> np.ndarray:
    """Thicken a hairline, thin a marker: only widths outside MNIST's usual range are touched.

    Stroke width ≈ 2·area / perimeter (a long stroke of width w and length L has area wL and
    perimeter 2L); the perimeter of a grey image is its total variation Σ|∇I| (coarea formula).
    Each 3×3 max (min) filter pass widens (narrows) a stroke by 2 px.
    """
    gy, gx = np.gradient(work)
    width = 2 * float(work.sum()) / max(float(np.hypot(gx, gy).sum()), 1e-6)
    if PEN_BAND[0] <= width <= PEN_BAND[1]:
        return work
    steps = int(np.clip(round((PEN_TARGET - width) / 2), -8, 8))
    out = _morph(work, steps)
    return out if out.any() else work


def _morph(a: np.ndarray, steps: int) -> np.ndarray:
    """Grey dilation (steps > 0) or erosion (< 0) by alternating square and cross ≈ a disc."""
    f = np.maximum if steps > 0 else np.minimum
    for i in range(abs(steps)):
        p = np.pad(a, 1)
        a = f(f(p[1:-1, :-2], p[1:-1, 2:]), f(p[:-2, 1:-1], p[2:, 1:-1]))
        a = f(a, p[1:-1, 1:-1])
        if i % 2 == 0:
            a = f(f(a, f(p[:-2, :-2], p[:-2, 2:])), f(p[2:, :-2], p[2:, 2:]))
    return a


def _centre(fitted: np.ndarray) -> np.ndarray:
    """Paste into 28×28 at the whole-pixel offset that puts the centre of mass nearest
    `MNIST_CENTRE` (|error| ≤ 0.5 px), never pushing ink off the field."""
    h, w = fitted.shape
    mass = fitted.sum()
    com_r = (fitted.sum(axis=1) @ np.arange(h)) / mass
    com_c = (fitted.sum(axis=0) @ np.arange(w)) / mass
    top = min(max(round(MNIST_CENTRE[0] - com_r), 0), SIDE - h)
    left = min(max(round(MNIST_CENTRE[1] - com_c), 0), SIDE - w)
    out = np.zeros((SIDE, SIDE), np.float32)
    out[top : top + h, left : left + w] = fitted
    return _frozen(out)


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=np.float32)
    a.flags.writeable = False
    return a


# --- raster input ------------------------------------------------------------------------


def _raster_ink(image: Any) -> np.ndarray | None:
    """White-on-black ink in [0, 1] (max 1), or None if nothing stands out from the paper.

    The paper is whatever covers most of the image's border: transparent (then alpha is the
    ink, whatever its colour), light (ink = paper − grey) or dark (ink = grey − paper).
    """
    px, full = _pixels(image)
    if px.shape[2] in (2, 4) and np.median(_border(px[..., -1])) < full / 2:
        channel, paper = px[..., -1], 0.0
    else:
        channel = _grey(px)
        paper = float(np.median(_border(channel)))
    light = paper > full / 2
    peak = paper - float(channel.min()) if light else float(channel.max()) - paper
    if peak < MIN_CONTRAST * full:
        return None
    v = channel.astype(np.float32)
    ink = (np.float32(paper) - v if light else v - np.float32(paper)) / np.float32(peak)
    ink *= ink >= MIN_CONTRAST  # ≤ 1 already: `peak` is the largest difference
    return ink


def _grey(px: np.ndarray) -> np.ndarray:
    """Luma, ITU-R 601: 0.299 R + 0.587 G + 0.114 B (Pillow's own "L" conversion for 8 bits)."""
    if px.shape[2] < 3:
        return px[..., 0]
    if px.dtype == np.uint8:
        return np.asarray(Image.fromarray(np.ascontiguousarray(px)).convert("L"))
    return px[..., :3] @ np.float32([0.299, 0.587, 0.114])


def _border(a: np.ndarray) -> np.ndarray:
    return np.concatenate([a[0], a[-1], a[1:-1, 0], a[1:-1, -1]])


def _pixels(image: Any) -> tuple[np.ndarray, float]:
    """Any raster input as `(h, w, channels)` numbers at most `MAX_SIDE` px on a side, and
    the value that means full intensity (255 for 8-bit, 1.0 for floats in [0, 1])."""
    if isinstance(image, bytes | bytearray | memoryview):
        image = _decode(bytes(image))
    if isinstance(image, Image.Image):
        image = _from_pil(image)
    try:
        a = np.asarray(image)
    except (TypeError, ValueError) as exc:
        raise DatasetError(f"not an image: {type(image).__name__} ({exc})") from exc
    if a.ndim == 2:
        a = a[..., None]
    if a.ndim != 3 or a.shape[2] not in (1, 2, 3, 4) or min(a.shape[:2]) == 0:
        raise DatasetError(
            f"a drawing must be an (h, w), (h, w, 3) or (h, w, 4) image; got shape {a.shape}"
        )
    if a.dtype == bool:
        a = a.astype(np.uint8) * np.uint8(255)
    if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise DatasetError(f"a drawing must hold numbers; got dtype {a.dtype}")
    integer = np.issubdtype(a.dtype, np.integer)
    a = _shrink(a)
    if integer:
        return a, 255.0 if a.dtype == np.uint8 or a.max() <= 255 else 65535.0
    a = a.astype(np.float32, copy=False)
    if not np.isfinite(a).all():
        raise DatasetError("a drawing contains NaN or infinite values")
    return a, 1.0 if a.max() <= 1.0 else 255.0


def _shrink(a: np.ndarray) -> np.ndarray:
    """Box-average by a whole factor so the longer side is ≤ `MAX_SIDE` (float32 out).

    Done in bands of rows so a 10,000 × 10,000 input never gets a full-size float copy.
    """
    k = math.ceil(max(a.shape[:2]) / MAX_SIDE)
    if k == 1:
        return a
    h, w, c = a.shape[0] // k, a.shape[1] // k, a.shape[2]
    out = np.empty((h, w, c), np.float32)
    for r in range(0, h, 64):
        band = a[r * k : min(r + 64, h) * k, : w * k].reshape(-1, k, w, k, c)
        out[r : r + len(band)] = band.sum(axis=(1, 3), dtype=np.float32) / (k * k)
    return out


def _decode(data: bytes) -> Image.Image:
    """Picture bytes → a loaded image, checked before decoding: the file's size, then the
    pixel size its header declares (Pillow reads headers lazily, pixels on `load`)."""
    if len(data) > limits.IMAGE_BYTES:
        raise DatasetError(
            f"the image file is {len(data) / limits.MB:.1f} MB; at most "
            f"{limits.IMAGE_BYTES // limits.MB} MB"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a stranger's broken file is not news for the log
            img = Image.open(io.BytesIO(data), formats=PICTURE_FORMATS)
            _check_size(img.size)
            img.draft(img.mode, (MAX_SIDE, MAX_SIDE))  # JPEG decodes straight to a small size
            img.load()
    except DatasetError:
        raise
    except Image.DecompressionBombError as exc:  # beyond Pillow's own limit, far beyond ours
        raise DatasetError(_too_large(_declared_size(data))) from exc
    except ValueError as exc:
        if "too large" not in str(exc):
            raise DatasetError(f"not an image Pillow can read ({len(data)} bytes): {exc}") from exc
        raise DatasetError(
            "the image carries a metadata block (a PNG text or colour profile) that unpacks to "
            f"more than {limits.IMAGE_METADATA_BYTES / 2**20:g} MiB; save it again without "
            "metadata"
        ) from exc
    except UnidentifiedImageError as exc:
        raise DatasetError(
            f"not an image nnviz reads ({len(data)} bytes): expected one of "
            f"{', '.join(PICTURE_FORMATS)}"
        ) from exc
    except (OSError, EOFError, SyntaxError, struct.error) as exc:
        raise DatasetError(f"not an image Pillow can read ({len(data)} bytes): {exc}") from exc
    return img


def _check_size(size: tuple[int, int]) -> None:
    if max(size) > limits.IMAGE_SIDE:
        raise DatasetError(_too_large(size))


def _too_large(size: tuple[int, int] | None) -> str:
    side = limits.IMAGE_SIDE
    found = f"{size[0]}×{size[1]} pixels" if size else "larger than Pillow decodes safely"
    return f"the image is {found}; at most {side}×{side}: scale it down or crop it to the digit"


def _declared_size(data: bytes) -> tuple[int, int] | None:
    """`(width, height)` from a PNG or JPEG header, for images Pillow refuses to open."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    i = 2 if data.startswith(b"\xff\xd8") else len(data)
    while i + 9 <= len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return None


def _from_pil(img: Image.Image) -> np.ndarray:
    _check_size(img.size)
    k = math.ceil(max(img.size) / MAX_SIDE)
    if k > 1 and img.mode in ("L", "LA", "RGB", "RGBA") and "transparency" not in img.info:
        img, k = img.reduce(k), 1  # shrink before making any converted full-size copy
    if img.mode != "F":
        alpha = "A" in img.getbands() or "transparency" in img.info
        img = img.convert(
            "RGBA" if alpha else "L" if img.mode in ("1", "L", "I", "I;16") else "RGB"
        )
    return np.asarray(img.reduce(k) if k > 1 else img)
