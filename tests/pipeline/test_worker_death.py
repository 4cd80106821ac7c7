"""A worker process that dies under a file (killed, out of memory) costs that file only.

The workers are forked, so a function patched into ``actorlint.workers`` in the test
process is what they run: it kills its own process for the files named ``crash*.py``.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from actorlint import workers as worker_pool
from actorlint.analyse import analyse
from tests.cli_helpers import SLEEPER, write_tree

pytestmark = pytest.mark.skipif(os.name != "posix", reason="workers are forked on POSIX only")


def _tree(root: Path) -> None:
    files = {f"src/m{i}.py": SLEEPER.replace("Sleeper", f"Sleeper{i}") for i in range(10)}
    files["src/crash_always.py"] = SLEEPER.replace("Sleeper", "Doomed")
    write_tree(root, files)


def _killing(marker_folder: Path, always: str, once: str = ""):
    def analyse_or_die(job, *args, **kwargs):
        name = os.path.basename(job.path)
        if name == always:
            os.kill(os.getpid(), signal.SIGKILL)
        if name == once:
            marker = marker_folder / "died-once"
            if not marker.exists():
                marker.write_text("x")
                os.kill(os.getpid(), signal.SIGKILL)
        return analyse(job, *args, **kwargs)
    return analyse_or_die


def test_a_file_that_kills_its_worker_is_act000_and_exit_2(tmp_path: Path, run, monkeypatch) -> None:
    _tree(tmp_path)
    monkeypatch.setattr(worker_pool, "analyse", _killing(tmp_path, "crash_always.py"))
    result = run("check", "--no-cache", "--jobs", "2", "src")
    assert result.exit_code == 2, result.output
    lines = result.stdout.splitlines()
    assert ("src/crash_always.py:1:1: ACT000 Cannot analyse file: the worker process analysing it died "
            "twice (killed by a signal, or out of memory)") in lines
    # Every other file was analysed: its ACT101 is there.
    assert sum(1 for line in lines if " ACT101 " in line) == 10
    assert "The worker process analysing it died twice" in result.stderr
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr


def test_a_worker_that_dies_once_is_retried_in_a_fresh_one(tmp_path: Path, run, monkeypatch) -> None:
    _tree(tmp_path)
    (tmp_path / "src/crash_always.py").write_text(SLEEPER.replace("Sleeper", "Unlucky"))
    expected = run("check", "--no-cache", "--jobs", "1", "src")
    monkeypatch.setattr(worker_pool, "analyse", _killing(tmp_path, "", once="crash_always.py"))
    result = run("check", "--no-cache", "--jobs", "2", "src")
    assert (tmp_path / "died-once").exists(), "the worker was meant to die once"
    assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout)
    assert result.stderr == ""
