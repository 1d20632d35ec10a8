"""K `streamlit run app.py` replicas on loopback ports, and nginx in front of them.

    with Cluster(replicas=2, port=8501) as cluster:   # starts, waits for health
        print(cluster.url)
        cluster.wait()                                 # until a signal or a child dies

Why several processes: a Streamlit server runs every session's Python in one process, so it uses
one core for Python work whatever the machine has. K replicas use K cores; nginx pins each browser
to one replica (see `deploy/nginx.conf.template`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from nnviz.serve.errors import ServeError
from nnviz.serve.nginx import (
    REPO,
    nginx_command,
    nginx_executable,
    read_template,
    render_nginx_config,
)
from nnviz.serve.processes import (
    Child,
    free_port,
    healthy,
    port_is_free,
    spawn,
    stop_all,
    wait_until,
)

MAX_REPLICAS = 16
STARTUP_SECONDS = 120.0


class Cluster:
    """The replicas and the proxy as one thing that starts and stops together.

    Args:
        replicas: how many `streamlit run` processes (1 … MAX_REPLICAS). With 1 there is no
            proxy: the one replica listens on `port` itself.
        port: the port browsers open.
        address: the address to listen on: loopback by default; `0.0.0.0` for a classroom LAN.
        app: the Streamlit entry point.
        log_dir: where each process's output and nginx's access log go; a temporary folder
            (removed on stop) when None.
        streamlit_args: extra `streamlit run` options for every replica, e.g.
            `["--runner.postScriptGC", "false"]`.
    """

    def __init__(
        self,
        replicas: int,
        port: int,
        address: str = "127.0.0.1",
        app: Path = REPO / "app.py",
        log_dir: Path | None = None,
        streamlit_args: Sequence[str] = (),
    ) -> None:
        if not 1 <= replicas <= MAX_REPLICAS:
            raise ServeError(f"--replicas must be in 1…{MAX_REPLICAS}, got {replicas}")
        if not 1 <= port <= 65535:
            raise ServeError(f"--port must be in 1…65535, got {port}")
        if not app.is_file():
            raise ServeError(f"the Streamlit app was not found: {app}")
        if not port_is_free(address, port):
            raise ServeError(f"{address}:{port} is already in use")
        self.replicas = replicas
        self.port = port
        self.address = address
        self.app = app
        self.streamlit_args = list(streamlit_args)
        self._template = read_template() if replicas > 1 else ""
        self._nginx = nginx_executable() if replicas > 1 else ""
        self._run_dir = Path(tempfile.mkdtemp(prefix="nnviz-serve-"))
        self.log_dir = log_dir if log_dir is not None else self._run_dir / "logs"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.children: list[Child] = []
        self.replica_ports: list[int] = []

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "::", "") else self.address
        return f"http://{host}:{self.port}"

    @property
    def access_log(self) -> Path:
        """nginx's one line per request: affinity key and the replica that answered."""
        return self.log_dir / "access.log"

    def start(self) -> str:
        """Start every process and wait until the app answers through the front port."""
        try:
            self._start_replicas()
            if self.replicas > 1:
                self._start_proxy()
            wait_until(lambda: healthy(self.url), self.children, STARTUP_SECONDS, self.url)
        except BaseException:
            self.stop()
            raise
        return self.url

    def _start_replicas(self) -> None:
        env = dict(os.environ)
        # One cookie secret for all replicas: a browser re-pinned after a replica restart still
        # holds a valid XSRF cookie.
        if not env.get("STREAMLIT_SERVER_COOKIE_SECRET"):
            env["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_hex(32)
        single = self.replicas == 1
        for index in range(self.replicas):
            port = self.port if single else free_port()
            address = self.address if single else "127.0.0.1"
            command = replica_command(self.app, address, port, self.streamlit_args)
            log = self.log_dir / f"replica-{index + 1}.log"
            self.children.append(spawn(f"replica {index + 1}", command, log, self.app.parent, env))
            self.replica_ports.append(port)
        for port in self.replica_ports:
            url = f"http://127.0.0.1:{port}"
            wait_until(lambda url=url: healthy(url), self.children, STARTUP_SECONDS, url)

    def _start_proxy(self) -> None:
        config = self._run_dir / "nginx.conf"
        config.write_text(
            render_nginx_config(
                self._template,
                listen=f"{self.address}:{self.port}",
                replica_ports=self.replica_ports,
                run_dir=self._run_dir,
                access_log=self.access_log,
                as_root=os.geteuid() == 0,
            )
        )
        if os.geteuid() == 0:
            self._run_dir.chmod(0o755)  # nginx's worker runs as nobody and creates temp folders
        command = nginx_command(self._nginx, config, self._run_dir)
        self.children.append(spawn("nginx", command, self.log_dir / "nginx.log", self._run_dir))

    def wait(self, poll_seconds: float = 0.5) -> Child:
        """Block until a child exits (returned); a signal handler interrupts it to stop."""
        while True:
            for child in self.children:
                if not child.running:
                    return child
            time.sleep(poll_seconds)

    def stop(self) -> None:
        """Stop the proxy first (no new requests), then the replicas; remove the temp folder."""
        stop_all(list(reversed(self.children)))
        shutil.rmtree(self._run_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def replica_command(app: Path, address: str, port: int, extra: Sequence[str] = ()) -> list[str]:
    """`streamlit run app.py` on one port, headless, with no file watcher or usage stats."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app.name,
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *extra,
    ]
