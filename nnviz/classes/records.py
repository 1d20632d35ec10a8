"""What the store hands back: small frozen records, times as UTC datetimes, images read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

import numpy as np

from nnviz.classes.limits import Limits


class NewClass(NamedTuple):
    """A class just started: its code (for everyone) and the teacher key (for the teacher only)."""

    code: str
    teacher_key: str


class Student(NamedTuple):
    """A student just joined: the nickname as stored, and a key that lets the same student
    take the nickname back after a reload (`ClassStore.rejoin`); keep it in the session."""

    nickname: str
    key: str


@dataclass(frozen=True)
class ClassInfo:
    """A live class: what the Class page shows about it."""

    code: str
    lesson: str | None
    created_at: datetime
    expires_at: datetime
    limits: Limits


@dataclass(frozen=True)
class ClassSummary:
    """Counts for the teacher's live view and the students' status line."""

    info: ClassInfo
    nicknames: tuple[str, ...]
    drawings_per_digit: tuple[int, ...]
    runs: int

    @property
    def students(self) -> int:
        return len(self.nicknames)

    @property
    def drawings(self) -> int:
        return sum(self.drawings_per_digit)

    def __repr__(self) -> str:
        return (
            f"ClassSummary({self.info.code}: {self.students} students, "
            f"{self.drawings} drawings, {self.runs} runs)"
        )


@dataclass(frozen=True)
class StudentStatus:
    """One student's usage, to show next to the per-student limits."""

    nickname: str
    drawings: int
    runs: int
    limits: Limits


@dataclass(frozen=True, repr=False)
class Drawing:
    """A drawing in the class set: the 28×28 uint8 model input and what the student said it is."""

    id: int
    nickname: str
    image: np.ndarray
    label: int
    prediction: int
    confidence: float
    created_at: datetime

    @property
    def misread(self) -> bool:
        """The model's prediction (when it was added) differs from the student's label."""
        return self.prediction != self.label

    def __repr__(self) -> str:
        return f"Drawing(#{self.id} {self.label} by {self.nickname!r}, read {self.prediction})"


@dataclass(frozen=True)
class HandedRun:
    """A run a student handed in; `link` reopens exactly that run."""

    id: int
    nickname: str
    link: str
    steps: int
    train_loss: float | None
    test_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    n_weights: int
    created_at: datetime


def to_datetime(seconds: float) -> datetime:
    """Unix seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, tz=UTC)


def drawing_from_row(row) -> Drawing:
    """A `nnviz_drawings` row as a `Drawing`; its 784 bytes become a read-only 28×28 image."""
    return Drawing(
        row.id,
        row.nickname,
        np.frombuffer(row.pixels, dtype=np.uint8).reshape(28, 28),
        row.label,
        row.prediction,
        row.confidence,
        to_datetime(row.created_at),
    )


def run_from_row(row) -> HandedRun:
    """A `nnviz_runs` row as a `HandedRun`."""
    return HandedRun(
        row.id,
        row.nickname,
        row.link,
        row.steps,
        row.train_loss,
        row.test_loss,
        row.train_accuracy,
        row.test_accuracy,
        row.n_weights,
        to_datetime(row.created_at),
    )
