"""Two replicas behind nginx on loopback, two real browsers (separate cookie jars): each plays
live on the Playground, stays on its own replica through reruns and a reload, and the two are
spread over both replicas. Then the launcher stops and nothing it started is left running.

The observable is nginx's access log: one line per request with the browser's affinity key and
the replica (`$upstream_addr`) that answered, websockets included (logged when they close).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nnviz.serve import AFFINITY_COOKIE
from nnviz.serve.processes import free_port, healthy
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import metric_number, wait_for_idle, wait_for_metric, widget
from tests.deploy.conftest import missing

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 180
MAX_BROWSERS = 8  # contexts opened, at most, until both replicas hold one
LOG_LINE = re.compile(r"affinity=(\S+) upstream=(\S+) status=(\d+) \"(\S+) (\S+)")


@dataclass
class Launcher:
    process: subprocess.Popen
    url: str
    log_dir: Path

    def requests(self) -> list[tuple[str, str, str]]:
        """(affinity key, replica address, path) for every request nginx has logged."""
        log = self.log_dir / "access.log"
        text = log.read_text() if log.exists() else ""
        return [(m[1], m[2], m[5]) for m in LOG_LINE.finditer(text)]

    def replicas_of(self, key: str) -> set[str]:
        return {replica for k, replica, _ in self.requests() if k == key}


def _descendants(pid: int) -> set[int]:
    """Every live process under `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.add(child)
        todo.extend(children.get(child, []))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def _refuses(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def launcher(nginx_path: str, tmp_path: Path) -> Iterator[Launcher]:
    if not CHROMIUM.exists():
        missing(f"chromium not found at {CHROMIUM}")
    port = free_port()
    out = (tmp_path / "serve.out").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "nnviz.serve", "--replicas", "2", "--port", str(port)]
        + ["--log-dir", str(tmp_path)],
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    served = Launcher(process, f"http://127.0.0.1:{port}", tmp_path)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "nnviz serving" not in (tmp_path / "serve.out").read_text():
            assert process.poll() is None, (tmp_path / "serve.out").read_text()
            assert time.monotonic() < deadline, "the launcher did not start in time"
            time.sleep(0.5)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        out.close()


def _open_playground(page, url: str) -> None:
    page.goto(url + "/playground?dataset=xor")
    page.wait_for_selector('[data-testid="stMetric"]', timeout=90_000)
    wait_for_idle(page, timeout_ms=90_000)


def _play_until(page, steps: int) -> int:
    assert metric_number(page, "Step") == 0
    widget(page, "pg.play").locator("button").click()
    return wait_for_metric(page, "Step", lambda n: n >= steps, timeout_s=90)


def test_two_browsers_play_live_each_on_its_own_replica(launcher: Launcher, playwright_driver):
    tree = _descendants(launcher.process.pid)
    assert len(tree) >= 4, tree  # two replicas, nginx master and worker

    students: dict[str, tuple] = {}  # replica address -> (context, page, affinity key)
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    # Random keys spread browsers over the replicas; open browsers until both are used.
    for _ in range(MAX_BROWSERS):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(60_000)
        page = context.new_page()
        _open_playground(page, launcher.url)
        (key,) = [c["value"] for c in context.cookies() if c["name"] == AFFINITY_COOKIE]
        replicas = launcher.replicas_of(key)
        assert len(replicas) == 1, f"one browser's requests went to {replicas}"
        (replica,) = replicas
        if replica in students:
            context.close()
            continue
        students[replica] = (context, page, key)
        if len(students) == 2:
            break
    assert len(students) == 2, f"{MAX_BROWSERS} browsers all landed on {set(students)}"

    for _, page, _ in students.values():
        assert _play_until(page, 30) >= 30
    # both live at once: the counters keep moving while the other plays
    for _, page, _ in students.values():
        now = metric_number(page, "Step")
        assert wait_for_metric(page, "Step", lambda n, now=now: n > now, timeout_s=60) > now

    # A reload is a new page load and a new websocket: the cookie brings it back.
    for _, page, _ in students.values():
        _open_playground(page, launcher.url)
        assert _play_until(page, 20) >= 20
    for context, _, _ in students.values():
        context.close()  # websockets close: nginx logs them
    browser.close()

    time.sleep(1.0)
    for replica, (_, _, key) in students.items():
        assert launcher.replicas_of(key) == {replica}
        streams = [p for k, _, p in launcher.requests() if k == key and "_stcore/stream" in p]
        assert len(streams) >= 2, streams  # the first page load and the reload

    replica_ports = [int(address.rsplit(":", 1)[1]) for address in students]
    front_port = int(launcher.url.rsplit(":", 1)[1])
    launcher.process.send_signal(signal.SIGTERM)
    assert launcher.process.wait(timeout=60) == 0
    assert "stopped" in (launcher.log_dir / "serve.out").read_text()
    assert [pid for pid in tree if _alive(pid)] == []
    assert all(_refuses(port) for port in [front_port, *replica_ports])
    assert not healthy(launcher.url)
