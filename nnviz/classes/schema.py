"""The class store's tables (SQLAlchemy Core, the same on SQLite and PostgreSQL) and their version.

    classes   code · teacher key hash · lesson · created_at
    students  class · nickname · nickname_key (case-folded, unique per class) · key hash ·
              joined_at
    drawings  class · nickname · 784 pixel bytes · label · prediction · confidence · created_at
    runs      class · nickname · link · steps · losses · accuracies · n_weights · created_at
    schema_version   one row: the version these tables follow

Times are Unix seconds (floats), so an injected clock and both databases agree. Rows of a class
go with it (`ON DELETE CASCADE`, and the store also deletes them explicitly). `ensure_schema`
creates the tables on first use and runs the migrations from an older version in order; a
database written by a newer nnviz is refused rather than misread.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from nnviz.classes.errors import ClassError

SCHEMA_VERSION = 1

# Steps from version v to v + 1, keyed by v; each runs inside the migrating transaction.
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {}

metadata = sa.MetaData()

schema_version = sa.Table(
    "nnviz_schema_version",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
)

classes = sa.Table(
    "nnviz_classes",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("teacher_key_hash", sa.String(64), nullable=False),
    sa.Column("lesson", sa.String(40)),
    sa.Column("created_at", sa.Double, nullable=False, index=True),
)


def _student_columns() -> list[sa.Column]:
    """What every per-student row starts with: its id, its class (deleting the class deletes
    the row), the student's nickname."""
    return [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "class_code",
            sa.String(8),
            sa.ForeignKey("nnviz_classes.code", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("nickname", sa.String(24), nullable=False),
    ]


students = sa.Table(
    "nnviz_students",
    metadata,
    *_student_columns(),
    sa.Column("nickname_key", sa.String(96), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("joined_at", sa.Double, nullable=False),
    sa.UniqueConstraint("class_code", "nickname_key", name="uq_nnviz_students_nickname"),
)

drawings = sa.Table(
    "nnviz_drawings",
    metadata,
    *_student_columns(),
    sa.Column("pixels", sa.LargeBinary, nullable=False),
    sa.Column("label", sa.SmallInteger, nullable=False),
    sa.Column("prediction", sa.SmallInteger, nullable=False),
    sa.Column("confidence", sa.Double, nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Index("ix_nnviz_drawings_class", "class_code", "nickname"),
)

runs = sa.Table(
    "nnviz_runs",
    metadata,
    *_student_columns(),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("steps", sa.Integer, nullable=False),
    sa.Column("train_loss", sa.Double),
    sa.Column("test_loss", sa.Double),
    sa.Column("train_accuracy", sa.Double),
    sa.Column("test_accuracy", sa.Double),
    sa.Column("n_weights", sa.Integer, nullable=False),
    sa.Column("created_at", sa.Double, nullable=False),
    sa.Index("ix_nnviz_runs_class", "class_code", "nickname"),
)

CLASS_TABLES = (runs, drawings, students)  # children first, for explicit deletes

_PG_LOCK_ID = 0x6E6E7669  # "nnvi": serializes first-use schema creation across processes


def ensure_schema(connection: sa.Connection) -> None:
    """Create the tables if missing and migrate them to `SCHEMA_VERSION`.

    Runs inside a write transaction, so it happens exactly once even when several processes
    start together (SQLite's `BEGIN IMMEDIATE` holds the write lock; PostgreSQL takes an
    advisory lock, since its `CREATE TABLE` does not wait for a concurrent one).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_ID)))
    metadata.create_all(connection, checkfirst=True)
    found = connection.scalar(sa.select(schema_version.c.version))
    if found is None:
        connection.execute(schema_version.insert().values(id=1, version=SCHEMA_VERSION))
        return
    if found > SCHEMA_VERSION:
        raise ClassError(
            f"the class database has schema version {found}, newer than this nnviz "
            f"understands ({SCHEMA_VERSION}); upgrade nnviz"
        )
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](connection)
    connection.execute(schema_version.update().values(version=SCHEMA_VERSION))
