"""Paths and config files that are not files: each gets a clear message and the
documented exit code, never a hang, a MemoryError or a traceback."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import PROJECT_ROOT, SLEEPER, python_m_actorlint, write_tree

posix_only = pytest.mark.skipif(os.name != "posix", reason="fifos and /dev/zero")


def _no_traceback(done: subprocess.CompletedProcess) -> None:
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")


@posix_only
def test_a_fifo_given_as_a_path_is_act000_not_a_hang(tmp_path: Path) -> None:
    write_tree(tmp_path, {"good.py": SLEEPER})
    os.mkfifo(tmp_path / "pipe.py")
    done = python_m_actorlint(["check", "--no-cache", "pipe.py", "good.py"], cwd=tmp_path)  # 120 s timeout
    _no_traceback(done)
    assert done.returncode == 1
    assert b"pipe.py:1:1: ACT000 Cannot read file: Not a regular file (a fifo)" in done.stdout
    assert b"good.py:8:9: ACT101" in done.stdout


@posix_only
def test_a_fifo_in_a_walked_folder_is_skipped(tmp_path: Path) -> None:
    """A folder walk takes regular files only (as Ruff's does): no hang, no finding."""
    write_tree(tmp_path, {"src/good.py": SLEEPER})
    os.mkfifo(tmp_path / "src" / "pipe.py")
    done = python_m_actorlint(["check", "--no-cache", "src"], cwd=tmp_path)
    _no_traceback(done)
    assert done.stdout.decode().splitlines()[:-1] == [
        "src/good.py:8:9: ACT101 `time.sleep` sleeps inside handler `on_receive` of `Sleeper`"]


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_config_that_is_not_a_file_is_a_config_error(tmp_path: Path, kind: str) -> None:
    write_tree(tmp_path, {"good.py": SLEEPER})
    config = str(tmp_path / "actorlint.toml") if kind == "fifo" else "/dev/zero"
    if kind == "fifo":
        os.mkfifo(config)
    done = python_m_actorlint(["check", "--no-cache", "--config", config, "good.py"], cwd=tmp_path)
    _no_traceback(done)
    assert done.returncode == 2
    assert b"cannot read the file: Not a regular file" in done.stderr


@posix_only
def test_dev_zero_as_a_path_is_act000(tmp_path: Path) -> None:
    done = python_m_actorlint(["check", "--no-cache", "/dev/zero"], cwd=tmp_path)
    _no_traceback(done)
    assert done.returncode == 1
    assert b"/dev/zero:1:1: ACT000 Cannot read file: Not a regular file (a character device)" in done.stdout


@posix_only
def test_closed_and_endless_standard_input(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    command = f"{shlex.quote(sys.executable)} -m actorlint check --no-cache -"
    closed = subprocess.run(["sh", "-c", command + " <&-"], cwd=tmp_path, env=env, capture_output=True,
                            timeout=120, check=False)
    _no_traceback(closed)
    assert closed.returncode == 2 and b"standard input is closed" in closed.stderr
    endless = subprocess.run(["sh", "-c", command + " < /dev/zero"], cwd=tmp_path, env=env,
                             capture_output=True, timeout=120, check=False)
    _no_traceback(endless)
    assert endless.returncode == 2 and b"standard input is larger than" in endless.stderr


def test_config_nested_500_deep_is_a_config_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"good.py": SLEEPER},
               pyproject="[tool.actorlint]\nselect = " + "[" * 500 + "]" * 500 + "\n")
    done = python_m_actorlint(["check", "--no-cache", "good.py"], cwd=tmp_path)
    _no_traceback(done)
    assert done.returncode == 2
    assert b"invalid TOML: values are nested too deeply" in done.stderr


def test_a_file_in_a_folder_the_user_cannot_enter(tmp_path: Path, run, monkeypatch) -> None:
    """Simulated (the tests may run as root, whom permissions do not stop): every stat or
    open below ``locked/`` fails with EACCES, as for a folder without the x bit."""
    write_tree(tmp_path, {"locked/secret.py": SLEEPER, "open/good.py": SLEEPER}, pyproject=None)
    locked = str(tmp_path / "locked") + os.sep
    real_stat, real_open = os.stat, os.open

    def guarded(real):
        def call(path, *args, **kwargs):
            if os.fspath(path).startswith(locked) or os.path.abspath(os.fspath(path)).startswith(locked):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "stat", guarded(real_stat))
    monkeypatch.setattr(os, "open", guarded(real_open))
    result = run("check", "--no-cache", "--jobs", "1", "locked/secret.py", "open/good.py")
    assert result.exit_code == 2, result.output
    assert result.stderr == ("error: cannot access path: locked/secret.py (permission denied: "
                             "a folder on the way cannot be entered)\n")

