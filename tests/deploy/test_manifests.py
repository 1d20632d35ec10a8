"""The deploy/ files: the nginx template renders to a config nginx accepts, with cookie
affinity; the Docker, compose and Kubernetes files parse and agree with each other."""

from __future__ import annotations

import re
import socket
import subprocess
from pathlib import Path

import pytest
import yaml

from nnviz.serve import AFFINITY_COOKIE, TEMPLATE, Cluster, ServeError, render_nginx_config
from nnviz.serve.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PORT = 8501


def _render(tmp_path: Path, ports=(40001, 40002), template: str | None = None) -> str:
    return render_nginx_config(
        TEMPLATE.read_text() if template is None else template,
        listen="127.0.0.1:8501",
        replica_ports=ports,
        run_dir=tmp_path,
        access_log=tmp_path / "access.log",
    )


def _k8s(name: str) -> dict:
    (document,) = yaml.safe_load_all((DEPLOY / "k8s" / name).read_text())
    return document


def test_the_config_pins_each_browser_by_its_cookie(tmp_path):
    config = _render(tmp_path, ports=(40001, 40002, 40003))
    assert re.search(r"@[A-Z_]+@", config) is None  # every placeholder filled in
    assert "hash $affinity consistent;" in config
    assert "ip_hash" not in config.split("#")[0]
    assert f"map $cookie_{AFFINITY_COOKIE} $affinity" in config
    assert f'"{AFFINITY_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax"' in config
    for port in (40001, 40002, 40003):
        assert f"server 127.0.0.1:{port} " in config
    assert "listen 127.0.0.1:8501;" in config
    assert "proxy_set_header Upgrade $http_upgrade;" in config


def test_the_access_log_keeps_paths_but_never_query_strings(tmp_path):
    """A teacher's link is `/class?class=…&teacher=<secret key>`: the key must not be logged."""
    (log_format,) = re.findall(r"log_format[^;]*;", _render(tmp_path))
    assert "$uri" in log_format
    for variable in ("$request ", '$request"', "$request_uri", "$args", "$query_string"):
        assert variable not in log_format


def test_a_template_with_a_stray_or_missing_placeholder_is_refused(tmp_path):
    template = TEMPLATE.read_text()
    with pytest.raises(ServeError, match="@TYPO@"):
        _render(tmp_path, template=template + "\n# @TYPO@\n")
    with pytest.raises(ServeError, match="@LISTEN@"):
        _render(tmp_path, template=template.replace("@LISTEN@", "8501"))
    with pytest.raises(ServeError, match="replica"):
        _render(tmp_path, ports=())


def test_nginx_accepts_the_rendered_config(tmp_path, nginx_path):
    config = tmp_path / "nginx.conf"
    config.write_text(_render(tmp_path))
    result = subprocess.run(
        [nginx_path, "-t", "-p", str(tmp_path), "-c", str(config), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr


def test_the_launcher_refuses_bad_arguments_before_starting_anything(tmp_path):
    with pytest.raises(ServeError, match="replicas"):
        Cluster(0, free_port())
    with pytest.raises(ServeError, match="port"):
        Cluster(2, 70000)
    with pytest.raises(ServeError, match="not found"):
        Cluster(1, free_port(), app=tmp_path / "missing.py")
    port = free_port()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", port))
        busy.listen()
        with pytest.raises(ServeError, match="in use"):
            Cluster(1, port)


def test_kubernetes_pins_by_cookie_at_the_ingress_and_by_client_ip_at_the_service():
    deployment, service, ingress = (
        _k8s("deployment.yaml"),
        _k8s("service.yaml"),
        _k8s("ingress.yaml"),
    )
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == labels
    assert service["spec"]["selector"] == labels
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    (port,) = container["ports"]
    assert port["containerPort"] == PORT
    assert container["readinessProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    assert service["spec"]["ports"][0]["targetPort"] == port["name"]
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == AFFINITY_COOKIE
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] == service["spec"]["ports"][0]["name"]


def test_compose_runs_the_tested_launcher_from_the_dockerfile():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    (service,) = compose["services"].values()
    build = service["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    command = service["command"]
    assert command[:3] == ["python", "-m", "nnviz.serve"]
    assert command[command.index("--address") + 1] == "0.0.0.0"
    assert service["ports"] == [f"{command[command.index('--port') + 1]}:{PORT}"]


def test_the_image_runs_streamlit_as_a_user_not_root():
    lines = [line.strip() for line in (DEPLOY / "Dockerfile").read_text().splitlines()]
    assert lines[next(i for i, x in enumerate(lines) if x.startswith("FROM"))] == (
        "FROM python:3.11-slim"
    )
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    command = " ".join(lines[next(i for i, x in enumerate(lines) if x.startswith("CMD")) :])
    assert '"streamlit", "run", "app.py"' in command
    assert f"--server.port={PORT}" in command
