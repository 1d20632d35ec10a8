"""The class hub's one error type: a bad input, in words a student or teacher can act on."""

from __future__ import annotations


class ClassError(ValueError):
    """A class action that cannot be done: bad code, unknown or expired class, full class, taken
    nickname, bad drawing or run, wrong teacher key, a limit reached.

    The message is written for the person at the screen, so pages show `str(error)` as is.
    """
