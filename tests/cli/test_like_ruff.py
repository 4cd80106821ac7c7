"""Command-line habits people bring from Ruff (issue 17): unknown selectors are errors,
a run over no Python files says so, Ctrl-C exits 130, and the default worker count follows
the CPUs the process may use. Each through the real CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actorlint import cli as cli_module
from tests.cli_helpers import PROJECT_ROOT, WORKER, write_tree


@pytest.mark.parametrize("flag, selector", [
    ("--select", "ACT999"),  # no such rule
    ("--select", "ACT9"),  # a prefix of no rule
    ("--extend-select", "ACM101"),  # a plugin code with no plugin installed
    ("--ignore", "XYZ"),
])
def test_an_unknown_selector_on_the_command_line_is_an_error(tmp_path: Path, run, flag, selector) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", flag, selector, "src")
    assert result.exit_code == 2
    assert f"unknown rule selector `{selector}` ({flag})" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("config, where", [
    ('select = ["ACT1", "ACT777"]', "`select`"),
    ('ignore = ["ACT59"]', "`ignore`"),
    ('per-file-ignores = { "tests/*" = ["ACT2", "ACT404"] }', "`per-file-ignores (tests/*)`"),
    ('extend-safe-fixes = ["ACT9"]', "`extend-safe-fixes`"),
])
def test_an_unknown_selector_in_the_config_is_an_error_naming_its_key(tmp_path: Path, run, config, where) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER}, pyproject=f"[tool.actorlint]\n{config}\n")
    result = run("check", "src")
    assert result.exit_code == 2
    assert f"({where} in " in result.stderr and "pyproject.toml" in result.stderr


@pytest.mark.parametrize("selectors", [("ACT1",), ("ACT101", "ACT2"), ("ALL",), ("ACT000",)])
def test_known_selectors_and_prefixes_are_accepted(tmp_path: Path, run, selectors) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--select", ",".join(selectors), "--ignore", "ACT5", "src")
    assert result.exit_code in (0, 1), result.stderr


def test_no_python_files_says_so(tmp_path: Path, run) -> None:
    # The project has Python files elsewhere (read as context): the folder asked for has none.
    write_tree(tmp_path, {"docs/readme.txt": "not python\n", "src/app.py": "x = 1\n"})
    result = run("check", "docs")
    assert result.exit_code == 0
    assert "No Python files found" in result.stderr
    assert "All checks passed!" not in result.stdout
    as_json = run("check", "--output-format", "json", "docs")
    assert as_json.stdout.strip() == "[]" and "No Python files found" in as_json.stderr


def test_python_files_found_say_nothing_of_the_kind(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    assert "No Python files" not in run("check", "src").stderr


def test_ctrl_c_exits_130(tmp_path: Path) -> None:
    for index in range(3000):  # a run of several seconds
        (tmp_path / f"worker_{index}.py").write_text(WORKER, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.actorlint]\n", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "actorlint", "check", "--no-cache", "--jobs", "2", "."],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        # A shell's background job ignores SIGINT; a terminal's foreground one does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(1.0)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Aborted!" in err and b"Traceback" not in err


def test_the_default_worker_count_follows_the_cpu_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_module.os, "sched_getaffinity", lambda pid: {3}, raising=False)
    monkeypatch.setattr(cli_module.os, "cpu_count", lambda: 64)
    assert cli_module._usable_cpus() == 1
    monkeypatch.delattr(cli_module.os, "sched_getaffinity")
    assert cli_module._usable_cpus() == 64


def test_stdin_filename_without_a_dash_reads_standard_input(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/other.py": "x = 1\n"})
    result = run("check", "--output-format", "json", "--stdin-filename", "src/worker.py", input=WORKER)
    dashed = run("check", "--output-format", "json", "--stdin-filename", "src/worker.py", "-", input=WORKER)
    assert result.exit_code == dashed.exit_code == 1
    assert result.stdout == dashed.stdout and '"path": "src/worker.py"' in result.stdout


UNTIMED = """\
import pykka


class Echo(pykka.ThreadingActor):
    def on_receive(self, message):
        return message


def use():
    ref = Echo.start()
    return ref.ask("x")
"""


def test_output_file_holds_the_report(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    result = run("check", "--output-format", "json", "--output-file", "report.json", "src")
    assert result.exit_code == 1 and result.stdout == ""
    written = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [(d["code"], d["line"]) for d in written] == [(d["code"], d["line"]) for d in json.loads(
        run("check", "--output-format", "json", "src").stdout)]


def test_statistics_in_json(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "src/echo.py": UNTIMED})
    rows = json.loads(run("check", "--output-format", "json", "--statistics", "src").stdout)
    # Checked by hand: worker.py sleeps in a handler (ACT101) and asks without a timeout
    # (ACT201), echo.py asks without one too; ACT201's fix (a timeout) is unsafe.
    assert rows == [
        {"code": "ACT201", "name": "call-without-timeout", "count": 2, "fixable": True, "fixable_count": 0},
        {"code": "ACT101", "name": "blocking-call-in-handler", "count": 1, "fixable": False, "fixable_count": 0},
    ]
    unsafe = json.loads(run("check", "--output-format", "json", "--statistics", "--unsafe-fixes", "src").stdout)
    assert unsafe[0]["fixable_count"] == 2


def test_diff_hints_at_unsafe_fixes(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/echo.py": UNTIMED})
    only_unsafe = run("check", "--diff", "src")
    assert only_unsafe.exit_code == 0 and only_unsafe.stdout == ""
    assert "No errors would be fixed (1 fix available with `--unsafe-fixes`)." in only_unsafe.stderr
    applied = run("check", "--diff", "--unsafe-fixes", "src")
    assert applied.exit_code == 1 and applied.stdout.endswith('timeout=5.0)\n')
    assert "Would fix 1 error." in applied.stderr


@pytest.mark.parametrize("fmt, variable", [("github", "GITHUB_WORKSPACE"), ("sarif", "GITHUB_WORKSPACE"),
                                           ("gitlab", "CI_PROJECT_DIR")])
def test_ci_formats_name_files_relative_to_the_checkout(tmp_path: Path, monkeypatch, fmt, variable) -> None:
    """A job that runs actorlint in a subfolder of the checkout still points at the right
    files: the service resolves paths against the checkout, not the job's folder."""
    from click.testing import CliRunner

    from actorlint.cli import cli

    write_tree(tmp_path, {"service/src/worker.py": WORKER}, pyproject=None)
    (tmp_path / "service" / "pyproject.toml").write_text("[tool.actorlint]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "service")
    args = ["check", "--no-cache", "--output-format", fmt, "src"]
    monkeypatch.delenv(variable, raising=False)
    plain = CliRunner().invoke(cli, args).output
    monkeypatch.setenv(variable, str(tmp_path))
    in_ci = CliRunner().invoke(cli, args).output
    if fmt == "github":
        assert "file=src/worker.py," in plain and "file=service/src/worker.py," in in_ci
    elif fmt == "sarif":
        def uris(output):
            run = json.loads(output)["runs"][0]
            return ({r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]},
                    run["originalUriBaseIds"]["%SRCROOT%"]["uri"])
        assert uris(plain) == ({"src/worker.py"}, (tmp_path / "service").as_uri() + "/")
        assert uris(in_ci) == ({"service/src/worker.py"}, tmp_path.as_uri() + "/")
    else:
        assert {i["location"]["path"] for i in json.loads(plain)} == {"src/worker.py"}
        assert {i["location"]["path"] for i in json.loads(in_ci)} == {"service/src/worker.py"}


FULL_ACT101 = """\
src/worker.py:8:9: ACT101 `time.sleep` sleeps inside handler `on_receive` of `Worker`
  |
7 |     def on_receive(self, message):
8 |         time.sleep(2)
  |         ^^^^^^^^^^^^^ ACT101
9 |         return message
  |
  = help: A blocking call runs inside an actor's message handler; see \
https://github.com/actorlint/actorlint/blob/main/docs/rules/ACT101.md

Found 1 error.
"""


def test_full_format_shows_the_source_with_a_caret_and_help(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    write_tree(tmp_path, {"src/worker.py": WORKER})
    # Checked by hand against WORKER: line 8 is `        time.sleep(2)`, the call spans
    # columns 9-21; the lines around it are shown with their numbers.
    assert run("check", "--select", "ACT101", "--output-format", "full", "src").stdout == FULL_ACT101
    fixable = run("check", "--select", "ACT201", "--output-format", "full", "src").stdout
    assert "  |     return ref.ask(\"x\")\n" not in fixable  # the gutter holds the number
    assert "14 |     return ref.ask(\"x\")\n   |            ^^^^^^^^^^^^ ACT201\n" in fixable
    assert "   = help: Add `timeout=5.0` (unsafe fix)\n" in fixable


def test_full_format_colour_follows_force_color_and_no_color(tmp_path: Path, run, monkeypatch) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    args = ("check", "--select", "ACT101", "--output-format", "full", "src")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\x1b[" not in run(*args).stdout  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run(*args).stdout
    assert "\x1b[31m\x1b[1m^^^^^^^^^^^^^ ACT101\x1b[0m" in coloured
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(*args).stdout


def test_full_format_shows_standard_input_not_the_file_on_disk(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": "x = 1\n"})
    out = run("check", "--select", "ACT101", "--output-format", "full", "--stdin-filename", "src/worker.py",
              input=WORKER).stdout
    assert "8 |         time.sleep(2)\n" in out


NOQA_BEFORE = '''\
import time

import pykka


class Worker(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(2)  # noqa: E501
        return message


def use():
    ref = Worker.start()
    return ref.ask(
        "x",
    )


def doc():
    ref = Worker.start()
    return ref.ask("""a
b""")
'''

# By hand: ACT202 on the handler's def line, ACT101 on the sleep (joining the existing
# noqa), ACT201 on the first line of a call spread over lines, and on the statement's last
# line when the flagged line ends inside a string.
NOQA_AFTER = NOQA_BEFORE.replace(
    "    def on_receive(self, message):", "    def on_receive(self, message):  # noqa: ACT202").replace(
    "time.sleep(2)  # noqa: E501", "time.sleep(2)  # noqa: ACT101, E501").replace(
    "    return ref.ask(\n", "    return ref.ask(  # noqa: ACT201\n").replace(
    'b""")\n', 'b""")  # noqa: ACT201\n')


def test_add_noqa_records_every_finding_once(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": NOQA_BEFORE}, pyproject="[tool.actorlint]\n")
    first = run("check", "--add-noqa", "src")
    assert first.exit_code == 0 and "Added 4 noqa directives." in first.stderr
    assert (tmp_path / "src/worker.py").read_text(encoding="utf-8") == NOQA_AFTER
    assert run("check", "src").exit_code == 0  # every finding is suppressed now
    again = run("check", "--add-noqa", "src")
    assert "Added 0 noqa directives." in again.stderr
    assert (tmp_path / "src/worker.py").read_text(encoding="utf-8") == NOQA_AFTER


def test_add_noqa_keeps_line_endings_and_encoding(tmp_path: Path, run) -> None:
    source = "# -*- coding: latin-1 -*-\n# caf\xe9\n" + NOQA_BEFORE.split("\n\n\ndef doc")[0] + "\n"
    data = source.replace("\n", "\r\n").encode("latin-1")
    write_tree(tmp_path, {"src/worker.py": data}, pyproject="[tool.actorlint]\n")
    assert run("check", "--add-noqa", "src").exit_code == 0
    written = (tmp_path / "src/worker.py").read_bytes()
    expected = NOQA_AFTER.split("\n\n\ndef doc")[0]
    assert written == ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + expected + "\n").replace("\n", "\r\n").encode("latin-1")


def test_add_noqa_refuses_fix_and_standard_input(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER})
    assert run("check", "--add-noqa", "--fix", "src").exit_code == 2
    assert run("check", "--add-noqa", "-", input=WORKER).exit_code == 2


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_progress_shows_after_a_second_and_erases_itself() -> None:
    import io

    from actorlint.progress import Progress

    clock, stream = _Clock(), io.StringIO()
    progress = Progress(stream, clock=clock)
    progress.expect(300)
    progress.advance(100)
    assert stream.getvalue() == ""  # a short run never shows it
    clock.now = 1.5
    progress.advance(100)
    assert stream.getvalue() == "\ractorlint: analysing files 200/300"
    clock.now = 1.55
    progress.advance(50)  # redrawn at most ten times a second
    assert stream.getvalue().count("\r") == 1
    clock.now = 1.7
    progress.advance(50)
    progress.finish()
    assert stream.getvalue().endswith("\ractorlint: analysing files 300/300\r" + " " * 34 + "\r")


def test_progress_reaches_a_terminal(tmp_path: Path) -> None:
    """Through a pseudo-terminal on standard error, a cold run of a few seconds shows it."""
    import pty

    # Long enough for the line to appear (it waits a second) on a fast machine too.
    padding = "".join(f"\n\ndef helper_{n}(value):\n    return value + {n}\n" for n in range(80))
    for index in range(100):
        (tmp_path / f"worker_{index}.py").write_text(WORKER + padding, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.actorlint]\n", encoding="utf-8")
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "actorlint", "check", "--no-cache", "--jobs", "1", "."],
                               cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                               stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    process.wait(timeout=120)
    os.close(master)
    assert b"\ractorlint: analysing files " in seen and b"/100" in seen


@pytest.mark.parametrize("terminal, fmt, shown", [
    (True, "text", True), (True, "full", True), (True, "json", False), (True, "sarif", False),
    (False, "text", False),
])
def test_progress_only_for_people_on_a_terminal(tmp_path: Path, run, monkeypatch, terminal, fmt, shown) -> None:
    from actorlint import engine

    write_tree(tmp_path, {"src/worker.py": WORKER})
    given = []
    real = engine.check_files
    monkeypatch.setattr(engine, "check_files", lambda *a, **k: given.append(k.get("progress")) or real(*a, **k))
    monkeypatch.setattr(cli_module, "_stderr_is_terminal", lambda: terminal)
    run("check", "--no-cache", "--output-format", fmt, "src")
    assert (given[0] is not None) == shown


def test_show_settings_prints_what_the_run_uses(tmp_path: Path, run) -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    write_tree(tmp_path, {"src/worker.py": WORKER}, pyproject='[tool.actorlint]\ncall-timeout = 2.5\npreview = true\n')
    result = run("check", "--show-settings", "--ignore", "ACT5", "src")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"# Configuration file: {tmp_path / 'pyproject.toml'}"
    table = tomllib.loads("\n".join(lines))["tool"]["actorlint"]  # valid TOML, as it would be written
    assert table["call-timeout"] == 2.5 and table["preview"] is True and table["ignore"] == ["ACT5"]
    running = lines[-1].removeprefix("# Rules that run: ").split(", ")
    assert "ACT302" in running and "ACT501" not in running and "ACT502" not in running


def test_show_files_lists_what_would_be_checked(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/a.py": "x = 1\n", "src/b.py": "y = 2\n", "src/notes.txt": "",
                          "build/gen.py": "z = 3\n"}, pyproject="[tool.actorlint]\n")
    result = run("check", "--show-files", ".")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["src/a.py", "src/b.py"]  # build/ is excluded by default


def test_watch_checks_again_when_a_file_changes(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    import select

    write_tree(tmp_path, {"src/worker.py": WORKER.replace('ref.ask("x")', 'ref.ask("x", timeout=5)')},
               pyproject='[tool.actorlint]\nselect = ["ACT201"]\n')
    process = subprocess.Popen([sys.executable, "-m", "actorlint", "check", "--watch", "src"], cwd=tmp_path,
                               env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = b""

    def until(marker: bytes, count: int) -> None:
        nonlocal seen
        deadline = time.monotonic() + 60
        while seen.count(marker) < count:
            assert time.monotonic() < deadline, seen
            ready, _, _ = select.select([process.stdout], [], [], 1)
            if ready:
                seen += os.read(process.stdout.fileno(), 4096)

    try:
        until(b"Watching for file changes.", 1)
        assert b"All checks passed!" in seen
        (tmp_path / "src/worker.py").write_text(WORKER, encoding="utf-8")  # the timeout goes
        until(b"Watching for file changes.", 2)
        assert b"1 file changed; checking again." in seen
        assert b"src/worker.py:14:12: ACT201" in seen
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_extend_starts_from_another_configuration(tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.actorlint]\nselect = ["ACT1", "ACT2"]\ncall-timeout = 9\n', encoding="utf-8")
    service = tmp_path / "service"
    write_tree(service, {"src/worker.py": WORKER}, pyproject=None)
    (service / "actorlint.toml").write_text('extend = "../pyproject.toml"\nselect = ["ACT201"]\n', encoding="utf-8")
    monkeypatch.chdir(service)
    shown = run("check", "--show-settings", "src").stdout
    assert 'select = ["ACT201"]' in shown and "call-timeout = 9.0" in shown  # its own key wins; the rest inherited
    assert f"# Project root: {service}" in shown
    found = run("check", "--output-format", "json", "--unsafe-fixes", "--diff", "src")
    assert "timeout=9.0" in found.stdout  # the inherited call-timeout writes the fix


def test_extend_in_a_circle_or_to_nothing_is_an_error(tmp_path: Path, run) -> None:
    (tmp_path / "a.toml").write_text('extend = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extend = "a.toml"\n', encoding="utf-8")
    (tmp_path / "src.py").write_text("x = 1\n", encoding="utf-8")
    circle = run("check", "--config", "a.toml", "src.py")
    assert circle.exit_code == 2 and "extend each other in a circle" in circle.stderr
    (tmp_path / "c.toml").write_text('extend = "missing.toml"\n', encoding="utf-8")
    missing = run("check", "--config", "c.toml", "src.py")
    assert missing.exit_code == 2 and "missing.toml is not a file" in missing.stderr


def test_concise_is_ruffs_name_for_the_text_format(tmp_path: Path, run) -> None:
    (tmp_path / "use.py").write_text(UNTIMED, encoding="utf-8")
    concise = run("check", "--no-cache", "--output-format", "concise", "use.py")
    text = run("check", "--no-cache", "--output-format", "text", "use.py")
    assert concise.exit_code == text.exit_code == 1
    assert concise.stdout == text.stdout and "use.py:11:12: ACT201" in concise.stdout


def test_fix_only_applies_fixes_and_reports_nothing_else(tmp_path: Path, run) -> None:
    (tmp_path / "worker.py").write_text(WORKER, encoding="utf-8")
    result = run("check", "--no-cache", "--fix-only", "--unsafe-fixes", "worker.py")
    # The ACT201 timeout and the ACT202 decorator are written; the ACT101 left is not reported.
    assert result.exit_code == 0 and result.stdout == "Fixed 2 errors.\n"
    fixed = (tmp_path / "worker.py").read_text(encoding="utf-8")
    assert 'ref.ask("x", timeout=5.0)' in fixed and "@time_limited(seconds=4.0)" in fixed
    again = run("check", "--no-cache", "--fix-only", "--output-format", "json", "worker.py")
    assert again.exit_code == 0 and json.loads(again.stdout) == []


def test_exit_non_zero_on_fix(tmp_path: Path, run) -> None:
    (tmp_path / "use.py").write_text(UNTIMED, encoding="utf-8")
    (tmp_path / "again.py").write_text(UNTIMED, encoding="utf-8")
    flagged = run("check", "--no-cache", "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "use.py")
    assert flagged.exit_code == 1 and "Fixed 1 error." in flagged.stdout  # nothing remains, but a file changed
    plain = run("check", "--no-cache", "--fix", "--unsafe-fixes", "again.py")
    assert plain.exit_code == 0
    nothing = run("check", "--no-cache", "--fix", "--exit-non-zero-on-fix", "use.py")
    assert nothing.exit_code == 0  # fixed already: no change this time


def test_silent_prints_nothing_but_keeps_the_exit_code(tmp_path: Path, run) -> None:
    (tmp_path / "use.py").write_text(UNTIMED, encoding="utf-8")
    result = run("check", "--no-cache", "-s", "use.py")
    assert result.exit_code == 1 and result.stdout == "" and result.stderr == ""
    json_silent = run("check", "--no-cache", "--silent", "--output-format", "json", "use.py")
    assert json_silent.exit_code == 1 and json_silent.stdout == ""


def test_json_lines_holds_the_json_formats_objects_one_per_line(tmp_path: Path, run) -> None:
    (tmp_path / "use.py").write_text(UNTIMED, encoding="utf-8")
    (tmp_path / "worker.py").write_text(WORKER, encoding="utf-8")
    lines = run("check", "--no-cache", "--output-format", "json-lines", ".").stdout.splitlines()
    as_json = json.loads(run("check", "--no-cache", "--output-format", "json", ".").stdout)
    assert len(lines) == len(as_json) == 4 and [json.loads(line) for line in lines] == as_json
    clean = run("check", "--no-cache", "--output-format", "json-lines", "--select", "ACT103", ".")
    assert clean.exit_code == 0 and clean.stdout == ""


def test_pylint_format_is_pylints_parseable_line(tmp_path: Path, run) -> None:
    (tmp_path / "use.py").write_text(UNTIMED, encoding="utf-8")
    result = run("check", "--no-cache", "--output-format", "pylint", "use.py")
    assert result.exit_code == 1
    assert result.stdout == "use.py:11: [ACT201] `ask` waits for actor `Echo` with no time limit\n"


def test_ignore_noqa_reports_what_comments_suppress(tmp_path: Path, run) -> None:
    (tmp_path / "use.py").write_text(UNTIMED.replace('ref.ask("x")', 'ref.ask("x")  # noqa: ACT201'), encoding="utf-8")
    assert run("check", "--no-cache", "use.py").exit_code == 0
    shown = run("check", "--no-cache", "--preview", "--ignore-noqa", "use.py")
    assert shown.exit_code == 1
    assert "use.py:11:12: ACT201" in shown.stdout and "ACT100" not in shown.stdout  # the comment is not "unused"
    cached = [run("check", "use.py").exit_code, run("check", "--ignore-noqa", "use.py").exit_code]
    assert cached == [0, 1]  # the cache keeps the two apart
