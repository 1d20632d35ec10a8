"""The nginx side of `nnviz.serve`: fill in the config template and build nginx's command line.

The template lives in `deploy/nginx.conf.template` (the same file the Docker image runs); its
placeholders are `@NAME@` words, because nginx's own syntax already uses `$` and `{}`.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from nnviz.serve.errors import ServeError

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "deploy" / "nginx.conf.template"
AFFINITY_COOKIE = "nnviz_replica"
_PLACEHOLDER = re.compile(r"@[A-Z_]+@")


def render_nginx_config(
    template: str,
    *,
    listen: str,
    replica_ports: Sequence[int],
    run_dir: Path,
    access_log: Path,
    as_root: bool = False,
) -> str:
    """The template with every placeholder filled in.

    Args:
        template: the text of `deploy/nginx.conf.template`.
        listen: nginx's `listen` value, e.g. `127.0.0.1:8501` or `0.0.0.0:8501`.
        replica_ports: one loopback port per `streamlit run` replica.
        run_dir: nginx's prefix: pid file and temp folders.
        access_log: where the per-request affinity log goes.
        as_root: nginx started as root hands its worker to `nobody`; as any other user the
            worker keeps that user and the `user` line must be absent.
    """
    if not replica_ports:
        raise ServeError("the proxy needs at least one replica port")
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in replica_ports
    )
    values = {
        "@LISTEN@": listen,
        "@SERVERS@": servers,
        "@RUN_DIR@": str(run_dir),
        "@ACCESS_LOG@": str(access_log),
        "@USER@": "user nobody nogroup;" if as_root else "",
    }
    text = template
    for name, value in values.items():
        if name not in text:
            raise ServeError(f"the nginx template has no {name} placeholder")
        text = text.replace(name, value)
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        raise ServeError(f"the nginx template has unknown placeholders: {', '.join(left)}")
    return text


def read_template(path: Path = TEMPLATE) -> str:
    if not path.is_file():
        raise ServeError(f"nginx config template not found: {path}")
    return path.read_text()


def nginx_executable() -> str:
    """The `nginx` binary on PATH (Debian: `apt-get install nginx`), or a ServeError."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found is None:
        raise ServeError(
            "nginx is not installed (Debian/Ubuntu: apt-get install nginx); "
            "or run a single replica with --replicas 1"
        )
    return found


def nginx_command(executable: str, config: Path, run_dir: Path) -> list[str]:
    """nginx in the foreground with its own prefix: no daemon, no system paths touched."""
    return [executable, "-p", str(run_dir), "-c", str(config), "-e", "stderr", "-g", "daemon off;"]
