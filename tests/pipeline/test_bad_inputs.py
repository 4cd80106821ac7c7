"""Bad input is a diagnostic, never a crash (architecture.md; issue 6, "Unbreakable").

Every case puts one bad file next to GOOD, a Pykka actor whose handler sleeps, and checks
three things: the bad file gets one ACT000 whose message says what is wrong and whose
position says where; GOOD is still checked (its ACT101 is reported); and nothing is an
internal error. The command-line tests at the end check the exit code (1, as Ruff's, when
an ACT000 is reported) and the text format ``path:line:col: ACT000 message``.

Inputs that could crash the interpreter itself (LibCST's native parser overflows its stack
on deep nesting) run in a subprocess, so that a regression fails one test and names the
input instead of killing the whole test run.

Already covered elsewhere and not repeated here: a plain syntax error and an undecodable
file through the CLI (test_cli.py), a directory named ``x.py`` given explicitly and a
symlinked folder loop during discovery (test_discovery.py), BOM/CRLF/cookie round trips of
the fixer's reader (test_fixing.py).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, List, Union

import pytest
from click.testing import CliRunner

from actorlint import complexity
from actorlint.analyse import FileJob, analyse
from actorlint.cli import cli
from actorlint.config import Settings
from actorlint.diagnostics import Diagnostic
from actorlint.discovery import DiscoveryError, discover
from actorlint.engine import RunResult, check_files, fix_files, jobs_for_paths
from tests.cli_helpers import write_tree

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# ACT101 on line 8, column 9 (`time.sleep(2)`).
GOOD = """\
import time

import pykka


class Sleeper(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(2)
"""
GOOD_ACT101 = (8, 9)


def write(root: Path, files: Dict[str, Union[str, bytes]]) -> None:
    write_tree(root, files, pyproject=None)


def check_tree(root: Path, *, workers: int = 1, use_cache: bool = False,
               prefilter: bool = True) -> RunResult:
    settings = Settings(root=root, select=("ALL",))
    jobs = jobs_for_paths(discover([str(root)], settings), root)
    return check_files(jobs, settings, workers=workers, use_cache=use_cache, prefilter=prefilter)


def only_act000(result: RunResult, path: str) -> Diagnostic:
    found = [d for d in result.diagnostics if d.path == path]
    assert [d.code for d in found] == ["ACT000"], found
    assert found[0].severity.value == "error"
    return found[0]


def assert_good_checked(result: RunResult, path: str = "good.py") -> None:
    assert not result.internal_errors, result.internal_errors
    spans = [(d.span.line, d.span.column) for d in result.diagnostics
             if d.path == path and d.code == "ACT101"]
    assert spans == [GOOD_ACT101], result.diagnostics


# ---------------------------------------------------------------------------
# Encodings: undecodable bytes, coding cookies. Message and position of the ACT000.

DECODING_CASES = {
    # name: (bytes, words the message holds, (line, column))
    "invalid utf-8, no cookie": (
        b"x = 1\n\ny = 'caf\xff'\n", "Cannot decode file as utf-8: byte 0xff (invalid start byte)", (3, 9)),
    "invalid utf-8 on the first line, no cookie": (
        b"x = '\xff'\n", "Cannot decode file as utf-8: byte 0xff (invalid start byte)", (1, 6)),
    "unknown encoding in the cookie": (
        b"# -*- coding: nonsense -*-\nx = 1\n",
        "Cannot decode file: unknown encoding 'nonsense' in its coding cookie", (1, 1)),
    "unknown encoding in a cookie after a shebang": (
        b"#!/usr/bin/env python\n# coding: nonsense\nx = 1\n",
        "unknown encoding 'nonsense'", (2, 1)),
    "latin-1 bytes under a utf-8 cookie": (
        b"# -*- coding: utf-8 -*-\nname = 'caf\xe9'\n",
        "Cannot decode file as utf-8: byte 0xe9 (invalid continuation byte)", (2, 12)),
    "a byte-order mark with a latin-1 cookie": (
        b"\xef\xbb\xbf# coding: latin-1\nx = 1\n",
        "starts with a UTF-8 byte-order mark but its coding cookie says latin-1", (1, 1)),
    "invalid utf-8 after a byte-order mark": (
        b"\xef\xbb\xbfx = 1\ny = '\xff'\n", "Cannot decode file as utf-8: byte 0xff (invalid start byte)", (2, 6)),
    "a codec that is not a text encoding": (
        b"# coding: rot13\nx = 1\n", "Cannot decode file: 'rot13' is not a text encoding", (1, 1)),
    # Found by this file: codecs.lookup("undefined") succeeds, decoding raises a bare
    # UnicodeError, which used to escape as an internal error.
    "the 'undefined' codec": (
        b"# coding: undefined\nx = 1\n", "Cannot decode file: decoding with 'undefined' codec failed", (1, 1)),
    "UTF-16 without a cookie": (
        "x = 1\n".encode("utf-16"), "Cannot decode file as utf-8: byte 0xff (invalid start byte)", (1, 1)),
}


@pytest.mark.parametrize("name", sorted(DECODING_CASES))
def test_undecodable_file_is_act000_and_the_run_goes_on(tmp_path: Path, name: str) -> None:
    data, words, where = DECODING_CASES[name]
    write(tmp_path, {"bad.py": data, "good.py": GOOD})
    result = check_tree(tmp_path)
    diagnostic = only_act000(result, "bad.py")
    assert words in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == where
    assert_good_checked(result)


@pytest.mark.parametrize("prefilter", [True, False])
def test_bad_files_read_the_same_with_and_without_prefilter(tmp_path: Path, prefilter: bool) -> None:
    """The prefilter syntax-checks files that name no framework instead of parsing them:
    the ACT000 of each bad file must not depend on which path it took."""
    files = {f"bad{i}.py": data for i, (data, _, _) in enumerate(DECODING_CASES.values())}
    files.update({"nul.py": b"x = 1\n\0\n", "py2.py": b'print "x"\n', "good.py": GOOD})
    write(tmp_path, files)
    on = check_tree(tmp_path, prefilter=True)
    off = check_tree(tmp_path, prefilter=False)
    assert on.diagnostics == off.diagnostics
    assert len([d for d in on.diagnostics if d.code == "ACT000"]) == len(files) - 1
    assert_good_checked(on if prefilter else off)


# ---------------------------------------------------------------------------
# Files that are fine: BOM, CRLF, empty, only a BOM, only comments.


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf", "cr"])
def test_bom_and_line_endings_are_fine_and_positions_are_right(tmp_path: Path, variant: str) -> None:
    text = GOOD
    if "crlf" in variant:
        text = text.replace("\n", "\r\n")
    if variant == "cr":
        text = text.replace("\n", "\r")
    data = text.encode("utf-8")
    if "bom" in variant:
        data = b"\xef\xbb\xbf" + data
    write(tmp_path, {"good.py": data})
    result = check_tree(tmp_path)
    assert not [d for d in result.diagnostics if d.code == "ACT000"]
    assert_good_checked(result)


@pytest.mark.parametrize("data", [
    b"", b"\xef\xbb\xbf", b"# only a comment", b"# one\n# two\n", b"\n\n\n", b"\xef\xbb\xbf# c\r\n",
    b"#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n# caf\xe9\n",
], ids=["empty", "only-bom", "comment-no-newline", "comments", "blank-lines", "bom-comment-crlf",
        "latin-1-comments"])
def test_files_with_no_code_are_checked_and_clean(tmp_path: Path, data: bytes) -> None:
    write(tmp_path, {"nothing.py": data, "good.py": GOOD})
    result = check_tree(tmp_path)
    assert [d for d in result.diagnostics if d.path == "nothing.py"] == []
    assert result.files_checked == 2
    assert_good_checked(result)


# ---------------------------------------------------------------------------
# Parse errors of the file itself: NUL bytes, Python 2, tabs, syntax no parser knows.

SYNTAX_CASES = {
    "a NUL byte": (b"x = 1\ny = 2\0\n", "Cannot parse file: it contains a NUL byte", (2, 6)),
    "a NUL byte in a comment": (b"# \0\n", "it contains a NUL byte", (1, 3)),
    "Python 2 print": (b'import os\nprint "x"\n',
                       "SyntaxError: Missing parentheses in call to 'print'", (2, 1)),
    "Python 2 octal": (b"x = 0777\n", "SyntaxError: leading zeros in decimal integer literals", (1, 5)),
    "Python 2 backticks": (b"x = `1`\n", "SyntaxError: invalid syntax", (1, 5)),
    "mixed tabs and spaces": (b"if x:\n\tif y:\n        pass\n",
                              "SyntaxError: inconsistent use of tabs and spaces in indentation", (3, 1)),
    "syntax no Python has": (b"x = 1 ?? 2\n", "SyntaxError: invalid syntax", (1, 7)),
    "unterminated triple-quoted string": (b'x = 1\ny = """abc\n', "SyntaxError: unterminated triple-quoted", (2, 5)),
    "backslash at the end of the file": (b"x = 1\\", "SyntaxError", (1, 7)),
}


@pytest.mark.parametrize("name", sorted(SYNTAX_CASES))
def test_unparsable_file_is_act000_with_what_and_where(tmp_path: Path, name: str) -> None:
    data, words, where = SYNTAX_CASES[name]
    write(tmp_path, {"bad.py": data, "good.py": GOOD})
    result = check_tree(tmp_path)
    diagnostic = only_act000(result, "bad.py")
    assert words in diagnostic.message
    assert (diagnostic.span.line, diagnostic.span.column) == where
    assert_good_checked(result)


NEWER_SYNTAX = {
    "PEP 695 type alias and generics (3.12)": """\
        type Payload = dict[str, int]

        def first[T](items: list[T]) -> T:
            return items[0]

        class Box[T]:
            pass
        """,
    "PEP 701 nested f-string quotes (3.12)": """\
        names = ["a"]
        greeting = f"{", ".join(f"<{n}>" for n in names)}"
        """,
    "PEP 758 except without parentheses (3.14)": """\
        try:
            pass
        except ValueError, TypeError:
            pass
        """,
}


@pytest.mark.parametrize("name", sorted(NEWER_SYNTAX))
def test_code_for_newer_python_lints_when_libcst_parses_it(tmp_path: Path, name: str) -> None:
    """LibCST may know syntax the running interpreter does not: then the file is linted
    like any other (its actor is found); when it does not, the file is an ACT000 and the
    run goes on. Which one depends on the LibCST version, so the test asks it."""
    import libcst

    source = textwrap.dedent(NEWER_SYNTAX[name]) + "\n\n" + GOOD
    try:
        libcst.parse_module(source)
        parses = True
    except libcst.ParserSyntaxError:
        parses = False
    write(tmp_path, {"new.py": source, "good.py": GOOD})
    result = check_tree(tmp_path)
    assert not result.internal_errors
    codes = [d.code for d in result.diagnostics if d.path == "new.py"]
    if parses:
        assert "ACT000" not in codes
        assert "ACT101" in codes  # parsed and analysed, not just accepted
    else:
        assert codes == ["ACT000"]
    assert_good_checked(result)


# ---------------------------------------------------------------------------
# Size: a 10 MB file.


def _ten_megabytes_of_text_then(tail: str) -> str:
    blob = ("y" * 79 + "\n") * (10_000_000 // 80)
    return 'BLOB = """\n' + blob + '"""\n' + tail


def test_ten_megabyte_file_completes_with_positions_right(tmp_path: Path) -> None:
    """A 10 MB file (mostly one string, which keeps the parse quick for CI) is read,
    parsed and analysed; its actor, 125,000 lines down, is reported at the right line.
    A 10 MB file of real code is the slow variant below. No time is asserted."""
    source = _ten_megabytes_of_text_then(GOOD)
    assert len(source) >= 10_000_000
    offset = source.count("\n", 0, source.index("import time"))
    write(tmp_path, {"big.py": source, "good.py": GOOD})
    result = check_tree(tmp_path)
    assert_good_checked(result)
    spans = [(d.span.line, d.span.column) for d in result.diagnostics
             if d.path == "big.py" and d.code == "ACT101"]
    assert spans == [(GOOD_ACT101[0] + offset, GOOD_ACT101[1])]


@pytest.mark.slow
def test_ten_megabytes_of_code_complete(tmp_path: Path) -> None:
    """10 MB of functions with an actor at the end: parsed and analysed in full (minutes
    with LibCST; see the report in issue 6). Only completion is asserted."""
    body = "".join(f"def f{i}(a, b):\n    return a + b * {i}\n\n\n" for i in range(10_000_000 // 40))
    write(tmp_path, {"big.py": body + GOOD, "good.py": GOOD})
    result = check_tree(tmp_path)
    assert_good_checked(result)
    assert [d.code for d in result.diagnostics if d.path == "big.py" and d.code == "ACT101"] == ["ACT101"]


# ---------------------------------------------------------------------------
# Deep nesting. LibCST's native parser kills the interpreter with a stack overflow on
# these, so they are analysed in a subprocess: a crash fails the test and names the input.

DEEP = {
    # name: source (each CPython refuses or LibCST would choke on)
    "parens-5000": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "lists-5000": "x = " + "[" * 5000 + "1" + "]" * 5000 + "\n",
    "unclosed-parens-5000": "x = " + "(" * 5000 + "\n",
    "sum-100k-terms": "x = " + "+".join(["a"] * 100_000) + "\n",
    "sum-20k-lines": "x = (a\n" + "    + a\n" * 20_000 + ")\n",
    "sum-20k-backslash-lines": "x = a \\\n" + "    + a \\\n" * 20_000 + "    + a\n",
    "and-20k-terms": "x = " + " and ".join(["a"] * 20_000) + "\n",
    "calls-20k": "x = f" + "()" * 20_000 + "\n",
    "attributes-20k": "x = a" + ".b" * 20_000 + "\n",
    "not-20k": "x = " + "not " * 20_000 + "a\n",
    "minus-20k": "x = " + "-" * 20_000 + "a\n",
    "hidden-by-a-string": 's = "' + ")" * 5000 + '"\nx = ' + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "indentation-150": "".join(" " * i + "if x:\n" for i in range(150)) + " " * 150 + "pass\n",
    "elif-5000": "if a:\n    pass\n" + "elif a:\n    pass\n" * 5000,
}
# Deep and broken past the deep part (a file cut short): CPython's syntax error is reported,
# LibCST would crash on the way to it. Found by this file.
DEEP_AND_BROKEN = {
    "sum-100k-terms-then-a-dangling-plus": "x = " + "+".join(["a"] * 100_000) + " +\n",
    "calls-20k-then-unclosed": "x = f" + "()" * 20_000 + "(\n",
    "and-20k-terms-then-a-dangling-and": "x = " + " and ".join(["a"] * 20_000) + " and\n",
}

_DEEP_SCRIPT = r"""
import json, sys
from pathlib import Path
from actorlint.analyse import FileJob, analyse
from actorlint.config import Settings
from actorlint.engine import check_files, fix_files, jobs_for_paths

root = Path(sys.argv[1])
for path in sorted(root.glob("deep-*.py")):
    print("START", path.name, flush=True)
    facts = analyse(FileJob(str(path), path.name, path.stem, False))
    errors = [(e.code, e.message, e.span.line, e.span.column) for e in facts.errors]
    print("RESULT", json.dumps([path.name, errors]), flush=True)
print("START whole run", flush=True)
settings = Settings(root=root, select=("ALL",))
jobs = jobs_for_paths(sorted(root.glob("*.py")), root)
result = check_files(jobs, settings, workers=2)
fixed = fix_files(jobs, settings, unsafe=True)
print("RUN", json.dumps({
    "diagnostics": [(d.path, d.code, d.span.line, d.span.column) for d in result.diagnostics],
    "internal": result.internal_errors + fixed.remaining.internal_errors,
    "fixed": [c.job.display_path for c in fixed.changes],
    "refused": fixed.refused,
}), flush=True)
"""

# The fixer's way in: a file with an unsafe fix (ACT201: `ask` without a timeout).
FIXABLE = """\
import pykka


class Echo(pykka.ThreadingActor):
    def on_receive(self, message):
        return message


def use():
    return Echo.start().ask("x")
"""


def _python(args: List[str], cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PROJECT_ROOT)] + [p for p in [env.get("PYTHONPATH")] if p])
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_deep_nesting_is_act000_never_a_crash_for_linter_and_fixer(tmp_path: Path) -> None:
    for name, source in {**DEEP, **DEEP_AND_BROKEN}.items():
        # `import pykka` makes the prefilter pick every file: LibCST is the one at risk.
        write(tmp_path, {f"deep-{name}.py": "import pykka\n" + source})
    write(tmp_path, {"good.py": GOOD, "fixable.py": FIXABLE})
    proc = _python(["-c", _DEEP_SCRIPT, str(tmp_path)], cwd=tmp_path)
    started = [line.split(" ", 1)[1] for line in proc.stdout.splitlines() if line.startswith("START")]
    assert proc.returncode == 0, (
        f"exit {proc.returncode} while analysing {started[-1] if started else '?'}\n{proc.stderr[-3000:]}")
    results = dict(json.loads(line[len("RESULT "):]) for line in proc.stdout.splitlines()
                   if line.startswith("RESULT"))
    assert sorted(results) == sorted(f"deep-{name}.py" for name in {**DEEP, **DEEP_AND_BROKEN})
    for name, errors in results.items():
        assert len(errors) == 1 and errors[0][0] == "ACT000", (name, errors)
        code, message, line, column = errors[0]
        broken = name[len("deep-"):-len(".py")] in DEEP_AND_BROKEN
        assert message.startswith("SyntaxError: ") if broken else "nested too deeply" in message, (name, message)
        assert line >= 2 and column >= 1, (name, line, column)  # not "somewhere in the file"
    assert results["deep-parens-5000.py"][0][1:] == [
        "Cannot parse file: it is nested too deeply (too many nested parentheses)", 2, 205]
    assert results["deep-indentation-150.py"][0][1] == (
        "Cannot parse file: it is nested too deeply (too many levels of indentation)")
    assert results["deep-hidden-by-a-string.py"][0][2] == 3

    run = json.loads(next(line for line in proc.stdout.splitlines() if line.startswith("RUN"))[4:])
    assert run["internal"] == []
    act000 = sorted(path for path, code, _, _ in run["diagnostics"] if code == "ACT000")
    assert act000 == sorted(f"deep-{name}.py" for name in {**DEEP, **DEEP_AND_BROKEN})
    assert ["good.py", "ACT101", *GOOD_ACT101] in run["diagnostics"]
    assert run["fixed"] == ["fixable.py", "good.py"] and run["refused"] == []


def test_deep_nesting_through_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, {
        "deep.py": "import pykka\n" + DEEP["parens-5000"],
        "chain.py": DEEP["sum-100k-terms"],
        "good.py": GOOD, "fixable.py": FIXABLE,
    })
    proc = _python(["-m", "actorlint", "check", "--no-cache", "--fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert "deep.py:2:205: ACT000 Cannot parse file: it is nested too deeply (too many nested parentheses)" in lines
    assert "chain.py:1:1: ACT000 Cannot parse file: it is nested too deeply" in lines
    assert any(line.startswith("good.py:") and ": ACT101 " in line for line in lines)
    assert "Traceback" not in proc.stderr
    assert "timeout=" in (tmp_path / "fixable.py").read_text()


_ANNOTATION_SCRIPT = r"""
import sys
from actorlint.analyse import FileJob, analyse
facts = analyse(FileJob(sys.argv[1], "annotated.py", "annotated", False))
print([e.message for e in facts.errors])
"""


@pytest.mark.parametrize("inner", ["(" * 5000 + "int" + ")" * 5000, "[" * 5000 + "int" + "]" * 5000],
                         ids=["parens-5000", "brackets-5000"])
def test_deep_string_annotation_never_crashes(tmp_path: Path, inner: str) -> None:
    source = GOOD + f'\n\ndef use(proxy: "{inner}"):\n    return proxy.ask(1)\n'
    compile(source, "annotated.py", "exec")  # valid Python: the nesting is in a string
    write(tmp_path, {"annotated.py": source})
    proc = _python(["-c", _ANNOTATION_SCRIPT, str(tmp_path / "annotated.py")], cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert proc.stdout.strip() == "[]"


def _must_not_parse() -> None:
    raise AssertionError("the scan should have cleared this file without a parse")


def test_legal_but_large_constructs_are_not_mistaken_for_deep_nesting(tmp_path: Path) -> None:
    """The nesting guard must not reject real code: long data tables, long docstrings
    and f-strings, moderately deep brackets and chains are analysed as usual."""
    table = "TABLE = [\n" + "".join(f"    ({i}, 'x{i}', {{'k': [{i}, {i + 1}]}}),\n" for i in range(2_000)) + "]\n"
    doc = '"""' + "A long docstring (with brackets [{ and commas. " * 300 + '"""\n'
    fstring = "MESSAGE = f'" + "{TABLE[0]!r} " * 90 + "'\n"
    brackets = "NESTED = " + "(" * 150 + "[" * 40 + "1" + "]" * 40 + ")" * 150 + "\n"  # 190 deep
    chain = "TOTAL = " + " + ".join(["1"] * 200) + "\n"
    words = "READY = " + " and ".join(["True"] * 100) + "\n"
    source = doc + table + fstring + brackets + chain + words + GOOD
    write(tmp_path, {"large.py": source, "good.py": GOOD})
    # The scan alone clears them: CPython is not asked to parse the file for a closer look.
    assert complexity.pre_parse_problem(doc + table + fstring, complexity.DEFAULT_MAX_FILE_TOKENS,
                                        _must_not_parse) is None
    result = check_tree(tmp_path)
    codes = [d.code for d in result.diagnostics if d.path == "large.py"]
    assert "ACT000" not in codes and "ACT101" in codes, result.diagnostics
    assert_good_checked(result)


COLLECTOR_LIMITS = {
    # Accepted by CPython (brackets nest up to 200 deep, chains a few thousand long) and
    # parsed by LibCST: the collector must analyse them, not give up at Python's
    # recursion limit ("Cannot analyse file: it is nested too deeply").
    "lists-180": "x = " + "[" * 180 + "1" + "]" * 180 + "\n",
    "and-300": "x = " + " and ".join(["a"] * 300) + "\n",
    "elif-300": "if a:\n    pass\n" + "elif a:\n    pass\n" * 300,
    "calls-300": "x = f" + "()" * 300 + "\n",
    "sum-500": "x = " + " + ".join(["1"] * 500) + "\n",
}


@pytest.mark.parametrize("name", sorted(COLLECTOR_LIMITS))
def test_valid_nesting_cpython_accepts_is_analysed(tmp_path: Path, name: str) -> None:
    source = "import pykka\n" + COLLECTOR_LIMITS[name]
    compile(source, name, "exec")  # valid Python
    facts = analyse(FileJob("x.py", "x.py", "x", False, source=source.encode()))
    assert facts.errors == ()


# ---------------------------------------------------------------------------
# The file system: symlink loops, unreadable files, folders named x.py, deletions.


def test_symlinked_folder_loop_inside_the_tree_ends(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/good.py": GOOD})
    (tmp_path / "pkg" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "pkg" / "self").symlink_to(tmp_path / "pkg", target_is_directory=True)
    result = check_tree(tmp_path)
    assert result.files_checked == 1
    assert_good_checked(result, "pkg/good.py")


def test_file_symlink_loop_in_a_folder_is_skipped(tmp_path: Path) -> None:
    """Like a dangling symlink, a loop names no file: the walk leaves it out."""
    write(tmp_path, {"good.py": GOOD})
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    result = check_tree(tmp_path)
    assert result.files_checked == 1
    assert {d.path for d in result.diagnostics} == {"good.py"}
    assert_good_checked(result)


def test_file_symlink_loop_given_explicitly_is_a_clear_error(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone.py")
    write(tmp_path, {"good.py": GOOD})
    with pytest.raises(DiscoveryError, match=r"^path does not exist: .*a\.py \(a symbolic link loop\)$"):
        discover([str(tmp_path / "a.py")], Settings(root=tmp_path))
    with pytest.raises(DiscoveryError, match=r"dangling\.py \(a broken symbolic link\)$"):
        discover([str(tmp_path / "dangling.py")], Settings(root=tmp_path))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "good.py", "a.py"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "error: path does not exist: a.py (a symbolic link loop)" in result.output


def _unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make ``path`` unreadable: chmod 000, or, as root (who reads anything), a
    PermissionError from os.open for that path (every file is read through
    actorlint.safe_read, which opens with it)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        real = os.open

        def guarded_open(name, *args, **kwargs):  # type: ignore[no-untyped-def]
            if os.path.abspath(os.fspath(name)) == str(path):
                raise PermissionError(13, "Permission denied", os.fspath(name))
            return real(name, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded_open)
    else:
        path.chmod(0)


@pytest.mark.parametrize("use_cache", [False, True])
def test_unreadable_file_is_act000(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool) -> None:
    write(tmp_path, {"locked.py": GOOD, "good.py": GOOD})
    _unreadable(tmp_path, monkeypatch, tmp_path / "locked.py")
    try:
        result = check_tree(tmp_path, use_cache=use_cache)
    finally:
        (tmp_path / "locked.py").chmod(0o644)
    diagnostic = only_act000(result, "locked.py")
    assert diagnostic.message == "Cannot read file: Permission denied"
    assert_good_checked(result)


def test_folder_named_like_a_python_file_is_walked_not_read(tmp_path: Path) -> None:
    write(tmp_path, {"odd.py/inner.py": GOOD, "good.py": GOOD})
    result = check_tree(tmp_path)
    assert result.files_checked == 2
    assert_good_checked(result, "odd.py/inner.py")
    assert_good_checked(result)


def test_folder_given_as_a_file_job_is_act000(tmp_path: Path) -> None:
    """A file job for a path that is (by now) a folder: ACT000 that says so, not a crash."""
    (tmp_path / "odd.py").mkdir()
    write(tmp_path, {"good.py": GOOD})
    jobs = jobs_for_paths([tmp_path / "odd.py", tmp_path / "good.py"], tmp_path)
    result = check_files(jobs, Settings(root=tmp_path, select=("ALL",)))
    assert only_act000(result, "odd.py").message == "Cannot read file: Not a regular file (a directory)"
    assert_good_checked(result)


@pytest.mark.parametrize("use_cache, workers", [(False, 1), (True, 1), (False, 2)])
def test_file_deleted_between_discovery_and_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    use_cache: bool, workers: int) -> None:
    from actorlint import workers as worker_pool

    monkeypatch.setattr(worker_pool, "MIN_FILES_FOR_POOL", 2)
    write(tmp_path, {"gone.py": GOOD, "good.py": GOOD, "other.py": "x = 1\n"})
    settings = Settings(root=tmp_path, select=("ALL",))
    jobs = jobs_for_paths(discover([str(tmp_path)], settings), tmp_path)
    (tmp_path / "gone.py").unlink()
    result = check_files(jobs, settings, workers=workers, use_cache=use_cache)
    assert only_act000(result, "gone.py").message == "Cannot read file: No such file or directory"
    assert_good_checked(result)


def test_file_deleted_between_analysis_and_fixing(tmp_path: Path) -> None:
    """The fixer works on the bytes it analysed, never on a second read: a file deleted
    after analysis still gets its fixes computed, but writing them is refused (the file
    is never re-created; see tests/fix/test_fix_safety.py for the command line)."""
    from actorlint.fixing import FileChanged, encode_source, write_if_unchanged

    write(tmp_path, {"gone.py": FIXABLE, "fixable.py": FIXABLE})
    settings = Settings(root=tmp_path, select=("ALL",))
    jobs = jobs_for_paths(sorted(tmp_path.glob("*.py")), tmp_path)
    outcome = fix_files(jobs, settings, unsafe=True)
    (tmp_path / "gone.py").unlink()
    assert [c.job.display_path for c in outcome.changes] == ["fixable.py", "gone.py"]
    gone = outcome.changes[1]
    assert gone.original == FIXABLE.encode()
    with pytest.raises(FileChanged):
        write_if_unchanged(tmp_path / "gone.py", gone.original, encode_source(gone.source, gone.text))
    assert not (tmp_path / "gone.py").exists()
    assert not outcome.refused and not outcome.remaining.internal_errors


def test_stdin_with_bad_bytes_is_act000(tmp_path: Path) -> None:
    facts = analyse(FileJob("-", "-", "stdin", False, source=b"x = '\xff'\n", is_stdin=True))
    assert [(e.code, e.message, e.span.line, e.span.column) for e in facts.errors] == [
        ("ACT000", "Cannot decode file as utf-8: byte 0xff (invalid start byte)", 1, 6)]


# ---------------------------------------------------------------------------
# The command line: exit code and the text format of ACT000.

TEXT_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<code>ACT\d{3}) (?P<message>\S.*)$")


def test_command_line_reports_every_bad_file_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files: Dict[str, Union[str, bytes]] = {
        "src/cookie.py": DECODING_CASES["unknown encoding in the cookie"][0],
        "src/latin.py": DECODING_CASES["latin-1 bytes under a utf-8 cookie"][0],
        "src/nul.py": SYNTAX_CASES["a NUL byte"][0],
        "src/py2.py": SYNTAX_CASES["Python 2 print"][0],
        "src/tabs.py": SYNTAX_CASES["mixed tabs and spaces"][0],
        "src/empty.py": b"",
        "src/good.py": GOOD,
    }
    write(tmp_path, files)
    (tmp_path / "pyproject.toml").write_text('[tool.actorlint]\nselect = ["ACT1"]\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "src"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    parsed = [TEXT_LINE.match(line) for line in result.stdout.splitlines()]
    found = [(m["path"], int(m["line"]), int(m["column"]), m["code"], m["message"]) for m in parsed if m]
    assert found == [
        ("src/cookie.py", 1, 1, "ACT000", "Cannot decode file: unknown encoding 'nonsense' in its coding cookie"),
        ("src/good.py", 8, 9, "ACT101", found[1][4]),
        ("src/latin.py", 2, 12, "ACT000", "Cannot decode file as utf-8: byte 0xe9 (invalid continuation byte)"),
        ("src/nul.py", 2, 6, "ACT000", "Cannot parse file: it contains a NUL byte"),
        ("src/py2.py", 2, 1, "ACT000",
         "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?"),
        ("src/tabs.py", 3, 1, "ACT000", "SyntaxError: inconsistent use of tabs and spaces in indentation"),
    ]
    assert "Traceback" not in result.output


def test_command_line_exits_1_when_only_act000_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"bad.py": b"\0", "clean.py": "x = 1\n"})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", "--output-format", "json", "."],
                                catch_exceptions=False)
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert [(d["path"], d["code"], d["severity"], d["line"], d["column"]) for d in data] == [
        ("bad.py", "ACT000", "error", 1, 1)]


def test_warnings_about_checked_code_are_not_printed(tmp_path: Path) -> None:
    """CPython's parser warns about the code it reads (an invalid escape sequence is a
    DeprecationWarning under 3.11 and a SyntaxWarning, shown by default, from 3.12): the
    syntax checks must keep those to themselves, or every run prints them for the user's
    files. Found by this file: the prefilter's syntax check printed them."""
    import warnings

    write(tmp_path, {
        "escapes.py": 'import re\nPATTERN = re.compile("\\d+")\n',        # syntax-checked only
        "actor_escapes.py": GOOD + 'PATTERN = "\\d+"\n',                  # parsed in full
        "broken_escapes.py": 'x = "\\d"\ny = (\n',                        # fails: described
        "deep_escapes.py": 'x = "\\d"\ny = ' + "-" * 6000 + "1\n",      # the nesting guard
    })
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = check_tree(tmp_path)
    assert [str(w.message) for w in caught] == []
    assert {d.path for d in result.diagnostics if d.code == "ACT000"} == {"broken_escapes.py", "deep_escapes.py"}
