"""Real-browser fixtures: a `streamlit run app.py` server and Debian's chromium via playwright.

Reusable by every page's browser test:

    def test_something(app_server, page, screenshot):
        page.goto(app_server.url + "/playground")
        ...
        screenshot(page, "something")

Chromium is the system one (never `playwright install`). Without it the tests skip, except
under `CI=true`, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path(os.environ.get("NNVIZ_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_SECONDS = 90


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test shows the end of its server's log: what the page could not say."""
    report = yield
    if report.failed and call.when == "call":
        for server in item.funcargs.values():
            if isinstance(server, StreamlitServer) and server.log.exists():
                tail = server.log.read_text(errors="replace")[-4000:]
                report.sections.append(("streamlit server log (end)", tail))
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@dataclass
class StreamlitServer:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_streamlit(log: Path) -> StreamlitServer:
    """`streamlit run app.py` on a free local port; returns once its health check answers."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    out = log.open("w")
    process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = StreamlitServer(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"streamlit did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def missing(reason: str) -> None:
    """Skip locally; under CI=true a missing browser is a failure, not a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must provide it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        missing(f"chromium not found at {CHROMIUM} (set NNVIZ_CHROMIUM, or apt install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
def app_server(
    chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """One server shared by the session's browser tests."""
    server = start_streamlit(tmp_path_factory.mktemp("streamlit") / "server.log")
    yield server
    server.stop()


@pytest.fixture
def fresh_server(chromium_path: Path, tmp_path: Path) -> Iterator[StreamlitServer]:
    """A server of its own that no request has reached yet (for first-request behaviour)."""
    server = start_streamlit(tmp_path / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_context(
    playwright_driver, chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
):
    """A chromium with a new, empty profile directory."""
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")),
        executable_path=str(chromium_path),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport={"width": 1600, "height": 1000},
    )
    context.set_default_timeout(30_000)
    yield context
    context.close()


@pytest.fixture
def other_browser(playwright_driver, chromium_path: Path):
    """A second chromium of its own (its own cookies and storage): another person at another
    computer."""
    browser = playwright_driver.chromium.launch(
        executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
    )
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    yield context
    context.close()
    browser.close()


@pytest.fixture
def page(browser_context):
    """A new tab; closed after the test."""
    tab = browser_context.new_page()
    yield tab
    tab.close()


@pytest.fixture
def screenshot() -> Callable:
    """`screenshot(page, name)` saves `artifacts/<name>.png` and prints its path."""

    def take(page, name: str, **kwargs) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), **kwargs)
        print(f"screenshot: {path}")
        return path

    return take
