"""The pre-commit hook, for real: pre-commit builds a virtualenv, pip-installs actorlint
into it from this checkout and runs the hook of ``.pre-commit-hooks.yaml`` on a
throwaway git repository.

The hook repository is a snapshot of this project's working tree (the files a hook
install needs, uncommitted edits and not-yet-tracked files included), committed to a
git repository in a temporary folder. That keeps the tests independent of the state
of the project's own git repository: ``pre-commit try-repo`` on a working tree only
carries over changes to *tracked* files, so new, untracked modules would be missing.

Most tests use a ``.pre-commit-config.yaml`` pointing at the snapshot (``repo:`` +
``rev:``) with one ``PRE_COMMIT_HOME`` for the whole module, so the hook's virtualenv
is built once. Two tests exercise ``pre-commit try-repo`` (on a clean clone, and on a clone with
uncommitted changes); try-repo always builds its own environment in a temporary store,
so each costs one more virtualenv build, and both are left to the bench (``-m slow``).

pre-commit runs through ``sys.executable -m pre_commit`` so that the test
environment's pre-commit is used.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional, Sequence

import pytest

from tests.runtime_dist import build_runtime_wheel

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# What a hook repository needs: the manifest and an installable package.
SNAPSHOT_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE", "setup.cfg", "setup.py")
SNAPSHOT_DIRS = ("actorlint",)

# A Pykka actor whose handler sleeps: ACT101 on line 8.
BAD = """\
import time

import pykka


class Worker(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(1)
        return message
"""

GOOD = """\
import pykka


class Worker(pykka.ThreadingActor):
    def on_receive(self, message):
        return message


def use():
    ref = Worker.start()
    try:
        return ref.ask("x", timeout=1.0)
    finally:
        ref.stop(timeout=1.0)  # a bare stop() waits without limit: ACT201
"""

# A slow pre-commit (building the virtualenv, pip installing libcst) must not hang CI.
TIMEOUT = 300


def _clean_env(extra: Mapping[str, str]) -> Dict[str, str]:
    """The environment for git and pre-commit: no inherited GIT_* (as inside a git hook),
    no PYTHONPATH (the hook must use what pip installed), fixed git identity."""
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith("GIT_") and key not in ("PYTHONPATH", "PRE_COMMIT_HOME")
    }
    env.update({
        "GIT_AUTHOR_NAME": "actorlint tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "actorlint tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
        "GIT_TERMINAL_PROMPT": "0",
    })
    env.update(extra)
    return env


def _git(args: Sequence[str], cwd: Path, env: Mapping[str, str]) -> str:
    proc = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout.strip()


@dataclass
class PreCommitSetup:
    """A committed snapshot of the project to use as hook repository, and the env to run in."""

    hook_repo: Path
    rev: str
    env: Dict[str, str]
    base: Path

    def user_repo(self, name: str, files: Mapping[str, str], pyproject: Optional[str] = None,
                  config: bool = True) -> Path:
        """A throwaway git repository with ``files`` staged and, when ``config``, a
        .pre-commit-config.yaml that uses the actorlint hook from the snapshot."""
        repo = self.base / name
        repo.mkdir()
        _git(["init", "-q", "."], repo, self.env)
        for relative, text in files.items():
            target = repo / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if pyproject is not None:
            (repo / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        if config:
            (repo / ".pre-commit-config.yaml").write_text(
                "repos:\n"
                f"-   repo: {self.hook_repo.as_posix()}\n"
                f"    rev: {self.rev}\n"
                "    hooks:\n"
                "    -   id: actorlint\n",
                encoding="utf-8",
            )
        _git(["add", "-A"], repo, self.env)
        return repo

    def pre_commit(self, args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=cwd, env=self.env, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )

    def run_hook(self, repo: Path, files: Sequence[str]) -> subprocess.CompletedProcess:
        return self.pre_commit(["run", "actorlint", "--color", "never", "--files", *files], repo)


def _require_tools() -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not available")
    if importlib.util.find_spec("pre_commit") is None:
        pytest.skip(f"pre-commit is not installed for {sys.executable}")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "--version"],
                          capture_output=True, text=True, timeout=60, check=False)
    if proc.returncode != 0:
        pytest.skip(f"`{sys.executable} -m pre_commit` does not run: {proc.stderr.strip()}")


def _snapshot_project(target: Path, env: Mapping[str, str]) -> str:
    """Copy the project's working tree (what a hook install needs) to ``target``, commit it,
    and return the commit."""
    target.mkdir()
    for name in SNAPSHOT_FILES:
        if (PROJECT_ROOT / name).is_file():
            shutil.copy2(PROJECT_ROOT / name, target / name)
    for name in SNAPSHOT_DIRS:
        shutil.copytree(
            PROJECT_ROOT / name, target / name,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".actorlint_cache"),
        )
    _git(["init", "-q", "."], target, env)
    _git(["add", "-A"], target, env)
    _git(["commit", "-q", "-m", "snapshot of the actorlint working tree"], target, env)
    return _git(["rev-parse", "HEAD"], target, env)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> PreCommitSetup:
    _require_tools()
    base = tmp_path_factory.mktemp("precommit")
    # actorlint depends on actorlint-runtime, built from this repository: pip finds it here.
    wheels = build_runtime_wheel(base / "wheels").parent
    env = _clean_env({"PRE_COMMIT_HOME": str(base / "pre-commit-home"), "PIP_FIND_LINKS": str(wheels)})
    hook_repo = base / "actorlint-snapshot"
    rev = _snapshot_project(hook_repo, env)
    return PreCommitSetup(hook_repo=hook_repo, rev=rev, env=env, base=base)


def _describe(proc: subprocess.CompletedProcess) -> str:
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


# ---------------------------------------------------------------------------
# pre-commit run with a config pointing at the hook repository (shared environment).


def test_hook_fails_on_blocking_call(setup: PreCommitSetup) -> None:
    repo = setup.user_repo("bad", {"bad.py": BAD})
    proc = setup.run_hook(repo, ["bad.py"])
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, _describe(proc)
    assert "Failed" in output, _describe(proc)
    assert "bad.py:8:9: ACT101" in output, _describe(proc)


def test_hook_passes_clean_file(setup: PreCommitSetup) -> None:
    repo = setup.user_repo("good", {"good.py": GOOD})
    proc = setup.run_hook(repo, ["good.py"])
    assert proc.returncode == 0, _describe(proc)
    assert "Passed" in proc.stdout, _describe(proc)


def test_hook_skips_non_python_files(setup: PreCommitSetup) -> None:
    repo = setup.user_repo("text", {"notes.txt": BAD})
    proc = setup.run_hook(repo, ["notes.txt"])
    assert proc.returncode == 0, _describe(proc)
    assert "no files to check" in proc.stdout.lower(), _describe(proc)


EXCLUDING_PYPROJECT = '[project]\nname = "demo"\n\n[tool.actorlint]\nextend-exclude = ["generated"]\n'


def test_hook_respects_config_exclusions(setup: PreCommitSetup) -> None:
    # pre-commit names generated/bad.py explicitly; only --force-exclude keeps it out.
    files = {"generated/bad.py": BAD, "good.py": GOOD}
    repo = setup.user_repo("excluded", files, pyproject=EXCLUDING_PYPROJECT)
    proc = setup.run_hook(repo, ["generated/bad.py", "good.py"])
    assert proc.returncode == 0, _describe(proc)
    assert "ACT101" not in proc.stdout + proc.stderr, _describe(proc)

    # Next to a reported file, the excluded one stays silent.
    (repo / "bad.py").write_text(BAD, encoding="utf-8")
    _git(["add", "bad.py"], repo, setup.env)
    proc = setup.run_hook(repo, ["generated/bad.py", "bad.py"])
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, _describe(proc)
    assert "bad.py:8:9: ACT101" in output, _describe(proc)
    assert "generated/bad.py" not in output, _describe(proc)


def test_hook_reports_generated_file_without_exclusion(setup: PreCommitSetup) -> None:
    # The control for the test above: the same file is reported when nothing excludes it.
    repo = setup.user_repo("not-excluded", {"generated/bad.py": BAD},
                           pyproject='[project]\nname = "demo"\n')
    proc = setup.run_hook(repo, ["generated/bad.py"])
    assert proc.returncode == 1, _describe(proc)
    assert "generated/bad.py:8:9: ACT101" in proc.stdout + proc.stderr, _describe(proc)


# ---------------------------------------------------------------------------
# pre-commit try-repo (each builds its own environment).


@pytest.mark.slow
def test_try_repo_on_clean_clone(setup: PreCommitSetup) -> None:
    clone = setup.base / "clean-clone"
    _git(["clone", "-q", str(setup.hook_repo), str(clone)], setup.base, setup.env)
    repo = setup.user_repo("try-clean", {"bad.py": BAD, "good.py": GOOD}, config=False)
    proc = setup.pre_commit(
        ["try-repo", str(clone), "actorlint", "--color", "never", "--files", "bad.py", "good.py"], repo,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, _describe(proc)
    assert "uncommitted changes" not in output, _describe(proc)
    assert "bad.py:8:9: ACT101" in output, _describe(proc)
    assert "good.py" not in output, _describe(proc)


@pytest.mark.slow
def test_try_repo_uses_uncommitted_changes(setup: PreCommitSetup) -> None:
    # Commit a manifest whose hook cannot work, then put the real one back without
    # committing: the run only passes if try-repo uses the working tree.
    clone = setup.base / "dirty-clone"
    _git(["clone", "-q", str(setup.hook_repo), str(clone)], setup.base, setup.env)
    manifest = clone / ".pre-commit-hooks.yaml"
    real = manifest.read_text(encoding="utf-8")
    assert "entry: actorlint check --force-exclude" in real
    manifest.write_text(real.replace("entry: actorlint check --force-exclude",
                                     "entry: actorlint check --no-such-option"), encoding="utf-8")
    _git(["commit", "-q", "-am", "break the hook"], clone, setup.env)
    manifest.write_text(real, encoding="utf-8")

    repo = setup.user_repo("try-dirty", {"bad.py": BAD, "generated/bad.py": BAD},
                           pyproject=EXCLUDING_PYPROJECT, config=False)
    proc = setup.pre_commit(
        ["try-repo", str(clone), "actorlint", "--color", "never", "--files", "bad.py", "generated/bad.py"],
        repo,
    )
    output = proc.stdout + proc.stderr
    assert "Creating temporary repo with uncommitted changes" in output, _describe(proc)
    assert "no-such-option" not in output, _describe(proc)
    assert proc.returncode == 1, _describe(proc)
    assert "bad.py:8:9: ACT101" in output, _describe(proc)
    assert "generated/bad.py" not in output, _describe(proc)


def test_hook_on_one_staged_file_sees_the_rest_of_the_project(setup: PreCommitSetup) -> None:
    """Issue 14, section 1: the hook gets only the staged file, yet judges it as a tree run
    does: the handle its parameter receives is made in another, unchanged file."""
    from tests.cli.test_project_context import PROJECT

    repo = setup.user_repo("project", PROJECT)
    proc = setup.run_hook(repo, ["radio/station.py"])
    assert proc.returncode == 1, _describe(proc)
    assert "radio/station.py:6:16: ACT201" in proc.stdout + proc.stderr, _describe(proc)
