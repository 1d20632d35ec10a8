"""Fixtures: the same tests run on SQLite (always) and on a throw-away PostgreSQL server.

Without PostgreSQL's server binaries the PostgreSQL runs are skipped, except under `CI=true`,
where CI must have installed them and their absence fails the tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from nnviz.classes import ClassStore, Limits
from nnviz.classes.backend import close_engine, database_url, get_engine, write_transaction
from nnviz.classes.schema import CLASS_TABLES, classes
from tests.classes.postgres import BIN_GLOB, find_bin_dir, start_cluster

BACKENDS = ["sqlite", "postgresql"]


class FakeClock:
    """Unix seconds that only move when a test says so."""

    def __init__(self, now: float = 1_750_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, *, days: float = 0.0, seconds: float = 0.0) -> None:
        self.now += days * 86_400 + seconds


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL on a cluster started for this test session."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        reason = f"PostgreSQL server binaries not found ({BIN_GLOB})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must install the postgresql package")
        pytest.skip(reason)
    cluster = start_cluster(bin_dir)
    try:
        yield cluster.url
    finally:
        close_engine(database_url(cluster.url))
        cluster.stop()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> Iterator[str]:
    """A database with no classes in it: a new SQLite file (closed after the test), or the
    PostgreSQL test database emptied."""
    if request.param == "sqlite":
        path = str(tmp_path / "classes.db")
        yield path
        close_engine(database_url(path))
        return
    url = request.getfixturevalue("postgres_url")
    with write_transaction(get_engine(database_url(url))) as connection:
        for table in (*CLASS_TABLES, classes):
            connection.execute(sa.delete(table))
    yield url


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(db_url, clock) -> ClassStore:
    return ClassStore(db_url, clock=clock)


@pytest.fixture
def small_store(db_url, clock) -> ClassStore:
    """A store with tiny limits, to reach them in a few calls."""
    limits = Limits(students=3, drawings=5, drawings_per_student=3, runs=4, runs_per_student=2)
    return ClassStore(db_url, limits=limits, clock=clock)
