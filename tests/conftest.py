"""Shared fixtures."""

import os
import sys
from pathlib import Path

import pytest

_MAIN = sys.modules["__main__"]

MNIST_NAMES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The real MNIST folder: `$NNVIZ_DATA_DIR`, else `../shared/data/mnist` from the repo root.

    Skips when it is missing, except under `CI=true`, where a missing folder fails the test.
    """
    env = os.environ.get("NNVIZ_DATA_DIR")
    repo_root = Path(__file__).resolve().parents[1]
    folder = Path(env) if env else repo_root / ".." / "shared" / "data" / "mnist"
    missing = [name for name in MNIST_NAMES if not (folder / name).is_file()]
    if missing:
        source = "$NNVIZ_DATA_DIR" if env else "../shared/data/mnist"
        reason = f"MNIST files {missing} not found in {folder} ({source})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must provide them")
        pytest.skip(reason)
    return folder


@pytest.fixture(autouse=True)
def real_main_module():
    """Streamlit's AppTest runs a script in this process and leaves `sys.modules["__main__"]`
    pointing at it, so a process spawned later (the class store's concurrency test) would run
    `app.py` as its main module and die before its work. Every test starts with the real one."""
    sys.modules["__main__"] = _MAIN


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver, one for the whole test session: it cannot be started twice in a
    thread, and both the browser tests and the replicas test drive chromium through it."""
    from tests.browser.conftest import missing

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed (pip install playwright)")
    with sync_playwright() as playwright:
        yield playwright
