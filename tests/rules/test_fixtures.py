"""Every rule fixture: the linter reports exactly the marked (line, code) pairs."""

from __future__ import annotations

import ast
from dataclasses import replace
import importlib.util
import sys
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, expected_for, fixture_settings, lint

SINGLE_FILES = sorted(
    p for p in FIXTURES.glob("ACT*.py") if not p.name.endswith(".fixed.py")
)
PROJECTS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("ACT"))


@pytest.mark.parametrize("fixture", SINGLE_FILES, ids=lambda p: p.name)
def test_single_file_fixture(fixture: Path) -> None:
    expected = expected_for([fixture], FIXTURES)
    settings = fixture_settings([fixture], FIXTURES, expected)
    assert lint([fixture], FIXTURES, settings) == expected


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_project_fixture(project: Path) -> None:
    files = sorted(project.rglob("*.py"))
    expected = expected_for(files, project)
    settings = fixture_settings(files, FIXTURES, expected)
    settings = replace(settings, root=project)
    assert lint(files, project, settings) == expected


def _imports_available(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            if importlib.util.find_spec(name.split(".")[0]) is None:
                return False
    return True


@pytest.mark.parametrize("fixture", [f for f in SINGLE_FILES if not f.name.startswith("ACT000")],
                         ids=lambda p: p.name)
def test_fixture_uses_real_apis(fixture: Path) -> None:
    """Fixtures compile; where their frameworks are installed they import cleanly, so
    they cannot drift from the frameworks' real names."""
    source = fixture.read_text(encoding="utf-8")
    tree = ast.parse(source)
    compile(source, str(fixture), "exec")
    if not _imports_available(tree):
        pytest.skip("imports a package the test environment does not install (e.g. ray)")
    name = f"_fixture_{fixture.stem}"
    spec = importlib.util.spec_from_file_location(name, fixture)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
