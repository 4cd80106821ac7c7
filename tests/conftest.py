"""Fixtures shared by the test folders."""

from __future__ import annotations

from typing import Optional, Union
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from actorlint.cli import cli

# Fixture projects hold test modules of their own (linted, never run).
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Invoke the CLI in-process with ``tmp_path`` as the current directory."""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, input: Optional[Union[str, bytes]] = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture(autouse=True)
def _outside_ci_checkouts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests expect paths as a local run prints them; a CI job (GitHub Actions, GitLab CI)
    running this suite names its checkout, which the CI formats would make paths relative to."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
