"""Crash test: actorlint over every `.py` of a big tree reports zero internal errors, and
every ACT000 is a file that really does not parse (issue 6, "Unbreakable").

* CI runs a deterministic sample of the test environment's site-packages: 80 files
  chosen by a seeded hash of their path relative to site-packages (the same choice on
  any machine with the same packages installed), with two worker processes so the pool
  is exercised too, plus a few of them cut short, which must become ACT000.
* The full runs are marked ``slow`` (``pytest -m slow``; the bench runs them): every file
  of the bench corpus (downloaded by ``python bench/corpus.py``; skipped when absent) and
  of site-packages.

The runs use ``prefilter=False``, so every file is parsed by LibCST and walked by the
collector (with the prefilter most of them would only be syntax-checked by CPython: the
prefilter's equivalence is tests/pipeline/test_prefilter.py's job).

What "every ACT000 is a file that really does not parse" means, checked both ways:

* a file with an ACT000 must be refused by CPython's parser too (an ACT000 on code the
  running interpreter accepts is a false alarm from actorlint, not a bad file);
* a file CPython refuses without an ACT000 must be one LibCST parses (syntax newer than
  the running interpreter, e.g. Python 3.12's ``type`` statement under 3.11).
"""

from __future__ import annotations

import ast
import hashlib
import os
import sysconfig
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import pytest

from actorlint.source import decode_source
from actorlint.config import Settings
from actorlint.engine import RunResult, check_files, jobs_for_paths

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
SAMPLE_SIZE = 80
SEED = "actorlint-crash-1"


def site_packages_files() -> List[Path]:
    return sorted(p for p in SITE_PACKAGES.rglob("*.py") if p.is_file())


def seeded_sample(files: Sequence[Path], root: Path, size: int, seed: str = SEED) -> List[Path]:
    """``size`` files ranked by the hash of seed + relative path: stable across machines."""
    def rank(path: Path) -> str:
        return hashlib.sha256(f"{seed}:{path.relative_to(root).as_posix()}".encode()).hexdigest()

    return sorted(sorted(files, key=rank)[:size])


def cpython_accepts(path: Path) -> bool:
    try:
        compile(decode_source(path.read_bytes()), str(path), "exec", ast.PyCF_ONLY_AST,
                dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, UnicodeError, LookupError):
        return False
    return True


def libcst_accepts(path: Path) -> bool:
    import libcst

    try:
        libcst.parse_module(decode_source(path.read_bytes()))
    except Exception:  # noqa: BLE001 - any refusal counts
        return False
    return True


def crash_run(files: Sequence[Path], root: Path, *, workers: int) -> RunResult:
    """Check ``files`` and assert the two promises; returns the result for more checks."""
    jobs = jobs_for_paths(list(files), root)
    result = check_files(jobs, Settings(root=root, select=("ALL",)), workers=workers,
                         prefilter=False)
    assert result.internal_errors == [], "\n\n".join(result.internal_errors[:5])
    by_display = {job.display_path: Path(job.path) for job in jobs}
    act000: Dict[str, str] = {d.path: d.message for d in result.diagnostics if d.code == "ACT000"}
    false_alarms = {path: message for path, message in act000.items()
                    if cpython_accepts(by_display[path])}
    assert false_alarms == {}, "ACT000 on files CPython parses"
    refused = [path for path, real in by_display.items() if path not in act000 and not cpython_accepts(real)]
    unreported = [path for path in refused if not libcst_accepts(by_display[path])]
    assert unreported == [], "unparsable files without ACT000"
    return result


def test_site_packages_sample_no_internal_errors(tmp_path: Path) -> None:
    files = seeded_sample(site_packages_files(), SITE_PACKAGES, SAMPLE_SIZE)
    assert len(files) == SAMPLE_SIZE
    # A few of them cut short mid-file: syntax errors, which must be ACT000s while the
    # rest of the run goes on.
    broken = []
    for index, path in enumerate(files[:: SAMPLE_SIZE // 5]):
        data = path.read_bytes()
        cut = tmp_path / f"cut{index}_{path.name}"
        cut.write_bytes(data[: len(data) // 2] + b"\n(\n")
        broken.append(cut)
    root = Path(os.path.commonpath([SITE_PACKAGES, tmp_path]))
    result = crash_run(files + broken, root, workers=2)
    reported = {d.path for d in result.diagnostics if d.code == "ACT000"}
    assert {cut.relative_to(root).as_posix() for cut in broken} <= reported
    assert result.files_checked == len(files) + len(broken)


def test_sample_is_stable_and_spread() -> None:
    """The sample does not depend on listing order and covers many packages."""
    files = site_packages_files()
    once = seeded_sample(files, SITE_PACKAGES, SAMPLE_SIZE)
    assert once == seeded_sample(list(reversed(files)), SITE_PACKAGES, SAMPLE_SIZE)
    packages = {p.relative_to(SITE_PACKAGES).parts[0] for p in once}
    assert len(packages) >= 10


def _report(name: str, files: Sequence[Path], result: RunResult, seconds: float) -> None:
    act000 = [d for d in result.diagnostics if d.code == "ACT000"]
    print(f"\n{name}: {len(files)} files, {result.files_checked} checked, "
          f"{len(result.diagnostics)} diagnostics, {len(act000)} ACT000, 0 internal errors, "
          f"{seconds:.1f} s")
    for diagnostic in act000:
        print(f"  {diagnostic.path}:{diagnostic.span.line}:{diagnostic.span.column}: {diagnostic.message}")


def bench_corpus() -> Tuple[List[Path], Path]:
    """Every file of the bench corpus and its folder, or a skip saying how to get it."""
    try:
        from bench.corpus import CorpusMissing, corpus_files, default_cache
    except ImportError as error:  # pragma: no cover - bench/ is part of the repository
        pytest.skip(f"bench/corpus.py cannot be imported: {error}")
    cache = default_cache()
    try:
        return corpus_files(cache), cache
    except CorpusMissing as error:
        pytest.skip(f"{error} (python bench/corpus.py downloads it)")
    raise AssertionError("unreachable")  # pragma: no cover


@pytest.mark.slow
def test_bench_corpus_no_internal_errors() -> None:
    files, root = bench_corpus()
    start = time.perf_counter()
    result = crash_run(files, root, workers=2)
    _report("bench corpus", files, result, time.perf_counter() - start)


@pytest.mark.slow
def test_site_packages_no_internal_errors() -> None:
    files = site_packages_files()
    start = time.perf_counter()
    result = crash_run(files, SITE_PACKAGES, workers=2)
    _report("site-packages", files, result, time.perf_counter() - start)
