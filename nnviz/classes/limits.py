"""How much one class may hold, and how many classes one server keeps, so one busy room (or one
stuck key, or a script starting classes) cannot fill the server."""

from __future__ import annotations

from dataclasses import dataclass, fields

from nnviz.classes.errors import ClassError

DEFAULT_EXPIRE_DAYS = 30.0


@dataclass(frozen=True)
class Limits:
    """Upper bounds per server, per class and per student; pages show the class and student
    ones next to the current counts.

    A drawing is 784 bytes of pixels, so the defaults cap a class near 2 MB of drawings, and
    the live classes near 1 GB.
    """

    classes: int = 500  # live classes at once; expired ones are purged before counting
    students: int = 60
    drawings: int = 3000
    drawings_per_student: int = 200
    runs: int = 1500
    runs_per_student: int = 50

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ClassError(f"limit {field.name} must be a whole number ≥ 1, got {value!r}")


def check_expire_days(days: object) -> float:
    """Days a class lives after it starts: a number > 0."""
    if isinstance(days, bool) or not isinstance(days, int | float) or not 0 < days < 100_000:
        raise ClassError(f"classes must expire after a positive number of days, got {days!r}")
    return float(days)
