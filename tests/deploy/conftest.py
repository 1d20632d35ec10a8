"""Deployment tests: the nginx config, the manifests, and a loopback run of `nnviz.serve`."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.browser.conftest import missing


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = str(item.path).replace(os.sep, "/")
        if path.endswith("tests/deploy/test_replicas.py"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def nginx_path() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
    )
    if found is None:
        missing("nginx is not installed (apt-get install nginx)")
    return found
