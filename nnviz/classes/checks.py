"""Every value a page hands the store, checked before it is stored.

Each function returns the value in the form the store keeps (stripped nickname, `uint8` image,
plain `int`/`float`) or raises `ClassError` with a message a student can act on. Nothing here
touches the database, so a bad input never costs a transaction.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np

from nnviz.classes.errors import ClassError

NICKNAME_MAX = 24
LESSON_MAX = 40
LINK_MAX = 2000
SIDE = 28
_LESSON = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LINK_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")


def check_nickname(nickname: object) -> str:
    """The nickname, NFC-normalized and stripped: 1–24 printable characters.

    `str.isprintable` rejects control characters and the invisible format characters (such as
    zero-width spaces) that would let two nicknames look the same.
    """
    if not isinstance(nickname, str):
        raise ClassError("a nickname is text")
    name = unicodedata.normalize("NFC", nickname).strip()
    if not name:
        raise ClassError("pick a nickname (1 to 24 characters)")
    if len(name) > NICKNAME_MAX:
        raise ClassError(f"a nickname has at most {NICKNAME_MAX} characters; this has {len(name)}")
    if not name.isprintable():
        raise ClassError("a nickname cannot contain control or invisible characters")
    return name


def nickname_key(name: str) -> str:
    """What makes two nicknames the same: `Anna` and `anna` would confuse the teacher."""
    return name.casefold()


def check_lesson(lesson: object) -> str | None:
    """An optional lesson key (a Classroom preset such as `xor-learns`), or None."""
    if lesson is None:
        return None
    if not isinstance(lesson, str) or not 0 < len(lesson) <= LESSON_MAX:
        raise ClassError(f"a lesson is a preset key of 1 to {LESSON_MAX} characters")
    if not _LESSON.fullmatch(lesson):
        raise ClassError(
            f"{lesson!r} is not a lesson key: use lower-case letters, digits, '-' and '_'"
        )
    return lesson


def check_digit(value: object, what: str) -> int:
    """A digit class 0–9 (the student's label or the model's prediction)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value <= 9:
        raise ClassError(f"the {what} must be a digit from 0 to 9, got {value!r}")
    return int(value)


def check_image(image: object) -> np.ndarray:
    """The drawing as the model saw it, as a `(28, 28)` uint8 array.

    Accepts `uint8` pixels, or floats in [0, 1] (what `preprocess_drawing` returns), in the shape
    `(28, 28)`, `(784,)` or `(1, 784)`. Floats become `round(255·x)`, the MNIST encoding.
    """
    if not isinstance(image, np.ndarray):
        raise ClassError(f"a drawing is a NumPy array, got {type(image).__name__}")
    if image.shape not in ((SIDE, SIDE), (SIDE * SIDE,), (1, SIDE * SIDE)):
        raise ClassError(f"a drawing is a 28×28 image; got shape {image.shape}")
    pixels = image.reshape(SIDE, SIDE)
    if pixels.dtype == np.uint8:
        return pixels.copy()
    if pixels.dtype.kind != "f":
        raise ClassError(f"a drawing's pixels are uint8 or floats in [0, 1], got {pixels.dtype}")
    if not np.isfinite(pixels).all():
        raise ClassError("a drawing's pixels must be finite numbers")
    low, high = float(pixels.min()), float(pixels.max())
    if low < 0.0 or high > 1.0:
        raise ClassError(f"float pixels must lie in [0, 1]; these span [{low:.3g}, {high:.3g}]")
    return np.rint(pixels.astype(np.float64) * 255).astype(np.uint8)


def check_fraction(value: object, what: str, *, optional: bool = False) -> float | None:
    """A number in [0, 1] (a confidence or an accuracy); None allowed when `optional`."""
    if value is None and optional:
        return None
    number = _finite(value, what)
    if not 0.0 <= number <= 1.0:
        raise ClassError(f"the {what} must lie between 0 and 1, got {number:g}")
    return number


def check_loss(value: object, what: str) -> float | None:
    """A loss: a finite number ≥ 0, or None when the run has no such split."""
    if value is None:
        return None
    number = _finite(value, what)
    if number < 0:
        raise ClassError(f"the {what} cannot be negative, got {number:g}")
    return number


def check_count(value: object, what: str, *, minimum: int) -> int:
    """A whole number ≥ `minimum` (steps, weights)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ClassError(f"the {what} must be a whole number ≥ {minimum}, got {value!r}")
    return int(value)


def check_link(link: object) -> str:
    """A run's link (its config as a URL query such as `dataset=xor&lr=0.03`, or a path with it).

    Up to 2,000 characters without spaces or control characters, so it opens as one URL.
    """
    if not isinstance(link, str) or not link:
        raise ClassError("a handed-in run needs its link (the run's settings)")
    if len(link) > LINK_MAX:
        raise ClassError(f"a run's link has at most {LINK_MAX} characters; this has {len(link)}")
    if _LINK_FORBIDDEN.search(link):
        raise ClassError("a run's link cannot contain spaces or control characters")
    return link


def _finite(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ClassError(f"the {what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ClassError(f"the {what} must be a finite number, got {number}")
    return number
