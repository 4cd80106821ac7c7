"""Tests for the output formats in ``actorlint.report``."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any, Dict, List, Sequence

import pytest

from actorlint import __version__
from actorlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Location, Severity, Span
from actorlint.report import FORMATS, ReportContext, RuleInfo, gitlab, render, sarif

# Vendored copy of the official OASIS SARIF 2.1.0 schema (errata01, "sarif-schema-2.1.0.json"
# from https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/), taken from
# /work/shared/data so that validation never needs the network.
SARIF_SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"

RULES = {
    "ACT000": RuleInfo("ACT000", "syntax-error", "The file could not be parsed.", False),
    "ACT101": RuleInfo(
        "ACT101",
        "blocking-call-in-handler",
        "A message handler makes a blocking call.",
        False,
        "## What it does\nChecks for blocking calls\ninside actor message handlers.\n\n"
        "## Why is this bad?\nThe actor cannot process other messages.",
    ),
    "ACT201": RuleInfo("ACT201", "untimed-ask", "An ask without a timeout.", True),
}

SAFE = Fix("Add `timeout=`", Applicability.SAFE, (Edit(10, 10, ", timeout=5"),))
UNSAFE = Fix("Use `tell`", Applicability.UNSAFE, (Edit(3, 6, "tell"),))


def diag(
    code: str,
    path: str,
    line: int,
    column: int,
    end_line: int = 0,
    end_column: int = 0,
    message: str = "",
    **kwargs: Any,
) -> Diagnostic:
    """A diagnostic of a rule in RULES; the span defaults to three columns on one line."""
    severity = Severity.ERROR if code == "ACT000" else Severity.WARNING
    span = Span(line, column, end_line or line, end_column or column + 3)
    return Diagnostic(
        code=code,
        name=RULES[code].name,
        message=message or f"{code} message",
        path=path,
        span=span,
        severity=severity,
        **kwargs,
    )


def ctx(**kwargs: Any) -> ReportContext:
    """A report context over RULES."""
    return ReportContext(rules=RULES, files_checked=3, **kwargs)


def run(fmt: str, diagnostics: Sequence[Diagnostic], context: ReportContext = None) -> str:
    """The output of ``fmt`` as a string."""
    out = io.StringIO()
    render(fmt, diagnostics, context or ctx(), out)
    return out.getvalue()


SAMPLE = [
    diag("ACT000", "pkg/broken.py", 2, 1, message="invalid syntax"),
    diag("ACT101", "pkg/mod.py", 4, 9, message="`time.sleep` blocks the actor"),
    diag("ACT201", "pkg/mod.py", 7, 5, 7, 20, "`ask` without a timeout", fix=SAFE),
    diag("ACT201", "pkg/mod.py", 9, 5, message="`ask` without a timeout", fix=UNSAFE),
    diag("ACT101", "pkg/other.py", 1, 1, message="`requests.get` blocks the actor"),
]


# -- registry -----------------------------------------------------------------------------


def test_formats_registry() -> None:
    assert set(FORMATS) == {"text", "concise", "full", "json", "json-lines", "github", "sarif", "gitlab", "pylint"}
    assert FORMATS["concise"] is FORMATS["text"]


def test_cli_offers_every_format() -> None:
    from actorlint.cli import OUTPUT_FORMATS

    assert sorted(OUTPUT_FORMATS) == sorted(FORMATS)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format 'xml'"):
        render("xml", [], ctx(), io.StringIO())


def test_context_defaults() -> None:
    context = ReportContext(rules={}, files_checked=0)
    assert context.tool_version == __version__
    assert context.docs_base_url == "https://github.com/actorlint/actorlint/blob/main/docs/rules/"
    assert not (context.show_fixes or context.statistics or context.quiet)


def test_rule_info_from_rule() -> None:
    from actorlint.rules.base import FileRule

    class Example(FileRule):
        """## What it does
        Something.
        """

        code = "ACT999"
        name = "example"
        summary = "An example."
        fix_applicability = Applicability.UNSAFE

    info = RuleInfo.from_rule(Example)
    assert info == RuleInfo("ACT999", "example", "An example.", True, "## What it does\nSomething.")


# -- text ---------------------------------------------------------------------------------


def test_text_lines_and_summary() -> None:
    assert run("text", SAMPLE).splitlines() == [
        "pkg/broken.py:2:1: ACT000 invalid syntax",
        "pkg/mod.py:4:9: ACT101 `time.sleep` blocks the actor",
        "pkg/mod.py:7:5: ACT201 [*] `ask` without a timeout",
        "pkg/mod.py:9:5: ACT201 `ask` without a timeout",
        "pkg/other.py:1:1: ACT101 `requests.get` blocks the actor",
        "Found 5 errors.",
        "[*] 1 fixable with the --fix option "
        "(1 hidden fix can be enabled with the --unsafe-fixes option).",
    ]


def test_text_summary_variants() -> None:
    safe_only = [SAMPLE[2]]
    assert run("text", safe_only).splitlines()[1:] == [
        "Found 1 error.",
        "[*] 1 fixable with the --fix option.",
    ]
    unsafe_only = [SAMPLE[3], SAMPLE[3]]
    assert run("text", unsafe_only).splitlines()[2:] == [
        "Found 2 errors.",
        "No fixes available (2 hidden fixes can be enabled with the --unsafe-fixes option).",
    ]
    assert run("text", SAMPLE[:2]).splitlines()[2:] == ["Found 2 errors."]


def test_text_no_diagnostics() -> None:
    assert run("text", []) == "All checks passed!\n"
    assert run("text", [], ctx(quiet=True)) == ""


def test_text_quiet() -> None:
    assert run("text", SAMPLE, ctx(quiet=True)).splitlines() == run("text", SAMPLE).splitlines()[:5]


def test_text_show_fixes() -> None:
    assert run("text", SAMPLE[1:4], ctx(show_fixes=True, quiet=True)).splitlines() == [
        "pkg/mod.py:4:9: ACT101 `time.sleep` blocks the actor",
        "pkg/mod.py:7:5: ACT201 [*] `ask` without a timeout",
        "  help: Add `timeout=` (safe fix)",
        "pkg/mod.py:9:5: ACT201 `ask` without a timeout",
        "  help: Use `tell` (unsafe fix)",
    ]


def test_text_statistics() -> None:
    diagnostics = SAMPLE + [diag("ACT101", "pkg/z.py", 3, 1)]
    assert run("text", diagnostics, ctx(statistics=True)).splitlines() == [
        "    3\tACT101\tblocking-call-in-handler",
        "    2\tACT201\tuntimed-ask",
        "    1\tACT000\tsyntax-error",
        "Found 6 errors.",
        "[*] 1 fixable with the --fix option "
        "(1 hidden fix can be enabled with the --unsafe-fixes option).",
    ]
    assert run("text", diagnostics, ctx(statistics=True, quiet=True)).splitlines() == [
        "    3\tACT101\tblocking-call-in-handler",
        "    2\tACT201\tuntimed-ask",
        "    1\tACT000\tsyntax-error",
    ]


def test_text_has_no_ansi() -> None:
    assert "\x1b" not in run("text", SAMPLE) + run("text", SAMPLE, ctx(statistics=True))


# -- json ---------------------------------------------------------------------------------

JSON_KEYS = [
    "code",
    "name",
    "message",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "severity",
    "fix",
    "url",
]
URL = "https://github.com/actorlint/actorlint/blob/main/docs/rules/"


def test_json_objects() -> None:
    output = run("json", SAMPLE[:3])
    assert output.endswith("]\n")
    data = json.loads(output)
    assert [list(item) for item in data] == [JSON_KEYS] * 2 + [JSON_KEYS + ["fix_title", "edits"]]
    assert data[0] == {
        "code": "ACT000",
        "name": "syntax-error",
        "message": "invalid syntax",
        "path": "pkg/broken.py",
        "line": 2,
        "column": 1,
        "end_line": 2,
        "end_column": 4,
        "severity": "error",
        "fix": None,
        "url": URL + "ACT000.md",
    }
    assert data[2] == {
        "code": "ACT201",
        "name": "untimed-ask",
        "message": "`ask` without a timeout",
        "path": "pkg/mod.py",
        "line": 7,
        "column": 5,
        "end_line": 7,
        "end_column": 20,
        "severity": "warning",
        "fix": "safe",
        "url": URL + "ACT201.md",
        "fix_title": "Add `timeout=`",
        "edits": [{"start": 10, "end": 10, "content": ", timeout=5"}],
    }
    assert json.loads(run("json", [SAMPLE[3]]))[0]["fix"] == "unsafe"
    assert ctx().rule_url("ACM101") is None  # a plugin's rule: no page of ours


def test_json_indent_and_empty() -> None:
    assert run("json", []) == "[]\n"
    assert run("json", SAMPLE[:1]).startswith('[\n  {\n    "code": "ACT000",\n')


def test_json_related() -> None:
    related = (Location("pkg/state.py", Span(3, 5, 3, 10), "the shared state"),)
    item = json.loads(run("json", [diag("ACT101", "pkg/mod.py", 4, 9, related=related)]))[0]
    assert list(item) == JSON_KEYS + ["related"]
    assert item["related"] == [
        {
            "path": "pkg/state.py",
            "line": 3,
            "column": 5,
            "end_line": 3,
            "end_column": 10,
            "message": "the shared state",
        }
    ]


# -- github -------------------------------------------------------------------------------


def test_github_lines() -> None:
    assert run("github", SAMPLE[:3]).splitlines() == [
        "::error file=pkg/broken.py,line=2,endLine=2,col=1,endColumn=4,"
        "title=ACT000 (syntax-error)::invalid syntax",
        "::warning file=pkg/mod.py,line=4,endLine=4,col=9,endColumn=12,"
        "title=ACT101 (blocking-call-in-handler)::`time.sleep` blocks the actor",
        "::warning file=pkg/mod.py,line=7,endLine=7,col=5,endColumn=20,"
        "title=ACT201 (untimed-ask)::`ask` without a timeout",
    ]


def test_github_escaping_and_multiline_span() -> None:
    weird = diag(
        "ACT101", "dir,with:odd%/a.py", 3, 5, 6, 2, message="100% blocking\r\nsee: docs, here"
    )
    assert run("github", [weird]) == (
        "::warning file=dir%2Cwith%3Aodd%25/a.py,line=3,endLine=6,"
        "title=ACT101 (blocking-call-in-handler)::100%25 blocking%0D%0Asee: docs, here\n"
    )


def test_github_no_summary() -> None:
    assert run("github", []) == ""


# -- sarif --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validators() -> List[Any]:
    schema = json.loads(SARIF_SCHEMA_PATH.read_text(encoding="utf-8"))
    # The official schema declares draft-04; validate with that and with Draft-07 too.
    jsonschema = pytest.importorskip("jsonschema")  # an optional test dependency
    declared = jsonschema.validators.validator_for(schema)
    assert declared is jsonschema.Draft4Validator
    validators = []
    for cls in (declared, jsonschema.Draft7Validator):
        cls.check_schema(schema)
        validators.append(cls(schema))
    return validators


def sarif_log(diagnostics: Sequence[Diagnostic], context: ReportContext = None) -> Dict[str, Any]:
    output = run("sarif", diagnostics, context)
    assert output.endswith("}\n")
    return json.loads(output)


def test_sarif_validates_offline(
    sarif_validators: List[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("schema validation tried to use the network")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    related = (
        Location("pkg/state.py", Span(3, 5, 3, 10), "the shared state"),
        Location("b.py", Span(1, 1, 1, 2)),
    )
    diagnostics = SAMPLE + [diag("ACT101", "dir with space/ü.py", 2, 3, 4, 1, related=related)]
    for log in (sarif_log(diagnostics), sarif_log([])):
        for validator in sarif_validators:
            errors = sorted(validator.iter_errors(log), key=str)
            assert errors == []


def test_sarif_schema_rejects_bad_log(sarif_validators: List[Any]) -> None:
    log = sarif_log(SAMPLE)
    log["runs"][0]["results"][0]["level"] = "fatal"
    log["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    for validator in sarif_validators:
        assert len(list(validator.iter_errors(log))) == 2


def test_sarif_structure() -> None:
    log = sarif_log(SAMPLE)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    root = run_["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root == Path.cwd().as_uri().rstrip("/") + "/"
    driver = run_["tool"]["driver"]
    assert driver["name"] == "actorlint"
    assert driver["version"] == __version__
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == ["ACT000", "ACT101", "ACT201"]
    assert rules[0]["defaultConfiguration"] == {"level": "error"}
    assert rules[1]["defaultConfiguration"] == {"level": "warning"}
    assert rules[1]["name"] == "blocking-call-in-handler"
    assert rules[1]["shortDescription"] == {"text": "A message handler makes a blocking call."}
    assert rules[1]["fullDescription"] == {
        "text": "Checks for blocking calls inside actor message handlers."
    }
    assert (
        rules[1]["helpUri"]
        == "https://github.com/actorlint/actorlint/blob/main/docs/rules/ACT101.md"
    )
    assert "fullDescription" not in rules[0]

    results = run_["results"]
    assert [(r["ruleId"], r["ruleIndex"], r["level"]) for r in results] == [
        ("ACT000", 0, "error"),
        ("ACT101", 1, "warning"),
        ("ACT201", 2, "warning"),
        ("ACT201", 2, "warning"),
        ("ACT101", 1, "warning"),
    ]
    assert results[2]["message"] == {"text": "`ask` without a timeout"}
    assert results[2]["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": "pkg/mod.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 7, "startColumn": 5, "endLine": 7, "endColumn": 20},
            }
        }
    ]
    assert "relatedLocations" not in results[2]


def test_sarif_docs_base_url_and_related() -> None:
    related = (Location("pkg/state.py", Span(3, 5, 3, 10), "the shared state"),)
    context = ctx(docs_base_url="https://docs.example/rules/")
    log = sarif_log([diag("ACT101", "pkg/mod.py", 4, 9, related=related)], context)
    (run_,) = log["runs"]
    assert run_["tool"]["driver"]["rules"][2]["helpUri"] == "https://docs.example/rules/ACT201.md"
    assert run_["results"][0]["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "pkg/state.py", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 10},
            },
            "message": {"text": "the shared state"},
        }
    ]


def test_sarif_uris() -> None:
    assert sarif.path_to_uri("dir with space/a#b.py") == (
        "dir%20with%20space/a%23b.py",
        "%SRCROOT%",
    )
    assert sarif.path_to_uri("ü.py") == ("%C3%BC.py", "%SRCROOT%")
    assert sarif.path_to_uri("c:odd.py")[0] == "c%3Aodd.py"
    absolute = os.path.abspath("x y.py")
    uri, base = sarif.path_to_uri(absolute)
    assert base is None and uri.startswith("file:///") and uri.endswith("/x%20y.py")


def test_sarif_is_deterministic() -> None:
    assert run("sarif", SAMPLE) == run("sarif", SAMPLE)


# -- fingerprints -------------------------------------------------------------------------

SOURCE = (
    "import pykka\n"
    "\n"
    "class A(pykka.ThreadingActor):\n"
    "    def on_receive(self, message):\n"
    "        time.sleep(1)\n"
)


def fingerprints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, spans: Sequence[Span]
) -> List[str]:
    """SARIF fingerprints of ACT101 findings at ``spans`` in a ``pkg/mod.py`` holding ``source``."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "mod.py").write_text(source, encoding="utf-8")
    diagnostics = [
        diag("ACT101", "pkg/mod.py", s.line, s.column, s.end_line, s.end_column) for s in spans
    ]
    results = sarif_log(diagnostics)["runs"][0]["results"]
    return [result["partialFingerprints"][sarif.FINGERPRINT_KEY] for result in results]


def test_fingerprint_survives_lines_added_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (before,) = fingerprints(tmp_path, monkeypatch, SOURCE, [Span(5, 9, 5, 22)])
    moved = "# a comment\nimport os\n\n" + SOURCE
    (after,) = fingerprints(tmp_path, monkeypatch, moved, [Span(8, 9, 8, 22)])
    assert before == after
    # Re-indenting the line does not change it either; changing the line does.
    (reindented,) = fingerprints(
        tmp_path, monkeypatch, SOURCE.replace("        time", "\ttime"), [Span(5, 2, 5, 15)]
    )
    assert reindented == before
    (changed,) = fingerprints(
        tmp_path, monkeypatch, SOURCE.replace("sleep(1)", "sleep(2)"), [Span(5, 9, 5, 22)]
    )
    assert changed != before


def test_fingerprint_distinguishes_identical_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = SOURCE + "        time.sleep(1)\n"
    first, second = fingerprints(
        tmp_path, monkeypatch, source, [Span(5, 9, 5, 22), Span(6, 9, 6, 22)]
    )
    assert first != second
    # Adding lines above keeps both identities, in order.
    moved = fingerprints(
        tmp_path, monkeypatch, "\n\n" + source, [Span(7, 9, 7, 22), Span(8, 9, 8, 22)]
    )
    assert moved == [first, second]


def test_fingerprint_function() -> None:
    finding = diag("ACT101", "pkg/mod.py", 5, 9)
    value = sarif.fingerprint(finding, "    time.sleep(1)", 0)
    assert len(value) == 64 and int(value, 16) >= 0
    assert value == sarif.fingerprint(finding, "time.sleep(1)  ", 0)
    assert value != sarif.fingerprint(finding, "time.sleep(1)", 1)
    assert value != sarif.fingerprint(diag("ACT201", "pkg/mod.py", 5, 9), "time.sleep(1)", 0)
    assert value != sarif.fingerprint(diag("ACT101", "pkg/other.py", 5, 9), "time.sleep(1)", 0)


def test_fingerprint_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    log = sarif_log([diag("ACT101", "missing.py", 1, 1), diag("ACT101", "missing.py", 2, 1)])
    first, second = (
        r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in log["runs"][0]["results"]
    )
    assert first == sarif.fingerprint(diag("ACT101", "missing.py", 1, 1), "", 0)
    assert first != second


def test_source_cache_reads_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.py"
    path.write_bytes(b"one\r\ntwo\rthree\x0cstill three\n\xff bad\n")
    cache = sarif.SourceCache()
    assert cache.text(str(path), Span(2, 1, 3, 1)) == "two\nthree\x0cstill three"
    assert cache.text(str(path), Span(4, 1, 4, 2)) == "\ufffd bad"
    path.unlink()
    assert cache.text(str(path), Span(1, 1, 1, 2)) == "one"


def test_sarif_and_gitlab_share_fingerprints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spans = [Span(5, 9, 5, 22), Span(5, 9, 5, 22)]
    from_sarif = fingerprints(tmp_path, monkeypatch, SOURCE, spans)
    diagnostics = [
        diag("ACT101", "pkg/mod.py", s.line, s.column, s.end_line, s.end_column) for s in spans
    ]
    from_gitlab = [issue["fingerprint"] for issue in json.loads(run("gitlab", diagnostics))]
    assert from_gitlab == from_sarif
    assert from_sarif[0] != from_sarif[1]


# -- gitlab -------------------------------------------------------------------------------

POLLER = (
    "import time\n"
    "\n"
    "import pykka\n"
    "\n"
    "\n"
    "class Poller(pykka.ThreadingActor):\n"
    "    def on_receive(self, message):\n"
    "        time.sleep(5)\n"
    "        time.sleep(5)\n"
    "        return message\n"
)


def lint_to_gitlab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: Dict[str, str]) -> str:
    """Write ``files`` under ``tmp_path``, lint them with every rule from there, as the
    command line would in CI, and return the ``gitlab`` report."""
    from actorlint.config import Settings
    from actorlint.engine import check_files, jobs_for_paths
    from actorlint.rules import ALL_RULES

    monkeypatch.chdir(tmp_path)
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    result = check_files(jobs_for_paths(paths, tmp_path), Settings(root=tmp_path, select=("ALL",)))
    assert not result.internal_errors, result.internal_errors
    context = ReportContext(
        rules={rule.code: RuleInfo.from_rule(rule) for rule in ALL_RULES},
        files_checked=result.files_checked,
    )
    return run("gitlab", result.diagnostics, context)


def sha256_of(*parts: str) -> str:
    import hashlib

    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def test_gitlab_report_of_real_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = lint_to_gitlab(
        tmp_path, monkeypatch, {"pkg/poller.py": POLLER, "pkg/broken.py": "def broken(:\n"}
    )
    assert output.startswith('[\n  {\n    "description": ') and output.endswith("]\n")
    report = json.loads(output)
    assert [list(issue) for issue in report] == [
        ["description", "check_name", "fingerprint", "severity", "location"]
    ] * 4
    # By hand: the flagged line's text (whitespace collapsed), never its number, then
    # the index among findings of the same rule, file and text.
    assert report == [
        {
            "description": "ACT000 SyntaxError: invalid syntax",
            "check_name": "ACT000",
            "fingerprint": sha256_of("ACT000", "pkg/broken.py", "def broken(:", "0"),
            "severity": "critical",
            "location": {"path": "pkg/broken.py", "positions": {"begin": {"line": 1, "column": 12}, "end": {"line": 1, "column": 12}}},
        },
        {
            "description": "ACT202 Handler `on_receive` of `Poller` has no time limit "
            "(`time.sleep` on line 8)",
            "check_name": "ACT202",
            "fingerprint": sha256_of(
                "ACT202", "pkg/poller.py", "def on_receive(self, message):", "0"
            ),
            "severity": "major",
            "location": {"path": "pkg/poller.py", "positions": {"begin": {"line": 7, "column": 9}, "end": {"line": 7, "column": 19}}},
        },
        {
            "description": "ACT101 `time.sleep` sleeps inside handler `on_receive` of `Poller`",
            "check_name": "ACT101",
            "fingerprint": sha256_of("ACT101", "pkg/poller.py", "time.sleep(5)", "0"),
            "severity": "major",
            "location": {"path": "pkg/poller.py", "positions": {"begin": {"line": 8, "column": 9}, "end": {"line": 8, "column": 22}}},
        },
        {
            "description": "ACT101 `time.sleep` sleeps inside handler `on_receive` of `Poller`",
            "check_name": "ACT101",
            "fingerprint": sha256_of("ACT101", "pkg/poller.py", "time.sleep(5)", "1"),
            "severity": "major",
            "location": {"path": "pkg/poller.py", "positions": {"begin": {"line": 9, "column": 9}, "end": {"line": 9, "column": 22}}},
        },
    ]


def test_gitlab_fingerprints_survive_edits_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = json.loads(lint_to_gitlab(tmp_path, monkeypatch, {"pkg/poller.py": POLLER}))
    moved = POLLER.replace("import time\n", '"""Polls."""\n\nimport os\nimport time\n')
    after = json.loads(lint_to_gitlab(tmp_path, monkeypatch, {"pkg/poller.py": moved}))
    assert [issue["location"]["positions"]["begin"]["line"] for issue in before] == [7, 8, 9]
    assert [issue["location"]["positions"]["begin"]["line"] for issue in after] == [10, 11, 12]
    # The ACT202 message names the line of the sleep, so it changed; the identity did not.
    assert before[0]["description"] != after[0]["description"]
    assert [issue["fingerprint"] for issue in before] == [issue["fingerprint"] for issue in after]


def test_gitlab_fingerprints_are_unique(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GitLab shows one issue per fingerprint: identical findings must not collapse.
    monkeypatch.chdir(tmp_path)
    same = [diag("ACT101", "missing.py", 3, 1)] * 3
    report = json.loads(run("gitlab", same + SAMPLE))
    assert len({issue["fingerprint"] for issue in report}) == len(report) == 8


def test_gitlab_fields_from_diagnostics() -> None:
    diagnostics = [
        diag("ACT101", "./pkg/mod.py", 3, 5, 6, 2, message="spans lines"),
        diag("ACT000", "pkg/broken.py", 2, 1, message="invalid syntax"),
    ]
    report = json.loads(run("gitlab", diagnostics))
    assert report[0]["location"] == {"path": "pkg/mod.py", "positions": {"begin": {"line": 3, "column": 5}, "end": {"line": 6, "column": 2}}}
    assert report[0]["description"] == "ACT101 spans lines"
    assert report[0]["check_name"] == "ACT101"
    assert [issue["severity"] for issue in report] == ["major", "critical"]
    severities = {issue["severity"] for issue in json.loads(run("gitlab", SAMPLE))}
    assert severities == {"major", "critical"}
    assert gitlab.SEVERITIES == ("info", "minor", "major", "critical", "blocker")


def test_gitlab_report_path() -> None:
    assert gitlab.report_path("pkg/mod.py") == "pkg/mod.py"
    assert gitlab.report_path("././pkg/mod.py") == "pkg/mod.py"
    assert gitlab.report_path(os.path.join("pkg", "sub", "mod.py")) == "pkg/sub/mod.py"


def test_gitlab_empty_and_deterministic() -> None:
    assert run("gitlab", []) == "[]\n"
    assert run("gitlab", SAMPLE) == run("gitlab", SAMPLE)


def test_gitlab_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from actorlint.cli import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "poller.py").write_text(POLLER, encoding="utf-8")
    args = ["check", "--no-cache", "--jobs", "1", "--output-format", "gitlab", "pkg"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert [(issue["check_name"], issue["location"]["positions"]["begin"]["line"]) for issue in report] == [
        ("ACT202", 7), ("ACT101", 8), ("ACT101", 9),
    ]
    assert json.loads(CliRunner().invoke(cli, args + ["--exit-zero"]).output) == report


def test_sarif_fixes_and_a_failed_execution() -> None:
    log = json.loads(run("sarif", SAMPLE[2:4]))
    results = log["runs"][0]["results"]
    assert results[0]["fixes"] == [{
        "description": {"text": "Add `timeout=` (safe)"},
        "artifactChanges": [{
            "artifactLocation": {"uri": "pkg/mod.py", "uriBaseId": "%SRCROOT%"},
            "replacements": [{"deletedRegion": {"charOffset": 10, "charLength": 0},
                              "insertedContent": {"text": ", timeout=5"}}],
        }],
    }]
    assert results[1]["fixes"][0]["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"charOffset": 3, "charLength": 3}, "insertedContent": {"text": "tell"}}]
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True}]
    crashed = json.loads(run("sarif", SAMPLE[:1], ctx(internal_errors=("internal error in rule ACT101 on a.py",))))
    assert crashed["runs"][0]["invocations"] == [{
        "executionSuccessful": False,
        "toolExecutionNotifications": [{"level": "error", "message": {"text": "internal error in rule ACT101 on a.py"}}],
    }]
