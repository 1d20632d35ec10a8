"""The package's layout (design.md, "Layout"): features across, layers down, imports down only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nnviz"
FEATURES = ("playground", "digits", "teaching", "classes")


def imported_modules(path: Path) -> set[str]:
    """Every module an `import` or `from … import` in `path` names (absolute imports)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def sources(*folders: str) -> list[Path]:
    return [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]


def test_nnviz_holds_packages_not_loose_modules():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py"]
    assert loose == []


def test_ui_keeps_its_shared_modules_few():
    modules = sorted(p.name for p in (PACKAGE / "ui").glob("*.py"))
    assert len(modules) <= 8, modules


def test_only_the_ui_pages_and_app_import_streamlit():
    allowed = {*sources("nnviz/ui", "pages"), ROOT / "app.py"}
    offenders = [
        str(p.relative_to(ROOT))
        for p in sources("nnviz")
        if p not in allowed and any(m.split(".")[0] == "streamlit" for m in imported_modules(p))
    ]
    assert offenders == []


def test_viz_takes_data_not_features():
    allowed = ("nnviz.core", "nnviz.datasets", "nnviz.viz")
    offenders = {
        str(p.relative_to(ROOT)): sorted(bad)
        for p in sources("nnviz/viz")
        if (
            bad := {
                m
                for m in imported_modules(p)
                if m.split(".")[0] == "nnviz" and m != "nnviz" and not m.startswith(allowed)
            }
        )
    }
    assert offenders == {}


@pytest.mark.parametrize("feature", FEATURES)
def test_features_import_neither_the_ui_nor_the_figures(feature):
    if not (PACKAGE / feature).is_dir():
        pytest.skip(f"nnviz/{feature} is not here yet")
    offenders = [
        str(p.relative_to(ROOT))
        for p in sources(f"nnviz/{feature}")
        if any(m.startswith(("nnviz.ui", "nnviz.viz")) for m in imported_modules(p))
    ]
    assert offenders == []


def test_one_live_loop():
    """Every page that plays goes through `nnviz.ui.player`: one `run_every=` in the package."""
    hits = [p for p in sources("nnviz", "pages") if "run_every=" in p.read_text()]
    assert [str(p.relative_to(ROOT)) for p in hits] == ["nnviz/ui/player.py"]
    assert (PACKAGE / "ui" / "player.py").read_text().count("run_every=") == 1
