"""The cache as an attack surface and as a store that must never change a run's answer.

A repository can commit ``.actorlint_cache/`` (a pull request can force-add it), so the
cache is input like any other file: the tests plant entries that would run code if they
were unpickled, entries of the wrong shape, and entries that are not regular files, and
check that the run reports exactly what a run without cache reports.
"""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path
from typing import List

import pytest

from actorlint import __version__, serial
from actorlint.cache import CACHE_DIR_ENV, Cache
from actorlint.config import Settings
from actorlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Severity, Span
from actorlint.engine import RunResult
from actorlint.model.facts import FileFacts
from tests.cli_helpers import SLEEPER, WORKER, python_m_actorlint, write_tree

MARKER_NAME = "pwned"


class _RunsCode:
    """Unpickling this creates the marker file: what a planted pickle could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _cache_entries(root: Path) -> List[Path]:
    return [p for p in (root / ".actorlint_cache" / __version__).rglob("*")
            if p.is_file() and not p.name.startswith(".")]


def _project(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return write_tree(tmp_path, {"src/worker.py": WORKER, "src/sleeper.py": SLEEPER})


def _json_run(root: Path, *extra: str):
    return python_m_actorlint(["check", "--jobs", "1", "--output-format", "json", *extra, "src"], cwd=root)


def test_planted_pickles_never_run_and_change_nothing(tmp_path: Path) -> None:
    """The hostile-repository case end to end: every entry of a committed cache (the run
    entry of this very invocation included) replaced by a pickle that runs a command."""
    root = _project(tmp_path / "repo")
    expected = _json_run(root, "--no-cache")
    first = _json_run(root)
    assert (first.returncode, first.stdout) == (expected.returncode, expected.stdout)
    marker = tmp_path / MARKER_NAME
    planted = pickle.dumps(_RunsCode(marker))
    entries = _cache_entries(root)
    assert any(p.parent.name == "runs" for p in entries) and len(entries) >= 3
    for entry in entries:
        entry.write_bytes(planted)
    again = _json_run(root)
    assert not marker.exists(), "a cache entry ran code"
    assert (again.returncode, again.stdout, again.stderr) == (expected.returncode, expected.stdout, b"")
    # The planted entries were replaced by data, and a third run is served from them.
    assert all(not p.read_bytes().startswith(b"\x80") for p in _cache_entries(root))
    assert _json_run(root).stdout == expected.stdout


def _entry_parts(path: Path):
    header, _, body = path.read_bytes().partition(b"\n")
    return header, json.loads(body)


@pytest.mark.parametrize("damage", [
    "truncated", "field removed", "field added", "wrong type", "renamed key", "not json",
    "other key", "deep nesting",
])
def test_damaged_entries_are_rebuilt_not_trusted(tmp_path: Path, damage: str) -> None:
    """Whatever is wrong with an entry, the run gives the cache-less answer: never a
    traceback, and never silently fewer findings."""
    root = _project(tmp_path)
    expected = _json_run(root, "--no-cache")
    assert json.loads(expected.stdout), "the project must have findings for this test to mean anything"
    _json_run(root)
    for entry in _cache_entries(root):
        header, body = _entry_parts(entry)
        if damage == "truncated":
            data = entry.read_bytes()[: len(entry.read_bytes()) // 2]
        elif damage == "field removed":
            data = header + b"\n" + json.dumps(_drop_last_field(body)).encode()
        elif damage == "field added":
            data = header + b"\n" + json.dumps(_add_field(body)).encode()
        elif damage == "wrong type":
            data = header + b"\n" + json.dumps(_retype(body)).encode()
        elif damage == "renamed key":
            data = header + b"\n" + json.dumps({"renamed": body}).encode()
        elif damage == "not json":
            data = header + b"\n\x00\xff{"
        elif damage == "other key":
            data = header[:-4] + b"beef\n" + json.dumps(body).encode()
        else:
            data = header + b"\n" + b"[" * 100_000 + b"]" * 100_000
        entry.write_bytes(data)
    damaged = _json_run(root)
    assert (damaged.returncode, damaged.stdout, damaged.stderr) == (expected.returncode, expected.stdout, b"")


def _drop_last_field(body):
    # Run entries are [keys, result]; fact entries are the FileFacts field list.
    if len(body) == 2 and isinstance(body[1], list):
        return [body[0], body[1][:-1]]
    return body[:-1]


def _add_field(body):
    if len(body) == 2 and isinstance(body[1], list):
        return [body[0], body[1] + [None]]
    return body + [None]


def _retype(body):
    if len(body) == 2 and isinstance(body[1], list):
        return [body[0], [str(body[1][0])] + body[1][1:]]
    return [1] + body[1:]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs fifos")
def test_planted_fifo_and_symlink_entries_are_ignored(tmp_path: Path) -> None:
    """A fifo would block a reader forever; a symlink could point anywhere."""
    root = _project(tmp_path)
    expected = _json_run(root, "--no-cache")
    _json_run(root)
    secret = tmp_path / "secret.txt"
    secret.write_text("not a cache entry")
    for number, entry in enumerate(_cache_entries(root)):
        entry.unlink()
        if number % 2:
            os.mkfifo(entry)
        else:
            entry.symlink_to(secret)
    again = _json_run(root)  # python_m_actorlint times out after 120 s rather than hang
    assert (again.returncode, again.stdout) == (expected.returncode, expected.stdout)
    assert secret.read_text() == "not a cache entry"


def test_round_trip_keeps_every_value() -> None:
    """Facts and results come back equal, enums, optional spans, int-keyed dicts and
    lone surrogates (undecodable file names) included."""
    from actorlint.suppressions import Suppressions

    span = Span(1, 2, 3, 4)
    diagnostic = Diagnostic(
        "ACT201", "call-without-timeout", "message \u00e9", "caf\udce9.py", span, Severity.ERROR,
        Fix("add", Applicability.UNSAFE, (Edit(1, 2, "x"),)), statement_lines=(1, 3),
    )
    facts = FileFacts(path="caf\udce9.py", module="m", errors=(diagnostic,), imports={"a": "b"},
                      module_names=frozenset({"x", "y"}),
                      suppressions=Suppressions(frozenset({3}), {4: frozenset({"ACT101"})}))
    assert serial.loads(serial.dumps(facts), FileFacts) == facts
    result = RunResult([diagnostic], 3, ["boom"])
    assert serial.loads(serial.dumps(result), RunResult) == result
    with pytest.raises(serial.ShapeError):
        serial.loads(serial.dumps(result), FileFacts)


def test_cache_dir_option_and_environment(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    expected = _json_run(root, "--no-cache")
    elsewhere = tmp_path / "elsewhere"
    moved = _json_run(root, "--cache-dir", str(elsewhere))
    assert moved.stdout == expected.stdout
    assert (elsewhere / __version__).is_dir() and not (root / ".actorlint_cache").exists()

    env_dir = tmp_path / "from-env"
    os.environ[CACHE_DIR_ENV] = str(env_dir)
    try:
        assert _json_run(root).stdout == expected.stdout
    finally:
        del os.environ[CACHE_DIR_ENV]
    assert (env_dir / __version__).is_dir() and not (root / ".actorlint_cache").exists()


def test_clean_removes_the_cache_and_nothing_else(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _json_run(root)
    cache = root / ".actorlint_cache"
    assert cache.is_dir()
    done = python_m_actorlint(["clean"], cwd=root)
    assert done.returncode == 0, done.stderr
    assert not cache.exists()
    assert (root / "src" / "worker.py").exists()

    # A --cache-dir pointing at a folder that holds other things: only our entries go.
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "keep.txt").write_text("mine")
    _json_run(root, "--cache-dir", str(shared))
    assert (shared / "CACHEDIR.TAG").exists()
    assert python_m_actorlint(["clean", "--cache-dir", str(shared)], cwd=root).returncode == 0
    assert sorted(p.name for p in shared.iterdir()) == ["keep.txt"]

    # A folder that is not a cache is refused, untouched.
    home = tmp_path / "home"
    (home / "0.1").mkdir(parents=True)
    refused = python_m_actorlint(["clean", "--cache-dir", str(home)], cwd=root)
    assert refused.returncode == 2 and b"not an actorlint cache" in refused.stderr
    assert (home / "0.1").is_dir()


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_prune_keeps_what_runs_use_and_removes_the_rest(tmp_path: Path) -> None:
    root = _project(tmp_path)
    _json_run(root)
    settings = Settings(root=root)
    cache = Cache.open(settings)
    assert cache is not None
    used = _cache_entries(root)
    folder = cache.folder
    orphan = folder / "ab" / ("ab" + "0" * 62)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"stale")
    young_orphan = folder / "ab" / ("ab" + "1" * 62)
    young_orphan.write_bytes(b"a concurrent run's")
    leftover = folder / "ab" / ".tmp-killed"
    leftover.write_bytes(b"half an entry")
    for path in [*used, orphan, leftover]:
        _age(path, 2 * 3600)
    cache.prune(force=True)
    assert not orphan.exists() and not leftover.exists()
    assert young_orphan.exists()
    assert all(p.exists() for p in used)

    # A run entry older than 30 days goes, and with it the facts only it used.
    for path in used:
        _age(path, 31 * 24 * 3600)
    cache.prune(force=True)
    assert _cache_entries(root) == [young_orphan]
