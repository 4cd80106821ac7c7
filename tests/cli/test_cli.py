"""End-to-end tests of the command line: ``actorlint.cli.cli`` through click's CliRunner,
plus a few real ``python -m actorlint`` subprocesses.

Every tree is written to ``tmp_path`` with its own ``pyproject.toml`` holding a
``[tool.actorlint]`` table, so the project root (and the cache) is always inside
``tmp_path``. The expected diagnostics were checked by hand against the fixture code.
"""

from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

import actorlint.engine
import actorlint.workers
from actorlint import __version__
from tests.cli_helpers import (
    CLEAN, JSON_KEYS, SLEEPER, WORKER, WORKER_ACT101, WORKER_ACT201, codes_and_lines, json_diagnostics,
    python_m_actorlint, write_tree,
)


# ---------------------------------------------------------------------------
# Exit codes.


def test_exit_0_on_clean_code(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/app.py": CLEAN})
    result = run("check", "src")
    assert result.exit_code == 0, result.output
    assert codes_and_lines(result) == []
    assert "All checks passed!" in result.stdout


def test_exit_1_with_diagnostics(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "src/clean.py": CLEAN})
    result = run("check", "src")
    assert result.exit_code == 1, result.output
    assert codes_and_lines(result) == [
        ("src/worker.py", WORKER_ACT101, "ACT101"),
        ("src/worker.py", WORKER_ACT201, "ACT201"),
    ]
    assert "Found 2 errors." in result.stdout


def test_default_path_is_the_current_directory(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check")
    assert result.exit_code == 1, result.output
    assert {c for _, _, c in codes_and_lines(result)} == {"ACT101", "ACT201"}


def test_exit_zero_flag(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--exit-zero", "src")
    assert result.exit_code == 0, result.output
    assert len(codes_and_lines(result)) == 2  # still reported


def test_exit_2_on_nonexistent_path(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "src", "no_such_dir/missing.py")
    assert result.exit_code == 2, result.output
    assert "no_such_dir/missing.py" in result.stderr
    assert "Traceback" not in result.output


def test_exit_2_on_unknown_config_key(tmp_path: Path, run) -> None:
    pyproject = '[tool.actorlint]\nselect = ["ACT"]\ncall-timout = 3\nfrobnicate = true\n'
    write_tree(tmp_path, {"src/worker.py": WORKER}, pyproject=pyproject)
    result = run("check", "src")
    assert result.exit_code == 2, result.output
    assert str(tmp_path / "pyproject.toml") in result.stderr
    assert "call-timout" in result.stderr
    assert "unknown key" in result.stderr
    assert "Traceback" not in result.output
    assert codes_and_lines(result) == []  # nothing was checked


def test_exit_2_on_unknown_config_key_as_subprocess(tmp_path: Path) -> None:
    write_tree(tmp_path, {"app.py": WORKER}, pyproject="[tool.actorlint]\nfrobnicate = true\n")
    proc = python_m_actorlint(["check", "app.py"], cwd=tmp_path)
    assert proc.returncode == 2, proc
    stderr = proc.stderr.decode()
    assert "pyproject.toml" in stderr and "frobnicate" in stderr
    assert "Traceback" not in stderr + proc.stdout.decode()


def test_exit_2_on_unknown_explain_code(run) -> None:
    result = run("explain", "ACT999")
    assert result.exit_code == 2, result.output
    assert "ACT999" in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------
# Selection and suppression.


def test_select_only_reports_selected_code(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--select", "ACT201", "src")
    assert result.exit_code == 1, result.output
    assert codes_and_lines(result) == [("src/worker.py", WORKER_ACT201, "ACT201")]


def test_ignore_drops_code(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--ignore", "ACT201", "src")
    assert result.exit_code == 1, result.output
    assert codes_and_lines(result) == [("src/worker.py", WORKER_ACT101, "ACT101")]


def test_ignore_everything_reported_exits_0(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--ignore", "ACT101,ACT201", "src")
    assert result.exit_code == 0, result.output
    assert codes_and_lines(result) == []


def test_extend_select_adds_to_config_select(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER},
               pyproject='[tool.actorlint]\nselect = ["ACT201"]\n')
    only_config = run("check", "src")
    assert codes_and_lines(only_config) == [("src/worker.py", WORKER_ACT201, "ACT201")]
    extended = run("check", "--extend-select", "ACT101", "src")
    assert extended.exit_code == 1, extended.output
    assert codes_and_lines(extended) == [
        ("src/worker.py", WORKER_ACT101, "ACT101"),
        ("src/worker.py", WORKER_ACT201, "ACT201"),
    ]


def test_per_file_ignores_from_config(tmp_path: Path, run) -> None:
    pyproject = '[tool.actorlint]\nselect = ["ACT1", "ACT201"]\nper-file-ignores = { "tests/*" = ["ACT201"] }\n'
    write_tree(tmp_path, {"src/worker.py": WORKER, "tests/test_worker.py": WORKER}, pyproject=pyproject)
    result = run("check", "src", "tests")
    assert result.exit_code == 1, result.output
    assert codes_and_lines(result) == [
        ("src/worker.py", WORKER_ACT101, "ACT101"),
        ("src/worker.py", WORKER_ACT201, "ACT201"),
        ("tests/test_worker.py", WORKER_ACT101, "ACT101"),
    ]


SUPPRESSED = """\
import time

import pykka


class Mixed(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(1)  # noqa: ACT101
        time.sleep(2)  # actorlint: ignore[ACT101]
        time.sleep(3)  # noqa: E501
        time.sleep(4)  # actorlint: ignore[ACT201]
        time.sleep(5)
"""


def test_suppression_comments(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/mixed.py": SUPPRESSED})
    result = run("check", "src")
    assert result.exit_code == 1, result.output
    # Lines 8 and 9 are suppressed; another tool's code (10) or another rule's (11) is not.
    assert codes_and_lines(result) == [
        ("src/mixed.py", 10, "ACT101"),
        ("src/mixed.py", 11, "ACT101"),
        ("src/mixed.py", 12, "ACT101"),
    ]


def test_skip_file(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {
        "src/skipped.py": "# actorlint: skip-file\n" + WORKER,
        "src/checked.py": SLEEPER,
    })
    result = run("check", "src")
    assert result.exit_code == 1, result.output
    assert codes_and_lines(result) == [("src/checked.py", 8, "ACT101")]
    alone = run("check", "src/skipped.py")
    assert alone.exit_code == 0, alone.output
    assert codes_and_lines(alone) == []


# ---------------------------------------------------------------------------
# Output formats.


def test_json_output(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--output-format", "json", str(tmp_path / "src"))
    assert result.exit_code == 1, result.output
    data = json_diagnostics(result)
    assert len(data) == 2
    for item in data:
        assert set(item) - {"fix_title", "edits"} == JSON_KEYS
        assert item["path"] == "src/worker.py"  # relative to cwd, though given absolute
        assert item["severity"] == "warning"
    first, second = data
    assert first["fix"] is None  # ACT101 has no fix
    assert second["fix"] == "unsafe"  # ACT201 adds a timeout: unsafe
    assert second["url"].endswith("/docs/rules/ACT201.md") and first["url"].endswith("/docs/rules/ACT101.md")
    source = (tmp_path / "src" / "worker.py").read_text(encoding="utf-8")
    fixed = source
    for edit in sorted(second["edits"], key=lambda e: e["start"], reverse=True):
        fixed = fixed[:edit["start"]] + edit["content"] + fixed[edit["end"]:]
    assert fixed == source.replace('ref.ask("x")', 'ref.ask("x", timeout=5.0)')  # what --fix writes
    assert (first["code"], first["name"]) == ("ACT101", "blocking-call-in-handler")
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (8, 9, 8, 22)
    assert "time.sleep" in first["message"]
    assert (second["code"], second["name"]) == ("ACT201", "call-without-timeout")
    assert (second["line"], second["column"], second["end_line"], second["end_column"]) == (14, 12, 14, 24)


def test_json_output_clean_is_empty_list(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/app.py": CLEAN})
    result = run("check", "--output-format", "json", "src")
    assert result.exit_code == 0, result.output
    assert json_diagnostics(result) == []


GITHUB_LINE = re.compile(
    r"^::warning file=(?P<file>[^,]+),line=(?P<line>\d+),endLine=(?P<end_line>\d+),"
    r"col=(?P<col>\d+),endColumn=(?P<end_col>\d+),"
    r"title=(?P<code>ACT\d{3}) \((?P<name>[a-z-]+)\)::(?P<message>.+)$"
)


def test_github_output(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--output-format", "github", "src")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 2, lines
    first = GITHUB_LINE.match(lines[0])
    assert first is not None, lines[0]
    assert first.group("file", "line", "end_line", "col", "end_col", "code", "name") == (
        "src/worker.py", "8", "8", "9", "22", "ACT101", "blocking-call-in-handler",
    )
    assert re.match(
        r"^::warning file=src/worker\.py,line=8,endLine=8,col=9,endColumn=22,"
        r"title=ACT101 \(blocking-call-in-handler\)::", lines[0],
    )
    second = GITHUB_LINE.match(lines[1])
    assert second is not None, lines[1]
    assert second.group("code", "line") == ("ACT201", "14")


def test_sarif_output(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--output-format", "sarif", "src")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["version"] == "2.1.0"
    results = data["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["ACT101", "ACT201"]


def test_statistics(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "src/sleeper.py": SLEEPER, "src/other.py": SLEEPER})
    result = run("check", "--statistics", "src")
    assert result.exit_code == 1, result.output
    counts = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^\s*(\d+)\s+(ACT\d{3})\b", line)
        if match:
            counts[match.group(2)] = int(match.group(1))
    assert counts == {"ACT101": 3, "ACT201": 1}, result.stdout


# ---------------------------------------------------------------------------
# Inputs: stdin, broken files.


def test_stdin_with_filename(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {})
    result = run("check", "-", "--stdin-filename", "src/app.py", "--output-format", "json",
                 input=WORKER)
    assert result.exit_code == 1, result.output
    data = json_diagnostics(result)
    assert [(d["path"], d["line"], d["code"]) for d in data] == [
        ("src/app.py", WORKER_ACT101, "ACT101"),
        ("src/app.py", WORKER_ACT201, "ACT201"),
    ]


def test_stdin_clean(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {})
    result = run("check", "-", "--stdin-filename", "src/app.py", input=CLEAN)
    assert result.exit_code == 0, result.output


def test_stdin_as_subprocess(tmp_path: Path) -> None:
    write_tree(tmp_path, {})
    proc = python_m_actorlint(["check", "--stdin-filename", "src/app.py", "-"], cwd=tmp_path,
                              input=WORKER.encode())
    assert proc.returncode == 1, proc
    out = proc.stdout.decode()
    assert f"src/app.py:{WORKER_ACT101}:9: ACT101" in out
    assert f"src/app.py:{WORKER_ACT201}:12: ACT201" in out


def test_syntax_error_reported_and_other_files_checked(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/broken.py": "def broken(:\n    pass\n", "src/sleeper.py": SLEEPER})
    result = run("check", "--output-format", "json", "src")
    assert result.exit_code == 1, result.output
    data = json_diagnostics(result)
    assert [(d["path"], d["code"]) for d in data] == [
        ("src/broken.py", "ACT000"),
        ("src/sleeper.py", "ACT101"),
    ]
    assert data[0]["severity"] == "error"
    assert "SyntaxError" in data[0]["message"]


def test_syntax_error_cannot_be_deselected(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/broken.py": "def broken(:\n    pass\n"})
    result = run("check", "--select", "ACT201", "--ignore", "ACT000", "src")
    assert result.exit_code == 1, result.output
    assert [c for _, _, c in codes_and_lines(result)] == ["ACT000"]


def test_undecodable_file(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/bad.py": b"# coding: utf-8\n\xff\xfe\x00bad", "src/sleeper.py": SLEEPER})
    result = run("check", "--output-format", "json", "src")
    assert result.exit_code == 1, result.output
    data = json_diagnostics(result)
    assert [(d["path"], d["code"]) for d in data] == [
        ("src/bad.py", "ACT000"),
        ("src/sleeper.py", "ACT101"),
    ]
    message = data[0]["message"]
    assert "decode" in message.lower()
    assert "utf-8" in message.lower()
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------
# Parallelism and the cache.


def _many_files() -> Dict[str, str]:
    """12 modules with an ACT101 and an ACT201 each, plus one cross-module ACT201."""
    files = {"app/__init__.py": ""}
    for i in range(12):
        files[f"app/mod{i:02d}.py"] = WORKER.replace("Worker", f"Worker{i}")
    files["app/main.py"] = textwrap.dedent("""\
        from app.mod03 import Worker3


        def run():
            ref = Worker3.start()
            return ref.ask({"go": True})
        """)
    return files


class _PoolSpy:
    """Counts how often the engine creates a process pool, and delegates to the real one."""

    def __init__(self, real) -> None:
        self.real = real
        self.created = 0

    def __call__(self, *args, **kwargs):
        self.created += 1
        return self.real(*args, **kwargs)


def test_jobs_1_and_2_give_identical_json(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, _many_files())
    spy = _PoolSpy(actorlint.workers.ProcessPoolExecutor)
    monkeypatch.setattr(actorlint.workers, "ProcessPoolExecutor", spy)

    serial = run("check", "--no-cache", "--jobs", "1", "--output-format", "json", "app")
    assert spy.created == 0
    parallel = run("check", "--no-cache", "--jobs", "2", "--output-format", "json", "app")
    assert spy.created == 1  # 13 files to analyse: the pool was used

    assert serial.exit_code == parallel.exit_code == 1, (serial.output, parallel.output)
    assert serial.stdout == parallel.stdout
    data = json_diagnostics(serial)
    expected = []
    for i in range(12):
        expected.append((f"app/mod{i:02d}.py", WORKER_ACT101, "ACT101"))
        expected.append((f"app/mod{i:02d}.py", WORKER_ACT201, "ACT201"))
    expected.insert(0, ("app/main.py", 6, "ACT201"))
    assert [(d["path"], d["line"], d["code"]) for d in data] == expected


def test_jobs_2_as_subprocess_matches_jobs_1(tmp_path: Path) -> None:
    write_tree(tmp_path, _many_files())
    one = python_m_actorlint(["check", "--no-cache", "-j", "1", "--output-format", "json", "app"], cwd=tmp_path)
    two = python_m_actorlint(["check", "--no-cache", "-j", "2", "--output-format", "json", "app"], cwd=tmp_path)
    assert one.returncode == two.returncode == 1, (one, two)
    assert one.stdout == two.stdout
    assert len(json.loads(one.stdout)) == 25


def test_cache_second_run_identical_and_served_from_cache(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "src/sleeper.py": SLEEPER, "src/clean.py": CLEAN})
    first = run("check", "--jobs", "1", "src")
    assert first.exit_code == 1, first.output

    cache = tmp_path / ".actorlint_cache"
    assert cache.is_dir()
    tag = (cache / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"

    # The second run must not analyse anything: every file is unchanged.
    def no_analysis(*args, **kwargs):
        raise AssertionError("analysed a file that the cache should have served")

    monkeypatch.setattr(actorlint.workers, "analyse", no_analysis)
    second = run("check", "--jobs", "1", "src")
    assert second.exit_code == first.exit_code
    assert second.stdout == first.stdout
    assert second.stderr == ""


def test_cache_notices_changed_file(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    assert run("check", "src").exit_code == 1
    (tmp_path / "src/worker.py").write_text(CLEAN, encoding="utf-8")
    after = run("check", "src")
    assert after.exit_code == 0, after.output


def _refuse_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any loading or computing of facts fail the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("facts were loaded although the whole run was cached")

    monkeypatch.setattr(actorlint.engine, "collect_facts", refuse)


def test_unchanged_run_is_reported_from_the_run_cache(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "src/sleeper.py": SLEEPER, "src/clean.py": CLEAN})
    first = run("check", "--jobs", "1", "--output-format", "json", "src")
    assert first.exit_code == 1, first.output
    with monkeypatch.context() as patched:
        _refuse_facts(patched)
        second = run("check", "--jobs", "1", "--output-format", "json", "src")
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)

    # Anything that can change the result runs the rules again: other settings ...
    ignored = run("check", "--jobs", "1", "--output-format", "json", "--ignore", "ACT101", "src")
    assert "ACT101" not in ignored.stdout and "ACT201" in ignored.stdout
    # ... other files ...
    only_worker = run("check", "--jobs", "1", "--output-format", "json", "src/worker.py")
    assert {d["path"] for d in json_diagnostics(only_worker)} == {"src/worker.py"}
    # ... and a changed file, even one of the same size.
    (tmp_path / "src/worker.py").write_text(WORKER.replace("Worker", "Wurker"), encoding="utf-8")
    renamed = run("check", "--jobs", "1", "--output-format", "json", "src")
    assert renamed.stdout != first.stdout and "Wurker" in renamed.stdout
    # The first invocation again: the file is back, its facts come from the cache, and
    # the result is the first one.
    (tmp_path / "src/worker.py").write_text(WORKER, encoding="utf-8")
    again = run("check", "--jobs", "1", "--output-format", "json", "src")
    assert (again.exit_code, again.stdout) == (first.exit_code, first.stdout)


def test_damaged_run_cache_is_ignored(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    first = run("check", "--jobs", "1", "src")
    entries = list(tmp_path.glob(".actorlint_cache/*/runs/*"))
    assert len(entries) == 1
    entries[0].write_bytes(b"\x80\x05 not a pickle")
    second = run("check", "--jobs", "1", "src")
    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    assert run("check", "--jobs", "1", "src").stdout == first.stdout  # rewritten whole


def test_run_cache_notices_a_changed_rule_file(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An edited rule (a plugin installed in development mode, say) is a different rule."""
    write_tree(tmp_path, {"src/worker.py": WORKER})
    run("check", "--jobs", "1", "src")
    before = actorlint.engine._rules_identity()
    rule_file = Path(sys.modules[actorlint.engine.installed_rules()[0].__module__].__file__)
    real_stat = os.stat

    class Edited:
        """The rule file's stat a minute later, same size."""

        def __init__(self, real: os.stat_result) -> None:
            self.st_size = real.st_size
            self.st_mtime_ns = real.st_mtime_ns + 60 * 10**9

    def later(path, *args, **kwargs):
        result = real_stat(path, *args, **kwargs)
        return Edited(result) if os.fspath(path) == str(rule_file) else result

    monkeypatch.setattr(actorlint.engine.os, "stat", later)
    assert actorlint.engine._rules_identity() != before


def test_no_cache_creates_no_cache_folder(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--no-cache", "src")
    assert result.exit_code == 1, result.output
    assert not list(tmp_path.rglob(".actorlint_cache"))


# ---------------------------------------------------------------------------
# rules, explain, --version.


def test_rules_lists_act101(run) -> None:
    result = run("rules")
    assert result.exit_code == 0, result.output
    assert re.search(r"^ACT101\s+blocking-call-in-handler\b", result.stdout, re.MULTILINE)
    assert re.search(r"^ACT201\s+call-without-timeout\b", result.stdout, re.MULTILINE)


def test_rules_json(run) -> None:
    result = run("rules", "--output-format", "json")
    assert result.exit_code == 0, result.output
    by_code = {r["code"]: r for r in json.loads(result.stdout)}
    assert by_code["ACT101"]["name"] == "blocking-call-in-handler"


def test_explain_act101(run) -> None:
    result = run("explain", "ACT101")
    assert result.exit_code == 0, result.output
    assert "## What it does" in result.stdout
    assert "blocking-call-in-handler" in result.stdout
    lower = run("explain", "act101")
    assert lower.exit_code == 0 and lower.stdout == result.stdout


def test_version_as_subprocess(tmp_path: Path) -> None:
    proc = python_m_actorlint(["--version"], cwd=tmp_path)
    assert proc.returncode == 0, proc
    assert proc.stdout.decode().strip() == f"actorlint, version {__version__}"


def test_check_as_subprocess_exit_codes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"bad/worker.py": WORKER, "good/app.py": CLEAN})
    bad = python_m_actorlint(["check", "bad"], cwd=tmp_path)
    assert bad.returncode == 1, bad
    assert "bad/worker.py:8:9: ACT101" in bad.stdout.decode()
    good = python_m_actorlint(["check", "good"], cwd=tmp_path)
    assert good.returncode == 0, good
    missing = python_m_actorlint(["check", "nowhere"], cwd=tmp_path)
    assert missing.returncode == 2, missing
    assert "Traceback" not in missing.stderr.decode()


EXCLUDED_APP = {
    "shop/__init__.py": "",
    # Excluded from the report, but it defines the app and a task the task module uses.
    "shop/worker.py": (
        "from celery import Celery\n\napp = Celery('shop')\n\n\n"
        "@app.task\ndef thumbnail(image):\n    return image\n\n\n"
        "@app.task\ndef warm_up(image):\n    return thumbnail.delay(image).get()\n"
    ),
    "shop/tasks.py": (
        "from shop.worker import app, thumbnail\n\n\n"
        "@app.task\ndef resize(image):\n    return thumbnail.delay(image).get()\n"
    ),
}


def test_an_excluded_file_still_teaches_what_it_defines(run, tmp_path: Path) -> None:
    """Issue 13, bug 4: ``extend-exclude`` decides what is reported, not what is known.
    The task module's findings need the app defined in the excluded module; the excluded
    module's own sleeping task is not reported, and it does not count as checked."""
    write_tree(tmp_path, EXCLUDED_APP, '[tool.actorlint]\nextend-exclude = ["shop/worker.py"]\n')
    result = run("check", "--no-cache", "--select", "ACT201,ACT202", "--output-format", "json", ".")
    found = {(d["path"], d["line"], d["code"]) for d in json.loads(result.stdout)}
    assert found == {("shop/tasks.py", 5, "ACT202"), ("shop/tasks.py", 6, "ACT201")}
    explicit = run("check", "--no-cache", "--select", "ACT201,ACT202", "--force-exclude", "shop/worker.py")
    assert explicit.exit_code == 0 and "shop/worker.py" not in explicit.stdout
    fixed = run("check", "--no-cache", "--select", "ACT202", "--fix", "--unsafe-fixes", ".")
    assert fixed.exit_code == 0, fixed.stdout
    assert (tmp_path / "shop/worker.py").read_text() == EXCLUDED_APP["shop/worker.py"]
    assert "@app.task(soft_time_limit=" in (tmp_path / "shop/tasks.py").read_text()
