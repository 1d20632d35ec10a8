"""AppTest fixtures: the real `app.py` router, opened on any page, optionally with a query.

    def test_something(open_page):
        at = open_page("pages/playground.py", {"dataset": "moons"})

Reusable by every page's app test.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from nnviz.classes.backend import ENV_VAR, close_engine, database_url

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds per run; generous, the test machine is shared


@pytest.fixture(autouse=True)
def untimed_frames(monkeypatch):
    """A Play frame's training is bounded in time on a real server (fair sharing); under test
    the tick does exactly its steps, whatever the machine's load. The throttle's own test sets
    a budget back."""
    monkeypatch.setattr("nnviz.ui.playground.panel.WORK_SECONDS", None)


@pytest.fixture(autouse=True)
def class_db(tmp_path, monkeypatch) -> Iterator[str]:
    """Every app test gets a class database of its own (an SQLite file in its tmp folder),
    never the user's; the app's store follows `$NNVIZ_CLASS_DB` as it is at each run."""
    path = str(tmp_path / "classes.db")
    monkeypatch.setenv(ENV_VAR, path)
    yield path
    close_engine(database_url(path))


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    def open_(path: str, query: dict[str, str] | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
        at.context = {"url": f"http://localhost:8501/{Path(path).stem}"}
        at.query_params.update(query or {})
        at.run()
        if path != "pages/home.py":
            at.switch_page(path).run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_


def live_charts(at: AppTest) -> dict[str, dict]:
    """The figures shown by `live_chart`, by key, as plotly JSON dicts."""
    charts = {}
    for element in at.get("component_instance"):
        if element.proto.component_name.endswith("live_plot"):
            args = json.loads(element.proto.json_args)
            charts[args["key"]] = json.loads(args["spec"])
    return charts
