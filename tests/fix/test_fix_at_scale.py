"""Fixes at scale: ``actorlint check --fix --unsafe-fixes`` on a copy of a tree (issue 6).

Three promises, on every file of the tree:

1. every file that parsed before still parses (and the ones that did not are untouched);
2. a second run changes nothing (fixing reaches a fixed point in one run);
3. no byte outside the fixes' edits changes.

How 3 is checked, rigorously and without trusting the fixer's own bookkeeping: the fix loop
calls ``actorlint.fix_loop.apply_fixes(text, fixes, newline)`` once per file and pass; the
test wraps it and records each call's input text, the fixes it reports as applied, and its
output. For each call, the edits of the applied fixes (with ``\\n`` turned into the file's
line ending, as documented) cut the input into the text between edits, which must appear
unchanged and in order in the output, with exactly the edits' contents (in some order,
for several edits at one place) between them. Then each written file must be the last
output of a chain of recorded calls starting from the file's original text, encoded as
the original was (same encoding, byte-order mark kept): so the file on disk differs from
the original only inside the edits the fixer meant to make.

CI runs the fixtures and examples (copied to a temporary folder) plus a few site-packages
files (one known to get a fix), then the fixable part of that tree twice more: with CRLF
line endings, and with a UTF-8 byte-order mark and CR line endings. The ``slow`` variant runs on a copy of the
bench corpus (skipped when it is not downloaded) and prints figures.
"""

from __future__ import annotations

import itertools
import shutil
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest
from click.testing import CliRunner

import actorlint.fix_loop
from actorlint.source import decode
from actorlint.cli import cli
from actorlint.diagnostics import Edit, Fix

ROOT = Path(__file__).resolve().parents[2]
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])
# Site-packages files that get a fix (found by a scan of the actor packages installed for
# the tests: pykka, celery, kombu, dramatiq, thespian). A missing one is left out.
SITE_PACKAGES_WITH_FIXES = ["pykka/_proxy.py"]
SITE_PACKAGES_WITHOUT_FIXES = ["pykka/_actor.py", "pykka/_future.py", "pykka/_ref.py"]


@dataclass
class Call:
    before: str
    newline: str
    applied: Tuple[Fix, ...]
    after: str


class Recorder:
    """Wraps engine.apply_fixes and keeps every call (see the module docstring)."""

    def __init__(self) -> None:
        self.calls: List[Call] = []
        self.real = actorlint.fix_loop.apply_fixes

    def __call__(self, text: str, fixes: Sequence[Fix], newline: str = "\n"):  # type: ignore[no-untyped-def]
        after, applied = self.real(text, fixes, newline)
        self.calls.append(Call(text, newline, tuple(applied), after))
        return after, applied


def _converted(content: str, newline: str) -> str:
    if newline == "\n" or "\n" not in content or "\r\n" in content:
        return content
    return content.replace("\n", newline)


def check_call(call: Call) -> None:
    """The output is the input with the applied edits made and nothing else changed."""
    edits = sorted({Edit(e.start, e.end, _converted(e.content, call.newline))
                    for fix in call.applied for e in fix.edits}, key=lambda e: (e.start, e.end))
    # Clusters of edits that touch: no original text between them.
    clusters: List[List[Edit]] = []
    for edit in edits:
        if clusters and edit.start <= max(e.end for e in clusters[-1]):
            clusters[-1].append(edit)
        else:
            clusters.append([edit])
    position = 0
    cursor = 0
    after = call.after
    for cluster in clusters:
        start, end = min(e.start for e in cluster), max(e.end for e in cluster)
        kept = call.before[position:start]
        assert after[cursor:cursor + len(kept)] == kept, "text outside the edits changed"
        cursor += len(kept)
        length = sum(len(e.content) for e in cluster)
        made = after[cursor:cursor + length]
        if len(cluster) <= 4:
            options = {"".join(e.content for e in order) for order in itertools.permutations(cluster)}
            assert made in options, (made, cluster)
        else:
            assert sorted(made) == sorted("".join(e.content for e in cluster)), (made, cluster)
        # The replaced text itself is gone entirely (the edits cover [start, end)).
        covered = sum(e.end - e.start for e in cluster)
        assert covered == end - start, f"edits overlap or leave gaps: {cluster}"
        cursor += length
        position = end
    assert after[cursor:] == call.before[position:], "text after the last edit changed"


def reachable(calls: Sequence[Call], start: str, goal: str) -> bool:
    """Whether recorded calls lead from ``start`` to ``goal`` (one file's passes)."""
    frontier, seen = [start], {start}
    while frontier:
        text = frontier.pop()
        if text == goal:
            return True
        for call in calls:
            if call.before == text and call.applied and call.after not in seen:
                seen.add(call.after)
                frontier.append(call.after)
    return False


def snapshot(root: Path) -> Dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


def libcst_parses(data: bytes) -> bool:
    import libcst

    try:
        libcst.parse_module(decode(data)[0])
    except Exception:  # noqa: BLE001 - undecodable, unparsable: does not parse
        return False
    return True


@dataclass
class Figures:
    files: int
    files_fixed: int
    fixes: int
    seconds: float


def fix_tree(root: Path, monkeypatch: pytest.MonkeyPatch, *, jobs: Optional[int] = None) -> Figures:
    """Run ``check --fix --unsafe-fixes`` on ``root`` and check the three promises."""
    (root / "pyproject.toml").write_text('[tool.actorlint]\nselect = ["ALL"]\n', encoding="utf-8")
    original = snapshot(root)
    recorder = Recorder()
    monkeypatch.setattr(actorlint.fix_loop, "apply_fixes", recorder)
    monkeypatch.chdir(root)
    args = ["check", "--fix", "--unsafe-fixes", "--no-cache", "--quiet", "."]
    if jobs:
        args[1:1] = ["--jobs", str(jobs)]
    start = time.perf_counter()
    first = CliRunner().invoke(cli, args, catch_exceptions=False)
    seconds = time.perf_counter() - start
    assert first.exit_code in (0, 1), first.output
    assert "warning:" not in first.stderr, first.stderr  # no fix refused
    assert "error:" not in first.stderr, first.stderr    # no internal error
    fixes = sum(len(call.applied) for call in recorder.calls)
    fixed = snapshot(root)
    assert fixed.keys() == original.keys()
    changed = sorted(name for name in original if fixed[name] != original[name])
    assert changed, "nothing was fixed: the tree has no fixable diagnostics"

    # 1. What changed parsed before and parses now (what did not change is as it was).
    for name in changed:
        assert libcst_parses(original[name]), f"{name} did not parse and was changed"
        assert libcst_parses(fixed[name]), f"{name} no longer parses"

    # 3. Only the edits changed: each call, then each file's chain of calls and encoding.
    for call in recorder.calls:
        check_call(call)
    for name in changed:
        old_text, encoding, bom = decode(original[name])
        new_text, new_encoding, new_bom = decode(fixed[name])
        assert (new_encoding, new_bom) == (encoding, bom), name
        assert fixed[name] == (b"\xef\xbb\xbf" if bom else b"") + new_text.encode(encoding), name
        assert reachable(recorder.calls, old_text, new_text), f"{name}: not made by the recorded fixes"

    # 2. A second run changes nothing.
    recorder.calls.clear()
    second = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert second.exit_code in (0, 1), second.output
    assert snapshot(root) == fixed, "a second run changed files"
    assert sum(len(call.applied) for call in recorder.calls) == 0
    return Figures(len(original), len(changed), fixes, seconds)


# ---------------------------------------------------------------------------
# The trees.


def _flavour(data: bytes, flavour: str) -> bytes:
    if flavour == "crlf":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if flavour == "bom-cr":
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        return b"\xef\xbb\xbf" + body.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    return data


def copy_tree(sources: Dict[str, Path], target: Path, flavour: str) -> None:
    """Copy ``sources`` (relative name -> file) under ``target``, re-encoded as ``flavour``."""
    for name, source in sources.items():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(_flavour(source.read_bytes(), flavour))


def ci_sources(*, fixable_only: bool = False) -> Dict[str, Path]:
    """The fixtures, the examples and a few site-packages files; ``fixable_only`` keeps
    the fixtures that have a fixed golden (``X.fixed.py``) and the examples."""
    sources: Dict[str, Path] = {}
    for folder in ("tests/fixtures", "examples"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            golden = path.with_name(path.stem.replace(".fixed", "") + ".fixed.py")
            if fixable_only and folder == "tests/fixtures" and not golden.exists():
                continue
            sources[path.relative_to(ROOT).as_posix()] = path
    for name in SITE_PACKAGES_WITH_FIXES + ([] if fixable_only else SITE_PACKAGES_WITHOUT_FIXES):
        path = SITE_PACKAGES / name
        if path.is_file():
            sources[f"site/{name}"] = path
    return sources


@pytest.mark.slow  # the whole sample: the bench runs it; CI fixes its fixable part twice below
def test_fix_fixtures_examples_and_site_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_tree(ci_sources(), tmp_path / "tree", "as-is")
    figures = fix_tree(tmp_path / "tree", monkeypatch, jobs=2)
    assert figures.files_fixed >= 20 and figures.fixes >= figures.files_fixed


@pytest.mark.parametrize("flavour", ["crlf", "bom-cr"])
def test_fix_keeps_line_endings_and_byte_order_mark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    flavour: str) -> None:
    """The fixable part of the tree again, with CRLF line endings, and with a byte-order
    mark and CR line endings: edits land at the same places, nothing else moves."""
    copy_tree(ci_sources(fixable_only=True), tmp_path / "tree", flavour)
    figures = fix_tree(tmp_path / "tree", monkeypatch, jobs=2)
    assert figures.files_fixed >= 15
    for data in snapshot(tmp_path / "tree").values():
        if flavour == "crlf":
            assert b"\n" not in data.replace(b"\r\n", b"")
        else:
            assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data


def test_check_call_catches_a_byte_changed_outside_the_edits() -> None:
    """The checker itself: a stray change next to a correct edit is caught."""
    fix = Fix("t", "unsafe", (Edit(4, 5, "2"),))  # type: ignore[arg-type]
    check_call(Call("x = 1\r\ny = 1\r\n", "\r\n", (fix,), "x = 2\r\ny = 1\r\n"))
    with pytest.raises(AssertionError):
        check_call(Call("x = 1\r\ny = 1\r\n", "\r\n", (fix,), "x = 2\ny = 1\r\n"))
    with pytest.raises(AssertionError):
        check_call(Call("x = 1\r\ny = 1\r\n", "\r\n", (fix,), "x = 22\r\ny = 1\r\n"))
    insert = Fix("t", "unsafe", (Edit(0, 0, "import a\n"), Edit(4, 5, "2")))  # type: ignore[arg-type]
    check_call(Call("x = 1\r\n", "\r\n", (insert,), "import a\r\nx = 2\r\n"))


# ---------------------------------------------------------------------------
# The bench corpus: run by `pytest -m slow`.


@pytest.mark.slow
def test_fix_bench_corpus_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        from bench.corpus import CorpusMissing, corpus_files, default_cache
    except ImportError as error:  # pragma: no cover - bench/ is part of the repository
        pytest.skip(f"bench/corpus.py cannot be imported: {error}")
    cache = default_cache()
    try:
        files = corpus_files(cache)
    except CorpusMissing as error:
        pytest.skip(f"{error} (python bench/corpus.py downloads it)")
    source_root = cache / "src"
    tree = tmp_path / "corpus"
    for path in files:
        destination = tree / path.relative_to(source_root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    figures = fix_tree(tree, monkeypatch)
    print(f"\nbench corpus copy: {figures.files} files, {figures.files_fixed} fixed, "
          f"{figures.fixes} fixes applied, {figures.seconds:.1f} s for the fixing run")
