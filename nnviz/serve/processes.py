"""Child processes that cannot outlive the launcher: own process group, stopped as a group.

Each child starts in a new session (its own process group), so a Ctrl-C in the terminal reaches
only the launcher, which then stops the children in order; and stopping a child signals its whole
group, so nothing a replica forked is left behind. On Linux a child also gets SIGTERM if the
launcher itself dies without cleaning up (`PR_SET_PDEATHSIG`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nnviz.serve.errors import ServeError

_PR_SET_PDEATHSIG = 1


@dataclass
class Child:
    """One started process and the file its output goes to."""

    name: str
    process: subprocess.Popen
    log: Path

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def spawn(
    name: str, command: Sequence[str], log: Path, cwd: Path, env: Mapping[str, str] | None = None
) -> Child:
    """Start `command` in a process group of its own, output to `log`."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    return Child(name, process, log)


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the launcher dies (Linux only)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def stop_all(children: Sequence[Child], grace_seconds: float = 10.0) -> None:
    """SIGTERM every child's group, wait up to `grace_seconds` in all, then SIGKILL the rest.

    A group is signalled only while its leader is not yet reaped: until then its id cannot
    belong to anybody else.
    """
    live = [child for child in children if child.process.returncode is None]
    for child in live:
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for child in live:
        while not _exited(child.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        _signal_group(child, signal.SIGKILL)  # the leader's stragglers, or a stuck leader
        child.process.wait()


def _exited(pid: int) -> bool:
    """The child has exited; it stays unreaped (a zombie), so its pid is not reused yet."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _signal_group(child: Child, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.process.pid, signum)


def free_port(address: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def port_is_free(address: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def healthy(url: str) -> bool:
    """True when Streamlit's health endpoint under `url` answers 200."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=2) as reply:
            return reply.status == 200
    except OSError:
        return False


def wait_until(
    ready: Callable[[], bool], children: Sequence[Child], timeout_seconds: float, what: str
) -> None:
    """Poll `ready()` until true; a child that exits meanwhile, or the timeout, is a ServeError."""
    deadline = time.monotonic() + timeout_seconds
    while not ready():
        for child in children:
            if not child.running:
                raise ServeError(
                    f"{child.name} exited with code {child.process.returncode} while waiting "
                    f"for {what}:\n{child.log_tail()}"
                )
        if time.monotonic() > deadline:
            raise ServeError(f"{what} not ready within {timeout_seconds:.0f} s")
        time.sleep(0.25)
