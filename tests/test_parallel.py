"""Results do not depend on the number of worker processes: project rules run once on
merged facts, whatever way files were split across workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from actorlint import engine
from actorlint.config import Settings
from actorlint.engine import check_files, jobs_for_paths

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("folder", ["examples", "tests/fixtures"])
def test_one_and_two_workers_agree(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_MIN_FILES_FOR_POOL", 2)  # use the pool even for a few files
    tree = ROOT / folder
    files = sorted(p for p in tree.rglob("*.py") if not p.name.endswith(".fixed.py"))
    settings = Settings(root=tree, select=("ALL",))
    one = check_files(jobs_for_paths(files, tree), settings, workers=1)
    two = check_files(jobs_for_paths(files, tree), settings, workers=2)
    assert not one.internal_errors and not two.internal_errors
    assert one.diagnostics == two.diagnostics
    assert [d.related for d in one.diagnostics] == [d.related for d in two.diagnostics]
    assert {d.code for d in one.diagnostics} >= {"ACT301", "ACT501"}
