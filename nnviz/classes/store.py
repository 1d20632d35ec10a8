"""The class store: every class action is one database transaction, checked before it writes.

Who may do what is decided by what an action takes:

- anyone with the code: `class_info`, `summary`, `leaderboard`, `join`;
- a joined student, scoped to `(code, nickname)`: `add_drawing`, `hand_in_run`, `student`;
  there is no student action that changes or removes a stored entry;
- the teacher, with the teacher key: `drawings`, `runs`, `remove_drawing`,
  `remove_student_drawings`, `delete_class`. The key is never returned after `create_class`.

Write actions lock the class row first (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's
`BEGIN IMMEDIATE` already serializes writers), so the limit counts they check cannot be
overtaken by a concurrent writer. Only nicknames are stored: no addresses, no browsers.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np
import sqlalchemy as sa

from nnviz.classes import checks, codes, queries, records
from nnviz.classes.backend import database_url, get_engine, read_transaction, write_transaction
from nnviz.classes.errors import ClassError
from nnviz.classes.limits import DEFAULT_EXPIRE_DAYS, Limits, check_expire_days
from nnviz.classes.schema import classes, drawings, runs, students

DAYS_ENV_VAR = "NNVIZ_CLASS_DAYS"
_DAY = 86_400.0
_CODE_ATTEMPTS = 8


class ClassStore:
    """A class hub on one database; share one instance between threads (it keeps no state
    besides its settings; the engine's pool hands each thread its own connection).

    Args:
        url: an SQLAlchemy URL, a file path or a `postgresql://` URL; default `$NNVIZ_CLASS_DB`
            (see `nnviz.classes.backend`).
        limits: caps per class and per student.
        expire_days: a class expires this many days after it starts; then every action but
            `delete_class` refuses it, and `purge_expired` deletes it.
        clock: Unix seconds now; tests pass a fake one to travel in time.
    """

    def __init__(
        self,
        url: str | os.PathLike[str] | None = None,
        *,
        limits: Limits | None = None,
        expire_days: float = DEFAULT_EXPIRE_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.limits = Limits() if limits is None else limits
        self.expire_days = check_expire_days(expire_days)
        self._clock = clock
        self._engine = get_engine(database_url(url))

    @classmethod
    def from_env(cls) -> ClassStore:
        """The store the app uses: `$NNVIZ_CLASS_DB`, and `$NNVIZ_CLASS_DAYS` (default 30)."""
        days = os.environ.get(DAYS_ENV_VAR, "").strip()
        try:
            expire_days = float(days) if days else DEFAULT_EXPIRE_DAYS
        except ValueError:
            raise ClassError(f"{DAYS_ENV_VAR} must be a number of days, got {days!r}") from None
        return cls(expire_days=expire_days)

    @property
    def backend(self) -> str:
        """`sqlite` or `postgresql`."""
        return self._engine.dialect.name

    @property
    def location(self) -> str:
        """The database URL without its password, to show the teacher where classes live."""
        return self._engine.url.render_as_string(hide_password=True)

    # --- classes ---------------------------------------------------------------------------

    def create_class(self, lesson: str | None = None) -> records.NewClass:
        """Start a class (optionally with a lesson as its challenge); expired classes are purged
        first. Returns the code and the teacher key, the only time the key is ever shown."""
        lesson = checks.check_lesson(lesson)
        self.purge_expired()
        for _ in range(_CODE_ATTEMPTS):
            code, key = codes.new_class_code(), codes.new_secret_key()
            try:
                with write_transaction(self._engine) as connection:
                    self._check_room_for_a_class(connection)
                    connection.execute(
                        classes.insert().values(
                            code=code,
                            teacher_key_hash=codes.hash_key(key),
                            lesson=lesson,
                            created_at=self._clock(),
                        )
                    )
            except sa.exc.IntegrityError:
                continue
            return records.NewClass(code, key)
        raise ClassError("could not find a free class code; try again")

    def _check_room_for_a_class(self, connection: sa.Connection) -> None:
        if queries.count_classes(connection) >= self.limits.classes:
            raise ClassError(
                f"this server already keeps {self.limits.classes} classes, the most it holds at "
                f"once; delete a class you no longer need (each class's teacher view has "
                f"Delete), or wait: classes end {self.expire_days:g} days after they start"
            )

    def class_info(self, code: str) -> records.ClassInfo:
        """The live class with this code (raises for a bad, unknown or expired code)."""
        with read_transaction(self._engine) as connection:
            return self._info(self._class_row(connection, code))

    def check_teacher(self, code: str, teacher_key: str) -> records.ClassInfo:
        """The class, if `teacher_key` is its key: what the teacher link checks on opening."""
        with read_transaction(self._engine) as connection:
            return self._info(self._teacher_row(connection, code, teacher_key))

    def summary(self, code: str) -> records.ClassSummary:
        """Students, drawings per digit and runs handed in, read in one snapshot."""
        with read_transaction(self._engine) as connection:
            row = self._class_row(connection, code)
            names = queries.nicknames(connection, row.code)
            per_digit = queries.drawings_per_digit(connection, row.code)
            n_runs = queries.count_rows(connection, runs, row.code)
        return records.ClassSummary(self._info(row), names, per_digit, n_runs)

    def delete_class(self, code: str, teacher_key: str) -> None:
        """Delete the class and everything in it (also works once it has expired)."""
        with write_transaction(self._engine) as connection:
            row = self._teacher_row(connection, code, teacher_key, lock=True, allow_expired=True)
            queries.delete_classes(connection, [row.code])

    def purge_expired(self) -> int:
        """Delete every expired class with its data; returns how many classes went."""
        started_by = self._clock() - self.expire_days * _DAY
        with write_transaction(self._engine) as connection:
            expired = queries.started_by(connection, started_by)
            queries.delete_classes(connection, expired)
        return len(expired)

    # --- students --------------------------------------------------------------------------

    def join(self, code: str, nickname: str) -> records.Student:
        """Join the class under a nickname unique in it (case-insensitive)."""
        name = checks.check_nickname(nickname)
        key = codes.new_secret_key()
        with write_transaction(self._engine) as connection:
            row = self._class_row(connection, code, lock=True)
            if queries.student_row(connection, row.code, name) is not None:
                raise ClassError(f"the nickname {name!r} is taken in this class; pick another")
            if queries.count_rows(connection, students, row.code) >= self.limits.students:
                raise ClassError(f"class {row.code} is full ({self.limits.students} students)")
            connection.execute(
                students.insert().values(
                    class_code=row.code,
                    nickname=name,
                    nickname_key=checks.nickname_key(name),
                    key_hash=codes.hash_key(key),
                    joined_at=self._clock(),
                )
            )
        return records.Student(name, key)

    def rejoin(self, code: str, nickname: str, student_key: str) -> str:
        """Take a nickname back with the key `join` gave (after a reload); returns it as stored."""
        name = checks.check_nickname(nickname)
        with read_transaction(self._engine) as connection:
            row = self._class_row(connection, code)
            student = queries.student_row(connection, row.code, name)
        if student is None:
            raise ClassError(f"nobody called {name!r} is in class {row.code}; join first")
        if not codes.key_matches(student_key, student.key_hash):
            raise ClassError(f"the nickname {name!r} is taken in this class; pick another")
        return student.nickname

    def student(self, code: str, nickname: str) -> records.StudentStatus:
        """How many drawings and runs this student has stored."""
        name = checks.check_nickname(nickname)
        with read_transaction(self._engine) as connection:
            row = self._class_row(connection, code)
            name = self._joined(connection, row.code, name)
            n_drawings = queries.count_rows(connection, drawings, row.code, name)
            n_runs = queries.count_rows(connection, runs, row.code, name)
        return records.StudentStatus(name, n_drawings, n_runs, self.limits)

    # --- drawings --------------------------------------------------------------------------

    def add_drawing(
        self,
        code: str,
        nickname: str,
        image: np.ndarray,
        label: int,
        prediction: int,
        confidence: float,
    ) -> int:
        """Store a student's drawing with the label they give and the model's reading of it.

        Args:
            image: the 28×28 model input, uint8 or floats in [0, 1] (see `checks.check_image`).
            label: the digit the student says it is.
            prediction, confidence: the model's answer and its probability.

        Returns:
            The drawing's id.
        """
        values = {
            "pixels": checks.check_image(image).tobytes(),
            "label": checks.check_digit(label, "label"),
            "prediction": checks.check_digit(prediction, "prediction"),
            "confidence": checks.check_fraction(confidence, "confidence"),
        }
        return self._add_entry(drawings, "drawings", code, nickname, values)

    def drawings(self, code: str, teacher_key: str, *, after_id: int = 0) -> list[records.Drawing]:
        """The class set, oldest first; `after_id` returns only newer ones (for live refresh)."""
        after_id = checks.check_count(after_id, "drawing id", minimum=0)
        with read_transaction(self._engine) as connection:
            row = self._teacher_row(connection, code, teacher_key)
            rows = connection.execute(queries.class_drawings(row.code, after_id)).all()
        return [records.drawing_from_row(r) for r in rows]

    def remove_drawing(self, code: str, teacher_key: str, drawing_id: int) -> None:
        """Remove one drawing from the class set."""
        drawing_id = checks.check_count(drawing_id, "drawing id", minimum=1)
        with write_transaction(self._engine) as connection:
            row = self._teacher_row(connection, code, teacher_key, lock=True)
            gone = connection.execute(
                drawings.delete().where(
                    drawings.c.class_code == row.code, drawings.c.id == drawing_id
                )
            ).rowcount
        if gone == 0:
            raise ClassError(f"class {row.code} has no drawing #{drawing_id}")

    def remove_student_drawings(self, code: str, teacher_key: str, nickname: str) -> int:
        """Remove all of one student's drawings; returns how many went."""
        name = checks.check_nickname(nickname)
        with write_transaction(self._engine) as connection:
            row = self._teacher_row(connection, code, teacher_key, lock=True)
            name = self._joined(connection, row.code, name)
            return connection.execute(
                drawings.delete().where(
                    drawings.c.class_code == row.code, drawings.c.nickname == name
                )
            ).rowcount

    # --- runs ------------------------------------------------------------------------------

    def hand_in_run(
        self,
        code: str,
        nickname: str,
        link: str,
        *,
        steps: int,
        train_loss: float | None,
        test_loss: float | None,
        train_accuracy: float | None,
        test_accuracy: float | None,
        n_weights: int,
    ) -> int:
        """Store a run: its link (the config as a URL query), how far it trained, how well it did.

        Losses and accuracies may be None when the run has no such figure (no test split,
        regression). Returns the run's id.
        """
        values = {
            "link": checks.check_link(link),
            "steps": checks.check_count(steps, "number of steps", minimum=1),
            "train_loss": checks.check_loss(train_loss, "train loss"),
            "test_loss": checks.check_loss(test_loss, "test loss"),
            "train_accuracy": checks.check_fraction(
                train_accuracy, "train accuracy", optional=True
            ),
            "test_accuracy": checks.check_fraction(test_accuracy, "test accuracy", optional=True),
            "n_weights": checks.check_count(n_weights, "number of weights", minimum=1),
        }
        return self._add_entry(runs, "runs", code, nickname, values)

    def _add_entry(self, table, what: str, code: str, nickname: str, values: dict) -> int:
        """Insert a student's checked entry (a drawing, a run) in one transaction, within the
        class's and the student's limits on `what`; returns its id."""
        name = checks.check_nickname(nickname)
        with write_transaction(self._engine) as connection:
            row = self._class_row(connection, code, lock=True)
            name = self._joined(connection, row.code, name)
            self._check_room(connection, table, row.code, name, what)
            return connection.execute(
                table.insert()
                .values(class_code=row.code, nickname=name, created_at=self._clock(), **values)
                .returning(table.c.id)
            ).scalar_one()

    def leaderboard(self, code: str, *, limit: int | None = None) -> list[records.HandedRun]:
        """Each student's best run, best first: highest test accuracy, ties broken by fewer
        weights, then by who handed in first. Runs without a test accuracy come last.

        One row per student keeps the board readable and stops one student's fifty attempts
        from pushing everyone else off it; the teacher sees every run with `runs`.
        """
        if limit is not None:
            limit = checks.check_count(limit, "leaderboard length", minimum=1)
        with read_transaction(self._engine) as connection:
            row = self._class_row(connection, code)
            rows = connection.execute(queries.best_runs(row.code, limit)).all()
        return [records.run_from_row(r) for r in rows]

    def runs(self, code: str, teacher_key: str) -> list[records.HandedRun]:
        """Every run handed in, in leaderboard order (the teacher's full view)."""
        with read_transaction(self._engine) as connection:
            row = self._teacher_row(connection, code, teacher_key)
            rows = connection.execute(queries.all_runs(row.code)).all()
        return [records.run_from_row(r) for r in rows]

    # --- inside one transaction ------------------------------------------------------------

    def _class_row(
        self,
        connection: sa.Connection,
        code: str,
        *,
        lock: bool = False,
        allow_expired: bool = False,
    ) -> sa.Row:
        code = codes.normalize_code(code)
        row = queries.class_row(connection, code, lock=lock)
        if row is None:
            raise ClassError(f"there is no class {code}; check the code with your teacher")
        if not allow_expired and self._clock() >= self._expires_at(row):
            ended = records.to_datetime(self._expires_at(row)).strftime("%Y-%m-%d")
            raise ClassError(
                f"class {code} ended on {ended} (classes last {self.expire_days:g} days); "
                "ask your teacher for a new class"
            )
        return row

    def _teacher_row(
        self,
        connection: sa.Connection,
        code: str,
        teacher_key: str,
        *,
        lock: bool = False,
        allow_expired: bool = False,
    ) -> sa.Row:
        row = self._class_row(connection, code, lock=lock, allow_expired=allow_expired)
        if not codes.key_matches(teacher_key, row.teacher_key_hash):
            raise ClassError(f"this is not the teacher link of class {row.code}")
        return row

    def _joined(self, connection: sa.Connection, code: str, name: str) -> str:
        """The nickname as the student joined with (`name` matches it ignoring case)."""
        student = queries.student_row(connection, code, name)
        if student is None:
            raise ClassError(f"nobody called {name!r} is in class {code}; join first")
        return student.nickname

    def _check_room(
        self, connection: sa.Connection, table: sa.Table, code: str, name: str, what: str
    ) -> None:
        per_class = getattr(self.limits, what)
        per_student = getattr(self.limits, f"{what}_per_student")
        if queries.count_rows(connection, table, code) >= per_class:
            raise ClassError(f"class {code} is full: it holds at most {per_class} {what}")
        if queries.count_rows(connection, table, code, name) >= per_student:
            raise ClassError(f"{name} has stored {per_student} {what}, the most one student can")

    def _expires_at(self, row: sa.Row) -> float:
        return row.created_at + self.expire_days * _DAY

    def _info(self, row: sa.Row) -> records.ClassInfo:
        return records.ClassInfo(
            row.code,
            row.lesson,
            records.to_datetime(row.created_at),
            records.to_datetime(self._expires_at(row)),
            self.limits,
        )

    def __repr__(self) -> str:
        return f"ClassStore({self.location})"
