"""Rule packs from the ``actorlint.rules`` entry-point group (actorlint/plugins.py).

The end-to-end tests build real wheels by hand from the packages under ``tests/plugins/``,
install them with pip into a folder, and run ``python -m actorlint`` with that folder on
``PYTHONPATH``:

* ``actorlint-acme``: ACM101 ``long-call-timeout``, a working rule;
* ``actorlint-broken``: its entry point raises ImportError;
* ``actorlint-clash``: rules whose codes are taken (ACT101 by a built-in rule, ACM101 by
  actorlint-acme) and an entry that is not a rule;
* ``actorlint-crashy``: CRS101 raises on every file; installed into a folder of its own,
  used by one test only.

The in-process tests check the loader's validation with stand-in entry points, the
discovery of entry points over hand-made ``.dist-info`` folders, and code selectors.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Sequence, Tuple

import pytest

from actorlint import plugins
from actorlint.config import CODE_PATTERN, PLUGIN_CODE_PATTERN, ConfigError, Settings, load_settings
from actorlint.config import selector_matches, selector_specificity
from actorlint.diagnostics import Diagnostic
from actorlint.docs import check_docstring, example_code
from actorlint.engine import check_files, jobs_for_paths
from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.plugins import PluginOrigin, collect_plugins
from actorlint.rules import ALL_RULES, installed_rules
from actorlint.rules.base import FileRule, ProjectRule, Rule

ROOT = Path(__file__).resolve().parents[2]
PLUGIN_SOURCES = Path(__file__).resolve().parents[1] / "plugins"

# A Pykka ledger whose handler sleeps, and callers with long and short timeouts.
APP = """\
import time

import pykka


class Ledger(pykka.ThreadingActor):
    def on_receive(self, message):
        time.sleep(1)
        return message


def close_books():
    ledger = Ledger.start()
    totals = ledger.ask("totals", timeout=300)
    audit = ledger.ask("audit", timeout=5)
    ledger.ask("archive", timeout=120)  # noqa: ACM101
    return totals, audit
"""
# Checked by hand: the built-ins report the sleep (ACT101 on line 8) and the handler
# that blocks without a time limit (ACT202 on line 7); ACM101 reports the 300 s ask on
# line 14 only: 5 s is short, and the 120 s ask carries a noqa.
BUILTIN_FINDINGS = {("ACT202", 7), ("ACT101", 8)}
ACM_FINDINGS = {("ACM101", 14)}
ACM_TEXT = "app.py:14:14: ACM101 `ask` may wait 300 s for a reply (more than 60 s)"

BROKEN_WARNING = (
    'actorlint: warning: plugin "actorlint-broken" (entry point "broken"): cannot load '
    "\"actorlint_broken:RULES\": ModuleNotFoundError: No module named 'actorlint_acme_extras'; "
    "plugin skipped"
)
CLASH_WARNINGS = (
    'actorlint: warning: plugin "actorlint-clash" (entry point "clash"): '
    "actorlint_clash.StolenBuiltinCode: code ACT101 is taken by built-in rule ACT101 "
    "(blocking-call-in-handler); rule skipped",
    'actorlint: warning: plugin "actorlint-clash" (entry point "clash"): '
    "actorlint_clash.StolenPluginCode: code ACM101 is taken by actorlint_acme.calls.LongCallTimeout "
    'of plugin "actorlint-acme" (entry point "acme"); rule skipped',
    'actorlint: warning: plugin "actorlint-clash" (entry point "clash"): '
    "'not a rule' of type str: is not a rule class (a subclass of actorlint.rules.base.FileRule "
    "or ProjectRule); rule skipped",
)


# ---------------------------------------------------------------------------
# Building and installing wheels.


@dataclass(frozen=True)
class Pack:
    """A rule pack to build: distribution name, version, package folder, entry points."""

    distribution: str
    version: str
    package: str
    entry_points: Mapping[str, str]


ACME = Pack("actorlint-acme", "1.0", "actorlint_acme", {"acme": "actorlint_acme:RULES"})
BROKEN = Pack("actorlint-broken", "0.1", "actorlint_broken", {"broken": "actorlint_broken:RULES"})
CLASH = Pack("actorlint-clash", "0.2", "actorlint_clash", {"clash": "actorlint_clash:RULES"})
CRASHY = Pack("actorlint-crashy", "0.3", "actorlint_crashy", {"crashy": "actorlint_crashy:AlwaysFails"})
STUCK = Pack("actorlint-stuck", "0.4", "actorlint_stuck", {"stuck": "actorlint_stuck:NeverDone"})


def _record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def build_wheel(pack: Pack, out: Path) -> Path:
    """A pure-Python wheel with the pack's package and just the metadata pip needs."""
    stem = f"{pack.distribution.replace('-', '_')}-{pack.version}"
    info = f"{stem}.dist-info"
    files: Dict[str, bytes] = {}
    source = PLUGIN_SOURCES / pack.package
    for path in sorted(source.rglob("*.py")):
        files[f"{pack.package}/{path.relative_to(source).as_posix()}"] = path.read_bytes()
    assert files, f"no sources in {source}"
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {pack.distribution}\nVersion: {pack.version}\n"
        "Summary: An actorlint rule pack for tests\n"
    ).encode()
    files[f"{info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: actorlint-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()
    files[f"{info}/entry_points.txt"] = (
        "[actorlint.rules]\n" + "".join(f"{name} = {value}\n" for name, value in pack.entry_points.items())
    ).encode()
    record = [f"{name},{_record_hash(data)},{len(data)}" for name, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join(record + [f"{info}/RECORD,,"]) + "\n").encode()
    wheel = out / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def pip_install(wheels: Sequence[Path], target: Path) -> None:
    """Install wheels into ``target`` with the running interpreter's pip, offline.

    pip is part of every environment the tests run in: its absence fails the tests.
    """
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--no-compile",
         "--target", str(target), *map(str, wheels)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"pip install failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")


@dataclass(frozen=True)
class Sites:
    """Folders with installed rule packs."""

    # actorlint-acme, actorlint-broken and actorlint-clash.
    main: Path
    # actorlint-crashy alone.
    crashy: Path
    # actorlint-stuck alone.
    stuck: Path


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    base = tmp_path_factory.mktemp("plugins")
    wheels = base / "wheels"
    wheels.mkdir()
    main, crashy, stuck = base / "site", base / "site-crashy", base / "site-stuck"
    pip_install([build_wheel(pack, wheels) for pack in (ACME, BROKEN, CLASH)], main)
    pip_install([build_wheel(CRASHY, wheels)], crashy)
    pip_install([build_wheel(STUCK, wheels)], stuck)
    return Sites(main, crashy, stuck)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project with APP and a ``[tool.actorlint]`` table of defaults."""
    (tmp_path / "pyproject.toml").write_text("[tool.actorlint]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def actorlint(args: Sequence[str], cwd: Path, site_dirs: Sequence[Path],
              **environ: str) -> subprocess.CompletedProcess:
    """``python -m actorlint ARGS`` with the site folders, then the repository, on the path."""
    env = dict(os.environ, **environ)
    env["PYTHONPATH"] = os.pathsep.join([*map(str, site_dirs), str(ROOT)])
    return subprocess.run([sys.executable, "-m", "actorlint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def findings(stdout: str) -> set:
    """(code, line) of every diagnostic of the text format."""
    return {(m.group(2), int(m.group(1)))
            for m in re.finditer(r"^app\.py:(\d+):\d+: ([A-Z]+\d+) ", stdout, re.MULTILINE)}


# ---------------------------------------------------------------------------
# End to end, with installed wheels.


def test_wheels_are_installed_as_pip_installs_them(sites: Sites) -> None:
    assert (sites.main / "actorlint_acme" / "calls.py").is_file()
    entry_points = sites.main / "actorlint_acme-1.0.dist-info" / "entry_points.txt"
    assert "acme = actorlint_acme:RULES" in entry_points.read_text(encoding="utf-8")
    assert (sites.crashy / "actorlint_crashy" / "__init__.py").is_file()


def test_plugin_rule_runs_by_default(sites: Sites, project: Path) -> None:
    proc = actorlint(["check", "--no-cache", "app.py"], project, [sites.main])
    assert proc.returncode == 1, proc
    assert findings(proc.stdout) == BUILTIN_FINDINGS | ACM_FINDINGS, proc.stdout
    assert ACM_TEXT in proc.stdout.splitlines()
    # Every broken plugin is named once, and the run went on.
    for warning in (BROKEN_WARNING, *CLASH_WARNINGS):
        assert proc.stderr.splitlines().count(warning) == 1, proc.stderr
    assert "Traceback" not in proc.stderr


def test_plugin_rule_in_json_output(sites: Sites, project: Path) -> None:
    proc = actorlint(["check", "--no-cache", "--output-format", "json", "app.py"], project, [sites.main])
    assert proc.returncode == 1, proc
    reported = json.loads(proc.stdout)
    assert {(d["code"], d["line"]) for d in reported} == BUILTIN_FINDINGS | ACM_FINDINGS
    (acm,) = [d for d in reported if d["code"] == "ACM101"]
    assert acm["name"] == "long-call-timeout"
    assert (acm["line"], acm["column"], acm["end_line"], acm["end_column"]) == (14, 14, 14, 47)
    assert acm["message"] == "`ask` may wait 300 s for a reply (more than 60 s)"
    assert acm["severity"] == "warning" and acm["fix"] is None


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--ignore", "ACM"], BUILTIN_FINDINGS),
        (["--ignore", "ACM1"], BUILTIN_FINDINGS),
        (["--select", "ACT"], BUILTIN_FINDINGS),  # ACT is the built-ins only
        (["--select", "ACM"], ACM_FINDINGS),
        (["--select", "ACT1", "--extend-select", "ACM101"], {("ACT101", 8)} | ACM_FINDINGS),
        (["--select", "ALL", "--ignore", "ACT"], ACM_FINDINGS),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_selecting_plugin_rules_on_the_command_line(
    sites: Sites, project: Path, args: List[str], expected: set
) -> None:
    proc = actorlint(["check", "--no-cache", *args, "app.py"], project, [sites.main])
    assert proc.returncode == 1, proc
    assert findings(proc.stdout) == expected, proc.stdout


@pytest.mark.parametrize(
    "config, expected",
    [
        ('select = ["ACT"]\n', BUILTIN_FINDINGS),
        ('select = ["ACT"]\nextend-select = ["ACM"]\n', BUILTIN_FINDINGS | ACM_FINDINGS),
        ('per-file-ignores = { "app.py" = ["ACM101"] }\n', BUILTIN_FINDINGS),
        ('ignore = ["ACT"]\n', ACM_FINDINGS),
    ],
)
def test_selecting_plugin_rules_in_the_config(
    sites: Sites, project: Path, config: str, expected: set
) -> None:
    (project / "pyproject.toml").write_text("[tool.actorlint]\n" + config, encoding="utf-8")
    proc = actorlint(["check", "--no-cache", "app.py"], project, [sites.main])
    assert proc.returncode == 1, proc
    assert findings(proc.stdout) == expected, proc.stdout


def test_rules_lists_plugin_rules_with_their_origin(sites: Sites, tmp_path: Path) -> None:
    proc = actorlint(["rules"], tmp_path, [sites.main])
    assert proc.returncode == 0, proc
    lines = proc.stdout.splitlines()
    assert re.fullmatch(
        r"ACM101\s+long-call-timeout\s+-\s+stable\s+A call may wait more than a minute for an actor's reply"
        r"  \(plugin actorlint-acme 1\.0\)",
        lines[-1],
    ), lines[-1]
    assert [line.split()[0] for line in lines] == [rule.code for rule in ALL_RULES] + ["ACM101"]
    assert BROKEN_WARNING in proc.stderr.splitlines()

    as_json = actorlint(["rules", "--output-format", "json"], tmp_path, [sites.main])
    assert as_json.returncode == 0, as_json
    by_code = {rule["code"]: rule for rule in json.loads(as_json.stdout)}
    assert by_code["ACM101"]["plugin"] == {
        "distribution": "actorlint-acme", "version": "1.0", "entry_point": "acme",
    }
    assert by_code["ACM101"]["name"] == "long-call-timeout"
    assert by_code["ACT101"]["plugin"] is None
    assert by_code["ACT101"]["name"] == "blocking-call-in-handler"  # not the clashing rule


def test_explain_plugin_rule(sites: Sites, tmp_path: Path) -> None:
    proc = actorlint(["explain", "acm101"], tmp_path, [sites.main])
    assert proc.returncode == 0, proc
    assert proc.stdout.startswith(
        "# long-call-timeout (ACM101)\n\n"
        'From plugin "actorlint-acme" (entry point "acme"), version 1.0.\n\n'
        "## What it does\n"
    ), proc.stdout
    assert "Use instead:" in proc.stdout
    unknown = actorlint(["explain", "ACM999"], tmp_path, [sites.main])
    assert unknown.returncode == 2
    assert "unknown rule code: ACM999" in unknown.stderr


def test_explain_builtin_rule_does_not_load_plugins(sites: Sites, tmp_path: Path) -> None:
    proc = actorlint(["explain", "ACT101"], tmp_path, [sites.main])
    assert proc.returncode == 0, proc
    assert proc.stderr == ""


def test_crashing_plugin_rule_is_an_internal_error(sites: Sites, project: Path) -> None:
    proc = actorlint(["check", "--no-cache", "app.py"], project, [sites.crashy, sites.main])
    assert proc.returncode == 2, proc
    # The other rules, built-in and plugin, still report.
    assert findings(proc.stdout) == BUILTIN_FINDINGS | ACM_FINDINGS, proc.stdout
    # The message names the rule, the distribution it comes from and the file.
    assert re.search(r"error: internal error in rule CRS101 \(plugin actorlint-crashy [^)]+\) on app\.py:",
                     proc.stderr), proc.stderr
    assert "RuntimeError: crashy cannot judge app.py" in proc.stderr


@pytest.mark.parametrize("stuck, what", [
    ("import", 'loading plugin "actorlint-stuck" (entry point "stuck")'),
    ("check", "rule STK101 (plugin actorlint-stuck 0.4) checking app.py"),
])
def test_a_plugin_that_never_finishes_stops_the_run_with_exit_2(
        sites: Sites, project: Path, stuck: str, what: str) -> None:
    """Without the bound the run would hang until the CI job's own timeout (the helper's
    120 s here): the run stops after plugin-timeout, naming what overran."""
    (project / "pyproject.toml").write_text("[tool.actorlint]\nplugin-timeout = 1\n", encoding="utf-8")
    proc = actorlint(["check", "--no-cache", "app.py"], project, [sites.stuck], ACTORLINT_STUCK=stuck)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.endswith(
        f"actorlint: error: {what} did not finish within 1 s (`plugin-timeout`); the run is stopped. "
        "Deselect the rule (--ignore CODE) or raise `plugin-timeout`.\n"), proc.stderr


def test_a_stuck_plugin_cannot_touch_a_run_of_builtin_rules(sites: Sites, project: Path) -> None:
    proc = actorlint(["check", "--no-cache", "--select", "ACT", "app.py"], project, [sites.stuck],
                     ACTORLINT_STUCK="import")
    assert proc.returncode == 1 and findings(proc.stdout) == BUILTIN_FINDINGS, proc.stderr


def test_a_plugin_within_its_time_runs_as_usual(sites: Sites, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.actorlint]\nplugin-timeout = 1\n", encoding="utf-8")
    proc = actorlint(["check", "--no-cache", "app.py"], project, [sites.stuck])
    assert proc.returncode == 1 and findings(proc.stdout) == BUILTIN_FINDINGS and proc.stderr == ""


def test_without_plugins_nothing_is_said(project: Path) -> None:
    proc = actorlint(["check", "--no-cache", "app.py"], project, [])
    assert proc.returncode == 1, proc
    assert findings(proc.stdout) == BUILTIN_FINDINGS
    assert proc.stderr == ""


def test_importing_actorlint_reads_no_entry_points(sites: Sites) -> None:
    # Plugins are loaded when rules are needed, not on import: a broken one is not imported.
    code = (
        "import sys, actorlint, actorlint.rules, actorlint.engine, actorlint.cli\n"
        "assert 'actorlint.plugins' not in sys.modules\n"
        "assert 'actorlint_acme' not in sys.modules\n"
        "from actorlint.rules import installed_rules\n"
        "print(sorted(r.code for r in installed_rules() if not r.code.startswith('ACT')))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(sites.main), str(ROOT)]))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc
    assert proc.stdout.strip() == "['ACM101']"


# ---------------------------------------------------------------------------
# Discovery of entry points, over hand-made .dist-info folders.


def _dist_info(folder: Path, name: str, version: str, entry_points: str) -> None:
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(entry_points)


def test_discovery_reads_the_group_and_the_first_distribution_of_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _dist_info(first, "zeta-rules", "2.0", "[actorlint.rules]\nzeta = zeta:RULES\nalpha = zeta:ALPHA\n")
    _dist_info(first, "other-tool", "1.0", "[console_scripts]\nother = other:main\n")
    _dist_info(second, "Zeta_Rules", "1.0", "[actorlint.rules]\nold = zeta_old:RULES\n")  # shadowed
    _dist_info(second, "beta-rules", "0.5", "[actorlint.rules]\nbeta = beta:Rule\n")
    monkeypatch.syspath_prepend(str(second))
    monkeypatch.syspath_prepend(str(first))
    entries, problems = plugins._installed_entry_points(plugins.ENTRY_POINT_GROUP)
    ours = [origin for origin, _ in entries if origin.distribution in ("zeta-rules", "Zeta_Rules", "beta-rules")]
    assert ours == [
        PluginOrigin("beta-rules", "0.5", "beta", "beta:Rule"),
        PluginOrigin("zeta-rules", "2.0", "alpha", "zeta:ALPHA"),
        PluginOrigin("zeta-rules", "2.0", "zeta", "zeta:RULES"),
    ]
    assert problems == []


# ---------------------------------------------------------------------------
# Validation, with stand-in entry points.


class _EntryPoint:
    """Stands in for importlib.metadata.EntryPoint: ``load()`` returns or raises ``loads``."""

    def __init__(self, name: str, loads: Any) -> None:
        self.name = name
        self.value = f"pack_{name}:RULES"
        self.loads = loads

    def load(self) -> Any:
        if isinstance(self.loads, BaseException):
            raise self.loads
        return self.loads


def _entries(*specs: Tuple[str, str, Any]) -> List[Tuple[PluginOrigin, _EntryPoint]]:
    return [(PluginOrigin(dist, "1.0", name, f"pack_{name}:RULES"), _EntryPoint(name, loads))
            for dist, name, loads in specs]


class _Checks(FileRule):
    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        return iter(())


class GoodFile(_Checks):
    """## What it does
    Checks for nothing: a well-formed file rule."""

    code = "XYZ101"
    name = "good-file"
    summary = "A file rule"


class GoodProject(ProjectRule):
    code = "XYZ2001"
    name = "good-project"
    summary = "A project rule"

    def check(self, project: ProjectFacts) -> Iterator[Diagnostic]:
        return iter(())


class SameCode(_Checks):
    code = "XYZ101"
    name = "same-code"
    summary = "Another rule with XYZ101"


def _rule(code: Any = "XYZ301", name: Any = "a-rule", summary: Any = "A rule",
          base: type = _Checks, **attributes: Any) -> type:
    return type("Made", (base,), dict(code=code, name=name, summary=summary, **attributes))


class _Unbuildable(_Checks):
    def __init__(self, settings: Settings) -> None:
        raise ValueError("needs a database")


def _failing_iterable() -> Iterator[type]:
    yield GoodFile
    raise KeyError("RULES")


def _problem(candidate: Any) -> str:
    """The single warning ``candidate`` gets as the only thing an entry point loads."""
    result = collect_plugins(_entries(("pack", "p", candidate)))
    assert result.rules == ()
    (warning,) = result.warnings
    return warning


def test_single_class_and_iterables_are_loaded_in_code_order() -> None:
    result = collect_plugins(_entries(
        ("pack-b", "project", GoodProject),
        ("pack-a", "files", (rule for rule in [GoodFile])),
        ("pack-a", "again", [GoodFile]),  # the same class twice: kept once, no warning
    ))
    assert result.rules == (GoodFile, GoodProject)
    assert result.warnings == ()
    assert result.origins["XYZ101"] == PluginOrigin("pack-a", "1.0", "files", "pack_files:RULES")
    assert result.origins["XYZ2001"].distribution == "pack-b"


def test_a_plugin_that_cannot_be_loaded_is_skipped_with_a_warning() -> None:
    result = collect_plugins(_entries(
        ("pack-a", "broken", ImportError("No module named 'numpy'")),
        ("pack-b", "good", [GoodFile]),
    ))
    assert result.rules == (GoodFile,)
    assert result.warnings == (
        'plugin "pack-a" (entry point "broken"): cannot load "pack_broken:RULES": '
        "ImportError: No module named 'numpy'; plugin skipped",
    )


@pytest.mark.parametrize(
    "loaded, problem",
    [
        (42, '"pack_p:RULES" loaded 42 of type int, which is neither a rule class nor an iterable of rule classes'),
        ("XYZ101", 'loaded \'XYZ101\' of type str, which is neither'),
        ({"XYZ101": GoodFile}, "which is neither a rule class nor an iterable"),
        ([], '"pack_p:RULES" provides no rules; plugin skipped'),
        (_failing_iterable(), '"pack_p:RULES" cannot be iterated: KeyError: \'RULES\''),
    ],
)
def test_entry_points_that_load_no_rules(loaded: Any, problem: str) -> None:
    warning = _problem(loaded)
    assert warning.startswith('plugin "pack" (entry point "p"): ')
    assert problem in warning
    assert warning.endswith("; plugin skipped")


@pytest.mark.parametrize(
    "candidate, problem",
    [
        (Settings, "is not a rule class"),
        (print, "is not a rule class"),
        (type("Direct", (Rule,), {"code": "XYZ301", "name": "direct", "summary": "s"}),
         "subclasses Rule directly; subclass FileRule or ProjectRule"),
        (_rule(base=FileRule), "does not implement check()"),
        (_rule(code=None), "has no code"),
        (_rule(code="ACT201"), "code ACT201 is taken by built-in rule ACT201 (call-without-timeout)"),
        (_rule(code="ACT901"), 'code "ACT901" starts with ACT, which is reserved'),
        (_rule(code="ACTX101"), 'code "ACTX101" starts with ACT, which is reserved'),
        (_rule(code="ALL101"), 'code "ALL101" is malformed'),
        (_rule(code="acm101"), 'code "acm101" is malformed: expected 1-5 upper-case letters'),
        (_rule(code="ACM01"), 'code "ACM01" is malformed'),
        (_rule(code="ACM10101"), 'code "ACM10101" is malformed'),
        (_rule(code="ACMEXY101"), 'code "ACMEXY101" is malformed'),
        (_rule(code="ACM"), 'code "ACM" is malformed'),
        (_rule(name="LongName"), "name 'LongName' is not a kebab-case name"),
        (_rule(name=None), "name None is not a kebab-case name"),
        (_rule(summary=" "), "has no summary"),
        (_rule(fix_applicability="unsafe"), "fix_applicability is neither None nor"),
        (_rule(severity="warning"), "severity is not an actorlint.diagnostics.Severity"),
        (_rule(base=_Unbuildable), "cannot be created: ValueError: needs a database"),
    ],
)
def test_malformed_rules_are_skipped_with_a_warning(candidate: Any, problem: str) -> None:
    result = collect_plugins(_entries(("pack", "p", [candidate, GoodFile])), builtin=ALL_RULES)
    assert result.rules == (GoodFile,), "the pack's good rule is kept"
    (warning,) = result.warnings
    assert warning.startswith('plugin "pack" (entry point "p"): ')
    assert problem in warning, warning
    assert warning.endswith("; rule skipped")


def test_a_code_taken_by_another_plugin_stays_with_the_first() -> None:
    result = collect_plugins(_entries(("pack-a", "a", GoodFile), ("pack-b", "b", SameCode)))
    assert result.rules == (GoodFile,)
    assert result.warnings == (
        f'plugin "pack-b" (entry point "b"): {__name__}.SameCode: code XYZ101 is taken by '
        f'{__name__}.GoodFile of plugin "pack-a" (entry point "a"); rule skipped',
    )


def test_load_plugins_warns_once_per_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    fake = _entries(("pack", "p", [GoodFile, 7]))
    monkeypatch.setattr(plugins, "_installed_entry_points", lambda group: (fake, []))
    plugins.forget_plugins()
    try:
        assert installed_rules() == [*ALL_RULES, GoodFile]
        assert installed_rules() == [*ALL_RULES, GoodFile]
        err = capsys.readouterr().err
        assert err.count("actorlint: warning: plugin \"pack\" (entry point \"p\"): 7 of type int") == 1, err
    finally:
        plugins.forget_plugins()  # the other tests see the real (absent) plugins


@pytest.fixture()
def acme_in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """actorlint-acme as this process's only plugin, imported from its source folder."""
    monkeypatch.syspath_prepend(str(PLUGIN_SOURCES))
    import actorlint_acme

    origin = PluginOrigin("actorlint-acme", "1.0", "acme", "actorlint_acme:RULES")
    entries = [(origin, _EntryPoint("acme", actorlint_acme.RULES))]
    monkeypatch.setattr(plugins, "_installed_entry_points", lambda group: (entries, []))
    plugins.forget_plugins()
    yield actorlint_acme
    plugins.forget_plugins()


def _lint(code: str, settings: Settings, tmp_path: Path) -> List[Diagnostic]:
    path = tmp_path / "example.py"
    path.write_text(code, encoding="utf-8")
    result = check_files(jobs_for_paths([path], tmp_path), settings, workers=1)
    assert not result.internal_errors, result.internal_errors
    return result.diagnostics


def test_sample_rule_is_documented_as_built_in_rules_are(acme_in_process: Any, tmp_path: Path) -> None:
    rule = acme_in_process.LongCallTimeout
    assert check_docstring(rule) == []
    bad, good = example_code(rule)
    assert bad and good
    settings = Settings(root=tmp_path, select=("ACM",))
    assert [d.code for d in _lint(bad, settings, tmp_path)] == ["ACM101"]
    assert _lint(good, settings, tmp_path) == []


def test_engine_runs_plugin_rules_by_default(acme_in_process: Any, tmp_path: Path) -> None:
    found = {(d.code, d.span.line) for d in _lint(APP, Settings(root=tmp_path), tmp_path)}
    assert found == BUILTIN_FINDINGS | ACM_FINDINGS
    builtins_only = _lint(APP, Settings(root=tmp_path, select=("ACT",)), tmp_path)
    assert {(d.code, d.span.line) for d in builtins_only} == BUILTIN_FINDINGS


# ---------------------------------------------------------------------------
# Code selectors for plugin codes (actorlint/config.py).


@pytest.mark.parametrize("selector", ["ALL", "ACT", "ACT1", "ACT101", "ACM", "ACM1", "ACM101", "ACM1010",
                                      "A", "A123", "ABCDE", "ABCDE1234", "E501", "ALLX1", "AL1"])
def test_valid_selectors(selector: str) -> None:
    assert CODE_PATTERN.fullmatch(selector)


@pytest.mark.parametrize("selector", ["", "act", "acm1", "ACT1011", "ACTX", "ACTOR1", "ALL1",
                                      "ABCDEF", "ACM12345", "E-501", "ACM 1", "1ACM", "ACM1A"])
def test_invalid_selectors(selector: str) -> None:
    assert not CODE_PATTERN.fullmatch(selector)


@pytest.mark.parametrize("code", ["ACM101", "ACM1010", "A101", "ABCDE1234", "XYZ2001"])
def test_valid_plugin_codes(code: str) -> None:
    assert PLUGIN_CODE_PATTERN.fullmatch(code)


@pytest.mark.parametrize("code", ["ACT101", "ACTX101", "ALL101", "ACM", "ACM10", "ACM10101", "acm101"])
def test_invalid_plugin_codes(code: str) -> None:
    assert not PLUGIN_CODE_PATTERN.fullmatch(code)


@pytest.mark.parametrize(
    "selector, code, matches",
    [
        ("ACM", "ACM101", True),
        ("ACM1", "ACM101", True),
        ("ACM101", "ACM101", True),
        ("ACM2", "ACM101", False),
        ("AC", "ACM101", False),  # a prefix names the letters exactly
        ("AC", "ACT101", False),
        ("ACT", "ACM101", False),
        ("ACM", "ACME101", False),
        ("ALL", "ACM101", True),
        ("ACT1", "ACT101", True),
    ],
)
def test_selector_matches_plugin_codes(selector: str, code: str, matches: bool) -> None:
    assert selector_matches(selector, code) is matches


def test_selector_specificity_counts_digits_after_any_prefix() -> None:
    assert [selector_specificity(s) for s in ("ALL", "ACT", "ACT1", "ACT101", "ACM", "ACM10", "A1010")] == [
        0, 1, 2, 4, 1, 3, 5,
    ]


@pytest.mark.parametrize(
    "settings, enabled",
    [
        (Settings(), {"ACT101", "ACM101", "XYZ2001"}),  # ALL: built-ins and plugins
        (Settings(select=("ACT",)), {"ACT101"}),
        (Settings(ignore=("ACM",)), {"ACT101", "XYZ2001"}),
        (Settings(select=("ACT",), extend_select=("ACM1",)), {"ACT101", "ACM101"}),
        (Settings(ignore=("ACM",), extend_select=("ACM101",)), {"ACT101", "ACM101", "XYZ2001"}),
    ],
)
def test_plugin_codes_are_enabled_by_default_and_selectable(settings: Settings, enabled: set) -> None:
    assert {code for code in ("ACT101", "ACM101", "XYZ2001") if settings.is_enabled(code)} == enabled


def test_default_select_is_all() -> None:
    assert Settings().select == ("ALL",)


def test_config_accepts_plugin_codes(tmp_path: Path) -> None:
    config = tmp_path / "actorlint.toml"
    config.write_text(
        'select = ["ACT", "ACM"]\nignore = ["ACM1"]\nextend-select = ["ACM101"]\n'
        'per-file-ignores = { "tests/*" = ["XYZ2"] }\nextend-safe-fixes = ["ACM1"]\n',
        encoding="utf-8",
    )
    settings = load_settings(config, tmp_path)
    assert settings.select == ("ACT", "ACM") and settings.ignore == ("ACM1",)
    assert settings.per_file_ignores == (("tests/*", ("XYZ2",)),)


@pytest.mark.parametrize(
    "code, hint",
    [
        ("acm101", 'codes are upper case: did you mean "ACM101"?'),
        (" ACM1", 'codes have no spaces: did you mean "ACM1"?'),
        ("ACT1011", "ACT codes have 3 digits, and prefixes starting with ACT are reserved"),
        ("ACTX", "ACT codes have 3 digits, and prefixes starting with ACT are reserved for built-in rules"),
        ("ALL1", '"ALL" selects every rule and takes no digits'),
        ("ACMEXY1", "a plugin's codes have 1-5 upper-case letters and up to 4 digits"),
        ("ACM12345", "a plugin's codes have 1-5 upper-case letters and up to 4 digits"),
    ],
)
def test_bad_selectors_get_a_hint(code: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings().with_overrides(select=[code])
    message = str(caught.value)
    assert message.startswith('--select: expected rule codes or prefixes such as "ACT101", "ACT1" or "ALL", got ')
    assert f"; {hint}" in message, message


def test_garbage_selector_gets_the_plain_message() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings().with_overrides(ignore=["E-501"])
    assert str(caught.value) == (
        '--ignore: expected rule codes or prefixes such as "ACT101", "ACT1" or "ALL", got "E-501"'
    )


# ---------------------------------------------------------------------------
# Plugins that misbehave (issue 11): contained, validated, and not even loaded when no
# selected code can be theirs.


class _ExitsRule(FileRule):
    """Ends the process from inside a check."""

    code = "EXT101"
    name = "exits"
    summary = "Raises SystemExit(0)"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        raise SystemExit(0)


class _YieldsJunkRule(FileRule):
    """Yields things that are not diagnostics, then a diagnostic with a broken fix."""

    code = "JNK101"
    name = "yields-junk"
    summary = "Yields junk"

    def check(self, facts: FileFacts, project: ProjectFacts) -> Iterator[Diagnostic]:
        from actorlint.diagnostics import Applicability, Edit, Fix, Span

        yield "not a diagnostic"  # type: ignore[misc]
        span = Span(1, 1, 1, 2)
        overlapping = Fix("overlap", Applicability.SAFE, (Edit(0, 5, "a"), Edit(3, 8, "b")))
        yield Diagnostic(self.code, self.name, "overlapping", facts.path, span, fix=overlapping)
        yield Diagnostic("ACT101", self.name, "posing as a built-in", facts.path, span)
        far = Fix("far", Applicability.SAFE, (Edit(10**9, 10**9, "x"),))
        yield Diagnostic(self.code, self.name, "out of range", facts.path, span, fix=far)


def _misbehaving_plugins(monkeypatch: pytest.MonkeyPatch, rules: Sequence[type]) -> None:
    origin = PluginOrigin("actorlint-bad", "6.6", "bad", "actorlint_bad:RULES")
    entries = [(origin, _EntryPoint("bad", list(rules)))]
    monkeypatch.setattr(plugins, "_installed_entry_points", lambda group: (entries, []))
    plugins.forget_plugins()


def test_a_rule_raising_system_exit_is_an_internal_error(monkeypatch, tmp_path: Path) -> None:
    _misbehaving_plugins(monkeypatch, [_ExitsRule])
    try:
        path = tmp_path / "example.py"
        path.write_text(APP, encoding="utf-8")
        result = check_files(jobs_for_paths([path], tmp_path), Settings(root=tmp_path), workers=1)
    finally:
        plugins.forget_plugins()
    assert {(d.code, d.span.line) for d in result.diagnostics} == BUILTIN_FINDINGS
    assert len(result.internal_errors) == 1
    assert result.internal_errors[0].startswith(
        "internal error in rule EXT101 (plugin actorlint-bad 6.6) on example.py:")
    assert "SystemExit" in result.internal_errors[0]


def test_what_a_rule_yields_is_validated(monkeypatch, tmp_path: Path) -> None:
    from actorlint.engine import fix_files

    _misbehaving_plugins(monkeypatch, [_YieldsJunkRule])
    try:
        path = tmp_path / "example.py"
        path.write_text(APP, encoding="utf-8")
        jobs = jobs_for_paths([path], tmp_path)
        result = check_files(jobs, Settings(root=tmp_path, select=("JNK",)), workers=1)
        fixed = fix_files(jobs, Settings(root=tmp_path, select=("JNK",)), workers=1)
    finally:
        plugins.forget_plugins()
    problems = sorted(error.split(": ", 1)[1] for error in result.internal_errors)
    assert problems == [
        "it yielded a diagnostic with another rule's code (ACT101); dropped",
        "it yielded a str, not a Diagnostic; dropped",
        "its fix has overlapping edits; dropped",
    ]
    assert [d.message for d in result.diagnostics] == ["out of range"]
    # The out-of-range fix is refused when applied; the file is left as it was.
    assert fixed.changes == [] and len(fixed.refused) == 1
    assert fixed.refused[0].startswith("example.py: fixes not applied: edit [1000000000, 1000000000)")
    assert path.read_text(encoding="utf-8") == APP


def test_builtin_selection_never_loads_plugins(monkeypatch, tmp_path: Path) -> None:
    """A plugin that hangs (or exits) at import cannot touch a run of built-in rules."""
    def hang(group: str):
        raise AssertionError("entry points were read although only ACT codes are selected")

    monkeypatch.setattr(plugins, "_installed_entry_points", hang)
    plugins.forget_plugins()
    try:
        for settings in (Settings(root=tmp_path, select=("ACT",)),
                         Settings(root=tmp_path, select=("ACT1",), extend_select=("ACT201",))):
            assert not settings.may_enable_plugins()
            found = {(d.code, d.span.line) for d in _lint(APP, settings, tmp_path)}
            assert found <= BUILTIN_FINDINGS and found
    finally:
        plugins.forget_plugins()
    assert Settings(root=tmp_path).may_enable_plugins()
    assert Settings(root=tmp_path, select=("ACT",), extend_select=("ACM1",)).may_enable_plugins()


def test_a_plugin_exiting_at_import_is_skipped_with_a_warning() -> None:
    class Exiting:
        value = "actorlint_exits:RULES"

        def load(self) -> Any:
            raise SystemExit(3)

    origin = PluginOrigin("actorlint-exits", "1.0", "exits", "actorlint_exits:RULES")
    loaded = plugins.collect_plugins([(origin, Exiting())])
    assert loaded.rules == () or list(loaded.rules) == []
    assert len(loaded.warnings) == 1 and "SystemExit: 3; plugin skipped" in loaded.warnings[0]


class _EveryFileRule(ProjectRule):
    """Reports line 1 of every file of the project, actor code or not."""

    code = "EVR101"
    name = "every-file"
    summary = "Reports every file"

    def check(self, project: ProjectFacts) -> Iterator[Diagnostic]:
        from actorlint.diagnostics import Span

        for facts in project.files:
            yield Diagnostic(self.code, self.name, "seen", facts.path, Span(1, 1, 1, 2))


def test_noqa_suppresses_a_plugin_finding_in_a_file_without_actor_code(monkeypatch, tmp_path: Path) -> None:
    """Issue 13, bug 2: suppression comments were read only in files with sites, classes,
    tasks or payloads, so a project rule's finding in any other file ignored its noqa."""
    _misbehaving_plugins(monkeypatch, [_EveryFileRule])
    try:
        (tmp_path / "app.py").write_text(APP, encoding="utf-8")
        (tmp_path / "settings.py").write_text("DEBUG = True  # noqa: EVR101\n", encoding="utf-8")
        (tmp_path / "plain.py").write_text("DEBUG = False\n", encoding="utf-8")
        paths = sorted(tmp_path.glob("*.py"))
        for prefilter in (True, False):
            result = check_files(jobs_for_paths(paths, tmp_path), Settings(root=tmp_path, select=("EVR",)),
                                 prefilter=prefilter)
            assert sorted(d.path for d in result.diagnostics) == ["app.py", "plain.py"], prefilter
    finally:
        plugins.forget_plugins()


def test_the_plugin_loader_imports_no_rule_module() -> None:
    """The registry (actorlint.rules) owns the rule list and hands the built-ins to the
    loader; the loader needs only the base classes, so there is no import cycle."""
    code = "import sys, actorlint.plugins; print(sorted(m for m in sys.modules if m.startswith('actorlint.rules')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
