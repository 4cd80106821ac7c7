"""Results do not depend on the number of worker processes: project rules run once on
merged facts, whatever way files were split across workers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from actorlint import engine, workers
from actorlint.analyse import gc_paused
from actorlint.config import Settings
from actorlint.engine import check_files, jobs_for_paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("folder", ["examples", "tests/fixtures"])
def test_one_and_two_workers_agree(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_FILES_FOR_POOL", 2)  # use the pool even for a few files
    tree = ROOT / folder
    files = sorted(p for p in tree.rglob("*.py") if not p.name.endswith(".fixed.py"))
    settings = Settings(root=tree, select=("ALL",))
    one = check_files(jobs_for_paths(files, tree), settings, workers=1)
    two = check_files(jobs_for_paths(files, tree), settings, workers=2)
    assert not one.internal_errors and not two.internal_errors
    assert one.diagnostics == two.diagnostics
    assert [d.related for d in one.diagnostics] == [d.related for d in two.diagnostics]
    assert {d.code for d in one.diagnostics} >= {"ACT301", "ACT501"}


def _report_collector(job, blocking=None, catalog=None, max_file_tokens=None):
    """Stands in for analyse in a worker: reports whether the garbage collector runs."""
    import gc

    from actorlint.model.facts import FileFacts

    return FileFacts(path=job.display_path, module=f"collector enabled: {gc.isenabled()}")


@pytest.mark.skipif(os.name != "posix", reason="workers are forked on POSIX only")
def test_workers_run_with_the_garbage_collector_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent pauses the collector for the run (gc_paused) and forks its workers then;
    a worker that kept it paused would never free a file's cycles (a worker peaked at
    783 MB on the bench corpus before this was fixed)."""
    files = []
    for i in range(8):
        path = tmp_path / f"m{i}.py"
        path.write_text("import pykka\n", encoding="utf-8")
        files.append(path)
    monkeypatch.setattr(workers, "analyse", _report_collector)
    with gc_paused():
        facts = engine.collect_facts(jobs_for_paths(files, tmp_path), Settings(root=tmp_path), workers=2,
                                     cache=None, prefilter=False)
    assert {f.module for f in facts} == {"collector enabled: True"}


def test_only_a_whole_run_freezes_what_it_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command-line check freezes what its run leaves (the process ends next); a file's
    analysis never does, or a worker would keep every tree it parsed (it did: 1 GB per
    worker on the bench corpus)."""
    import gc

    from actorlint import analyse

    monkeypatch.setattr(analyse, "_ENDS_AFTER_RUN", True)
    before = gc.get_freeze_count()
    try:
        with analyse.gc_paused():
            kept = [object() for _ in range(10)]
        assert gc.get_freeze_count() == before
        with analyse.gc_paused(freeze_if_ending=True):
            kept += [object() for _ in range(10)]
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
