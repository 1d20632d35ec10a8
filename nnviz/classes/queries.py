"""The store's SQL, as SQLAlchemy Core statements that read the same on SQLite and PostgreSQL.

Each function runs inside the caller's transaction; the checks and messages stay in `store`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from nnviz.classes.checks import nickname_key
from nnviz.classes.schema import CLASS_TABLES, classes, drawings, runs, students


def class_row(connection: sa.Connection, code: str, *, lock: bool = False) -> sa.Row | None:
    """The class's row; `lock` holds it until the transaction ends (`SELECT … FOR UPDATE` on
    PostgreSQL, so concurrent writers to one class take turns; SQLite's writers already do)."""
    query = sa.select(classes).where(classes.c.code == code)
    return connection.execute(query.with_for_update() if lock else query).one_or_none()


def student_row(connection: sa.Connection, code: str, name: str) -> sa.Row | None:
    """The student of this class whose nickname matches `name` ignoring case."""
    return connection.execute(
        sa.select(students).where(
            students.c.class_code == code, students.c.nickname_key == nickname_key(name)
        )
    ).one_or_none()


def count_classes(connection: sa.Connection) -> int:
    """Classes in the store, live or expired."""
    return connection.scalar(sa.select(sa.func.count()).select_from(classes))


def count_rows(
    connection: sa.Connection, table: sa.Table, code: str, name: str | None = None
) -> int:
    """Rows of `table` in the class, or only the student `name`'s."""
    query = sa.select(sa.func.count()).select_from(table).where(table.c.class_code == code)
    if name is not None:
        query = query.where(table.c.nickname == name)
    return connection.scalar(query)


def nicknames(connection: sa.Connection, code: str) -> tuple[str, ...]:
    """The class's nicknames in the order they joined."""
    query = (
        sa.select(students.c.nickname)
        .where(students.c.class_code == code)
        .order_by(students.c.joined_at, students.c.id)
    )
    return tuple(connection.scalars(query))


def drawings_per_digit(connection: sa.Connection, code: str) -> tuple[int, ...]:
    """How many drawings the class has of each digit 0–9."""
    counts = [0] * 10
    query = (
        sa.select(drawings.c.label, sa.func.count())
        .where(drawings.c.class_code == code)
        .group_by(drawings.c.label)
    )
    for label, count in connection.execute(query):
        counts[label] = count
    return tuple(counts)


def class_drawings(code: str, after_id: int) -> sa.Select:
    """The class's drawings with ids above `after_id`, oldest first."""
    return (
        sa.select(drawings)
        .where(drawings.c.class_code == code, drawings.c.id > after_id)
        .order_by(drawings.c.id)
    )


def started_by(connection: sa.Connection, moment: float) -> list[str]:
    """Codes of the classes started at or before `moment` (Unix seconds)."""
    query = sa.select(classes.c.code).where(classes.c.created_at <= moment)
    return list(connection.scalars(query))


def delete_classes(connection: sa.Connection, codes: Sequence[str]) -> None:
    """Delete the classes and all their rows, children first (not relying on the cascade, which
    SQLite only follows with foreign keys switched on)."""
    if not codes:
        return
    for table in CLASS_TABLES:
        connection.execute(table.delete().where(table.c.class_code.in_(codes)))
    connection.execute(classes.delete().where(classes.c.code.in_(codes)))


def ranking(columns: sa.ColumnCollection) -> tuple[sa.ColumnElement, ...]:
    """Leaderboard order: test accuracy high to low (none last), fewer weights, earlier."""
    return (
        columns.test_accuracy.desc().nulls_last(),
        columns.n_weights.asc(),
        columns.created_at.asc(),
        columns.id.asc(),
    )


def best_runs(code: str, limit: int | None) -> sa.Select:
    """Each student's best run in leaderboard order: rank the runs within each nickname with
    `ROW_NUMBER() OVER (PARTITION BY nickname ORDER BY …)` and keep the first."""
    rank = sa.func.row_number().over(partition_by=runs.c.nickname, order_by=ranking(runs.c))
    ranked = sa.select(runs, rank.label("rank")).where(runs.c.class_code == code).subquery()
    columns = [ranked.c[column.name] for column in runs.columns]
    return sa.select(*columns).where(ranked.c.rank == 1).order_by(*ranking(ranked.c)).limit(limit)


def all_runs(code: str) -> sa.Select:
    """Every run of the class in leaderboard order."""
    return sa.select(runs).where(runs.c.class_code == code).order_by(*ranking(runs.c))
