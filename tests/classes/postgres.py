"""A throw-away PostgreSQL cluster for the tests: Debian's server binaries, a temp folder, a free
loopback port, trust authentication; stopped and deleted at the end.

PostgreSQL refuses to run as root, so under root the folder is given to the `postgres` user and
the server commands run through `runuser`.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "nnviz"
BIN_GLOB = "/usr/lib/postgresql/*/bin"


def find_bin_dir() -> Path | None:
    """The newest installed server's bin folder (one with `initdb` and `pg_ctl`), or None."""
    found = [
        Path(d)
        for d in glob.glob(BIN_GLOB)
        if (Path(d) / "initdb").is_file() and (Path(d) / "pg_ctl").is_file()
    ]
    if not found:
        return None
    return max(found, key=lambda d: _version_key(d.parent.name))


@dataclass
class Cluster:
    bin_dir: Path
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        _run([self.bin_dir / "pg_ctl", "-D", self.folder / "data", "-m", "fast", "-w", "stop"])
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(bin_dir: Path) -> Cluster:
    """initdb + pg_ctl start on a free 127.0.0.1 port; the caller must `stop()` it."""
    folder = Path(tempfile.mkdtemp(prefix="nnviz-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
    try:
        _run(
            [bin_dir / "initdb", "-D", folder / "data", "-A", "trust", "-U", USER]
            + ["-E", "UTF8", "--locale=C", "--no-sync"]
        )
        port = _free_port()
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
        log = folder / "server.log"
        _run([bin_dir / "pg_ctl", "-D", folder / "data", "-o", options, "-l", log, "-w", "start"])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Cluster(bin_dir, folder, port)


def _run(command: list[object]) -> None:
    args = [os.fspath(a) if isinstance(a, Path) else str(a) for a in command]
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())
