"""actorlint as a user installs it and meets it: the wheel pip builds carries its licence,
links, classifiers and type marker, and the repository's own code checks clean."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

from tests.cli_helpers import PROJECT_ROOT, python_m_actorlint


def test_the_wheel_carries_licence_links_classifiers_and_type_marker(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path),
         str(PROJECT_ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    [wheel] = tmp_path.glob("actorlint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    assert "actorlint/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert metadata["License-Expression"] == "MIT"
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL"))
    assert set(urls) == {"Homepage", "Documentation", "Repository", "Issues", "Changelog"}
    classifiers = metadata.get_all("Classifier")
    assert "Typing :: Typed" in classifiers
    assert {f"Programming Language :: Python :: 3.{minor}" for minor in range(9, 14)} <= set(classifiers)


def test_checking_this_repository_at_its_root_is_clean() -> None:
    """Its config leaves out the rule fixtures and the example app (findings on purpose)."""
    proc = python_m_actorlint(["check", "--no-cache", "."], cwd=PROJECT_ROOT)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
    assert proc.stdout.decode().strip() == "All checks passed!"


def test_the_pre_commit_hook_names_every_framework() -> None:
    hooks = (PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert all(name in hooks for name in ("Pykka", "Ray", "Thespian", "Celery", "Dramatiq"))
