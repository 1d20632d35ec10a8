"""Where the class store lives: one SQLAlchemy engine per database URL, made safe to share.

`NNVIZ_CLASS_DB` picks the database:

- unset: an SQLite file in the user's data folder (`$XDG_DATA_HOME/nnviz/classes.db`, else
  `~/.local/share/nnviz/classes.db`; `%LOCALAPPDATA%\\nnviz\\classes.db` on Windows);
- a path: an SQLite file there;
- `postgresql://…` (or `postgresql+psycopg://…`): PostgreSQL through psycopg 3, what several
  replicas share.

SQLite is set up on every new connection so several server processes can write at once: WAL
journal (readers never block the writer), a busy timeout (a writer waits for the lock instead
of failing with "database is locked"), foreign keys on, and Python's own transaction handling
switched off so the store can say `BEGIN IMMEDIATE`: a write transaction takes the write lock
when it starts, instead of upgrading a read lock later, which SQLite may refuse at once without
waiting out the busy timeout.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from nnviz.classes.errors import ClassError
from nnviz.classes.schema import ensure_schema

ENV_VAR = "NNVIZ_CLASS_DB"
BUSY_TIMEOUT_MS = 30_000
WRITE = "nnviz_write"

_engines: dict[str, sa.Engine] = {}
_engines_lock = threading.Lock()


def default_sqlite_path() -> Path:
    """The SQLite file used when `NNVIZ_CLASS_DB` is unset."""
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    elif os.environ.get("XDG_DATA_HOME"):
        base = Path(os.environ["XDG_DATA_HOME"])
    else:
        base = Path.home() / ".local" / "share"
    return base / "nnviz" / "classes.db"


def database_url(setting: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for `setting` (default: `$NNVIZ_CLASS_DB`), as described above."""
    if setting is None:
        setting = os.environ.get(ENV_VAR) or None
    if setting is None:
        return sqlite_url(default_sqlite_path())
    text = os.fspath(setting).strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return text
    if scheme:
        raise ClassError(
            f"{ENV_VAR} must be a file path or a postgresql:// URL, not a {scheme}:// URL"
        )
    if not text:
        raise ClassError(f"{ENV_VAR} is empty: unset it, or give a file path or postgresql:// URL")
    return sqlite_url(Path(text).expanduser())


def sqlite_url(path: Path) -> str:
    """The URL of an SQLite file (an absolute path, so every process means the same file)."""
    return f"sqlite+pysqlite:///{path.resolve()}"


def get_engine(url: str) -> sa.Engine:
    """The process's one engine for `url`, its schema ready (engines hold the connection pool,
    so threads share them)."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _create_engine(url)
            try:
                with write_transaction(engine) as connection:
                    ensure_schema(connection)
            except BaseException:
                engine.dispose()
                raise
            _engines[url] = engine
        return engine


def close_engine(url: str) -> None:
    """Close the pooled connections of `url`'s engine and forget it (the next `get_engine`
    opens it afresh): for tests, and for a process that is done with a database."""
    with _engines_lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One transaction that will write: committed whole at the end, or rolled back whole."""
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        yield connection


@contextmanager
def read_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One transaction that only reads: one consistent snapshot (SQLite's deferred `BEGIN`,
    PostgreSQL's `REPEATABLE READ`), no write lock."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _create_engine(url: str) -> sa.Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ClassError("the class store needs an SQLite file, not an in-memory database")
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(url, pool_pre_ping=True)
    raise ClassError(f"the class store runs on SQLite or PostgreSQL, not {parsed.drivername}")


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    write = connection.get_execution_options().get(WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
