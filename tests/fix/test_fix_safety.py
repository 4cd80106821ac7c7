"""--fix against a busy machine: files edited, deleted or fixed by another run while this
one works, folders that cannot be written, and fixes of standard input in any encoding.

The rule is one: edits go only onto the exact bytes they were computed from; a file that
changed is skipped and reported (exit 2), never damaged, never re-created.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import actorlint.engine
import actorlint.fixing
import actorlint.judging
from tests.cli_helpers import PROJECT_ROOT, WORKER, python_m_actorlint, write_tree

FIX_ACT201 = ("check", "--no-cache", "--jobs", "1", "--fix", "--unsafe-fixes", "--select", "ACT201")
FIXED_ASK = 'ref.ask("x", timeout=5.0)'


def _during_the_run(monkeypatch: pytest.MonkeyPatch, action) -> None:
    """Run ``action`` once, after the files were analysed and before anything is written."""
    real = actorlint.judging.run_rules
    calls = []

    def run_rules(*args):
        if not calls:
            calls.append(1)
            action()
        return real(*args)

    monkeypatch.setattr(actorlint.judging, "run_rules", run_rules)


def test_a_file_edited_during_the_run_is_skipped_not_damaged(tmp_path: Path, run, monkeypatch) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "src/other.py": WORKER})
    edited = '"""Someone typed this while the fixer ran."""\n' + WORKER
    _during_the_run(monkeypatch, lambda: (tmp_path / "src/worker.py").write_text(edited))
    result = run(*FIX_ACT201, "src")
    assert result.exit_code == 2
    assert (tmp_path / "src/worker.py").read_text() == edited  # the edit is kept, untouched
    assert "src/worker.py: not fixed: it changed on disk during the run" in result.stderr
    assert FIXED_ASK in (tmp_path / "src/other.py").read_text()  # the rest is fixed
    assert "Fixed 1 error." in result.stdout


def test_a_file_deleted_during_the_run_is_not_recreated(tmp_path: Path, run, monkeypatch) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "gone/worker.py": WORKER})

    def remove_folder() -> None:
        (tmp_path / "gone/worker.py").unlink()
        (tmp_path / "gone").rmdir()

    _during_the_run(monkeypatch, remove_folder)
    result = run(*FIX_ACT201, "src", "gone")
    assert result.exit_code == 2
    assert not (tmp_path / "gone").exists()
    assert "gone/worker.py: not fixed: it was deleted during the run" in result.stderr
    assert FIXED_ASK in (tmp_path / "src/worker.py").read_text()


def test_concurrent_fix_runs_never_lose_fixes(tmp_path: Path, run, monkeypatch) -> None:
    """Run B (ACT202) analyses the file; run A (ACT201) fixes and writes it; B must not
    write its fixes over A's: it reports the file instead."""
    write_tree(tmp_path, {"src/worker.py": WORKER})
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))

    def other_run() -> None:
        subprocess.run([sys.executable, "-m", "actorlint", *FIX_ACT201, "src"], cwd=tmp_path, env=env,
                       check=False, capture_output=True, timeout=120)

    _during_the_run(monkeypatch, other_run)
    result = run("check", "--no-cache", "--jobs", "1", "--fix", "--unsafe-fixes", "--select", "ACT202", "src")
    assert result.exit_code == 2
    assert "not fixed: it changed on disk during the run" in result.stderr
    text = (tmp_path / "src/worker.py").read_text()
    assert FIXED_ASK in text and "time_limited" not in text
    # Run again: B's fixes now apply on top of A's.
    again = run("check", "--no-cache", "--jobs", "1", "--fix", "--unsafe-fixes", "--select", "ACT202", "src")
    assert again.exit_code == 0, again.output
    text = (tmp_path / "src/worker.py").read_text()
    assert FIXED_ASK in text and "@time_limited(seconds=4.0)" in text


def test_a_failed_write_is_reported_and_the_run_goes_on(tmp_path: Path, run, monkeypatch) -> None:
    """A read-only folder (simulated: the tests may run as root, who can write anywhere)."""
    write_tree(tmp_path, {"a/worker.py": WORKER, "b/worker.py": WORKER, "c/worker.py": WORKER})
    real = actorlint.fixing.write_atomic

    def read_only_b(path, data, mode):
        if Path(path).parent.name == "b":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, data, mode)

    monkeypatch.setattr(actorlint.fixing, "write_atomic", read_only_b)
    result = run(*FIX_ACT201, "a", "b", "c")
    assert result.exit_code == 2
    assert "error: b/worker.py: cannot write the fixes: Permission denied" in result.stderr
    assert (tmp_path / "b/worker.py").read_text() == WORKER
    assert FIXED_ASK in (tmp_path / "a/worker.py").read_text()
    assert FIXED_ASK in (tmp_path / "c/worker.py").read_text()
    assert "Fixed 2 errors." in result.stdout


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes read-only folders")
def test_a_real_read_only_folder(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/worker.py": WORKER, "b/worker.py": WORKER})
    os.chmod(tmp_path / "a", 0o555)
    try:
        done = python_m_actorlint([*FIX_ACT201, "a", "b"], cwd=tmp_path)
    finally:
        os.chmod(tmp_path / "a", 0o755)
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"a/worker.py: cannot write the fixes" in done.stderr
    assert FIXED_ASK in (tmp_path / "b/worker.py").read_text()


def test_temporary_files_of_a_killed_fix_run_are_removed(tmp_path: Path, run) -> None:
    """A run killed between writing its temporary file and renaming it leaves the
    temporary beside the source; the next run that writes that file removes it, but not
    one young enough to belong to a run still working, nor a file merely named alike."""
    write_tree(tmp_path, {"src/worker.py": WORKER})
    folder = tmp_path / "src"
    stale = folder / ".worker.py.k1ll3d.actorlint-tmp"
    fresh = folder / ".worker.py.4l1v3.actorlint-tmp"
    other = folder / ".other.py.k1ll3d.actorlint-tmp"
    for leftover in (stale, fresh, other):
        leftover.write_bytes(b"half a file")
    an_hour_ago = os.stat(stale).st_mtime - 3600
    for old in (stale, other):
        os.utime(old, (an_hour_ago, an_hour_ago))
    result = run(*FIX_ACT201, "src")
    assert FIXED_ASK in (folder / "worker.py").read_text()
    assert "Fixed 1 error." in result.stdout
    assert not stale.exists() and fresh.exists() and other.exists()


LATIN1 = ('# -*- coding: latin-1 -*-\n"""Caf\u00e9 \u00e0 la carte."""\n' + WORKER).encode("latin-1")


@pytest.mark.parametrize("name, data", [
    ("latin-1 with a cookie", LATIN1),
    ("UTF-8 with a BOM", b"\xef\xbb\xbf" + ('"""Caf\u00e9."""\n' + WORKER).encode("utf-8")),
    ("CRLF", WORKER.replace("\n", "\r\n").encode("ascii")),
])
def test_fixing_standard_input_keeps_its_bytes(tmp_path: Path, name: str, data: bytes) -> None:
    write_tree(tmp_path, {})
    done = python_m_actorlint([*FIX_ACT201, "-", "--stdin-filename", "app.py"], cwd=tmp_path, input=data)
    assert done.returncode == 0, done.stderr
    # Exactly the input with the timeout added: same encoding, BOM and line endings.
    expected = data.replace(b'ref.ask("x")', FIXED_ASK.encode())
    assert done.stdout == expected


@pytest.mark.parametrize("data", [LATIN1, b"x = 1\n", b"def broken(:\n", b"\xff\xfe not text"])
def test_standard_input_with_nothing_to_fix_is_echoed_unchanged(tmp_path: Path, data: bytes) -> None:
    write_tree(tmp_path, {})
    done = python_m_actorlint(["check", "--no-cache", "--fix", "--select", "ACT202", "-",
                               "--stdin-filename", "app.py"], cwd=tmp_path, input=data)
    assert done.stdout == data, done.stderr
