"""Choosing the database, setting SQLite up for several writers, schema versions, threads."""

from __future__ import annotations

import sqlite3
import threading

import numpy as np
import pytest
import sqlalchemy as sa

from nnviz.classes import ClassError, ClassStore, Limits
from nnviz.classes import schema as schema_module
from nnviz.classes.backend import (
    BUSY_TIMEOUT_MS,
    close_engine,
    database_url,
    default_sqlite_path,
    get_engine,
    read_transaction,
    write_transaction,
)
from nnviz.classes.schema import SCHEMA_VERSION, ensure_schema, schema_version

# --- which database -----------------------------------------------------------------------


def test_default_is_a_file_in_the_xdg_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("NNVIZ_CLASS_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "nnviz" / "classes.db"
    assert default_sqlite_path() == expected
    assert database_url() == f"sqlite+pysqlite:///{expected}"


def test_without_xdg_the_file_is_under_local_share(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_sqlite_path() == tmp_path / ".local" / "share" / "nnviz" / "classes.db"


def test_a_path_means_an_sqlite_file_there(monkeypatch, tmp_path):
    monkeypatch.setenv("NNVIZ_CLASS_DB", str(tmp_path / "room.db"))
    assert database_url() == f"sqlite+pysqlite:///{tmp_path / 'room.db'}"
    monkeypatch.chdir(tmp_path)
    assert database_url("rel/x.db") == f"sqlite+pysqlite:///{tmp_path / 'rel' / 'x.db'}"


def test_the_sqlite_folder_is_created_on_first_use(tmp_path):
    store = ClassStore(tmp_path / "new" / "deeper" / "classes.db")
    store.create_class()
    assert (tmp_path / "new" / "deeper" / "classes.db").is_file()


@pytest.mark.parametrize(
    "setting",
    [
        "postgresql://u:p@db.example:5432/nnviz",
        "postgres://u:p@db.example:5432/nnviz",
        "postgresql+psycopg://u:p@db.example:5432/nnviz",
    ],
)
def test_postgresql_urls_use_psycopg_3(setting):
    assert database_url(setting) == "postgresql+psycopg://u:p@db.example:5432/nnviz"


@pytest.mark.parametrize(
    ("setting", "message"),
    [("mysql://u@h/db", "not a mysql:// URL"), ("postgresql+psycopg2://h/db", "psycopg2")],
)
def test_other_databases_are_refused(setting, message):
    with pytest.raises(ClassError, match=message):
        database_url(setting)


def test_an_in_memory_sqlite_is_refused():
    with pytest.raises(ClassError, match="not an in-memory database"):
        ClassStore("sqlite:///:memory:")


def test_one_engine_per_url(tmp_path):
    url = database_url(tmp_path / "x.db")
    assert get_engine(url) is get_engine(url)
    assert ClassStore(url)._engine is ClassStore(tmp_path / "x.db")._engine


def test_location_hides_a_password(postgres_url):
    store = ClassStore(postgres_url.replace("nnviz@", "nnviz:hunter2@"))  # trust auth ignores it
    assert store.backend == "postgresql"
    assert "hunter2" not in store.location and "hunter2" not in repr(store)
    assert store.location.startswith("postgresql+psycopg://nnviz:***@127.0.0.1")


# --- SQLite set up for several writers ----------------------------------------------------


def test_every_sqlite_connection_has_wal_busy_timeout_and_foreign_keys(tmp_path):
    engine = get_engine(database_url(tmp_path / "x.db"))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == BUSY_TIMEOUT_MS
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_write_transaction_holds_the_write_lock_from_its_start(tmp_path):
    path = tmp_path / "x.db"
    engine = get_engine(database_url(path))
    with write_transaction(engine):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with read_transaction(engine):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a reader does not block a writer
        other.execute("ROLLBACK")
        other.close()


def test_a_failed_action_writes_nothing(db_url):
    engine = get_engine(database_url(db_url))
    with pytest.raises(RuntimeError), write_transaction(engine) as connection:
        connection.execute(
            schema_module.classes.insert()
            .values(code="ABC234", teacher_key_hash="0" * 64)
            .values(created_at=0.0)
        )
        raise RuntimeError("fails half-way")
    with pytest.raises(ClassError, match="there is no class"):
        ClassStore(db_url).class_info("ABC234")


# --- schema versions ----------------------------------------------------------------------


def test_a_new_database_records_the_schema_version(db_url):
    ClassStore(db_url)
    with read_transaction(get_engine(database_url(db_url))) as connection:
        assert connection.execute(sa.select(schema_version)).all() == [(1, SCHEMA_VERSION)]


def test_a_newer_database_is_refused(tmp_path):
    ClassStore(tmp_path / "now.db")
    future = tmp_path / "future.db"
    with sqlite3.connect(tmp_path / "now.db") as now, sqlite3.connect(future) as raw:
        now.backup(raw)  # the WAL file's pages too, which a file copy would miss
        raw.execute("UPDATE nnviz_schema_version SET version = 99")
    with pytest.raises(ClassError, match="schema version 99, newer than this nnviz"):
        ClassStore(future)


def test_an_older_database_is_migrated_in_order(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    ClassStore(path).create_class()
    done = []

    def add_note_column(connection):
        done.append(SCHEMA_VERSION)
        connection.exec_driver_sql("ALTER TABLE nnviz_classes ADD COLUMN note TEXT")

    monkeypatch.setattr(schema_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema_module.MIGRATIONS, SCHEMA_VERSION, add_note_column)
    engine = get_engine(database_url(path))
    for _ in range(2):  # the second time finds nothing to do
        with write_transaction(engine) as connection:
            ensure_schema(connection)
    assert done == [SCHEMA_VERSION]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM nnviz_schema_version").fetchone()[0] == 2
        assert "note" in [row[1] for row in raw.execute("PRAGMA table_info(nnviz_classes)")]


def test_only_nicknames_identify_people():
    stored = {
        table.name: sorted(column.name for column in table.columns)
        for table in schema_module.metadata.sorted_tables
    }
    assert stored["nnviz_students"] == [
        "class_code",
        "id",
        "joined_at",
        "key_hash",
        "nickname",
        "nickname_key",
    ]
    every = {name for columns in stored.values() for name in columns}
    assert not {"ip", "address", "user_agent", "email", "host"} & every


# --- threads ------------------------------------------------------------------------------


def test_one_store_shared_by_many_threads(db_url):
    store = ClassStore(db_url)
    new = store.create_class()
    names = [f"t{i}" for i in range(8)]
    errors = []

    def student(name: str) -> None:
        try:
            store.join(new.code, name)
            for i in range(25):
                store.add_drawing(new.code, name, np.full((28, 28), i, np.uint8), i % 10, 0, 0.1)
                store.summary(new.code)
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=student, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = store.drawings(new.code, new.teacher_key)
    assert len(stored) == 200
    assert sorted((d.nickname, int(d.image[0, 0])) for d in stored) == sorted(
        (n, i) for n in names for i in range(25)
    )


def test_concurrent_joins_never_overfill_a_class(db_url):
    store = ClassStore(db_url, limits=Limits(students=5))
    new = store.create_class()
    outcomes = []
    start = threading.Barrier(12)

    def join(i: int) -> None:
        start.wait()
        try:
            store.join(new.code, f"s{i}")
            outcomes.append("joined")
        except ClassError as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=join, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("joined") == 5
    assert outcomes.count(f"class {new.code} is full (5 students)") == 7
    assert store.summary(new.code).students == 5


def test_close_engine_lets_go_of_the_database(tmp_path):
    url = database_url(tmp_path / "x.db")
    first = get_engine(url)
    close_engine(url)
    assert get_engine(url) is not first
    close_engine(url)
    close_engine(url)  # closing twice is harmless
