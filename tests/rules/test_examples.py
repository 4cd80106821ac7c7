"""The bundled example app trips every implemented rule, at the lines EXPECTED.txt lists
(checked by hand), in every output format."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from actorlint.cli import cli
from actorlint.config import Settings
from actorlint.rules import ALL_RULES
from tests.fixture_harness import lint

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _expected() -> set:
    expected = set()
    for line in (EXAMPLES / "EXPECTED.txt").read_text().splitlines():
        if line.strip():
            path, number, code = re.fullmatch(r"(\S+):(\d+): (ACT\d{3})", line.strip()).groups()
            expected.add((path, int(number), code))
    return expected


def test_examples_report_exactly_the_expected_lines() -> None:
    files = sorted(EXAMPLES.rglob("*.py"))
    # examples/pyproject.toml turns preview on, as this does.
    assert lint(files, EXAMPLES, Settings(root=EXAMPLES, preview=True)) == _expected()


def test_examples_trip_every_rule_but_act000() -> None:
    codes = {code for _, _, code in _expected()}
    assert codes == {rule.code for rule in ALL_RULES} - {"ACT000"}


def test_examples_in_every_format(monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    runner = CliRunner()
    expected = _expected()
    text = runner.invoke(cli, ["check", ".", "--no-cache"])
    assert text.exit_code == 1
    found = {(m[0], int(m[1]), m[2]) for m in re.findall(r"^(\S+?):(\d+):\d+: (ACT\d{3})", text.output, re.M)}
    assert found == expected
    data = json.loads(runner.invoke(cli, ["check", ".", "--no-cache", "--output-format", "json"]).output)
    assert {(d["path"], d["line"], d["code"]) for d in data} == expected
    github = runner.invoke(cli, ["check", ".", "--no-cache", "--output-format", "github"]).output
    found = {(m[0], int(m[1]), m[2]) for m in re.findall(r"^::warning file=([^,]+),line=(\d+),.*title=(ACT\d{3}) ", github, re.M)}
    assert found == expected
    sarif = json.loads(runner.invoke(cli, ["check", ".", "--no-cache", "--output-format", "sarif"]).output)
    results = sarif["runs"][0]["results"]
    found = {
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"])
        for r in results
    }
    assert found == expected


def test_examples_sarif_validates_against_the_official_schema(monkeypatch) -> None:
    jsonschema = __import__("pytest").importorskip("jsonschema")
    schema = json.loads((Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())
    monkeypatch.chdir(EXAMPLES)
    output = CliRunner().invoke(cli, ["check", ".", "--no-cache", "--output-format", "sarif"]).output
    log = json.loads(output)
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    fingerprints = [r["partialFingerprints"] for r in log["runs"][0]["results"]]
    assert len({json.dumps(f, sort_keys=True) for f in fingerprints}) == len(fingerprints)


def test_fixed_examples_import_the_runtime_and_still_run(tmp_path, monkeypatch) -> None:
    """`--fix --unsafe-fixes` on the example app leaves code that imports
    actorlint_runtime, imports cleanly where its frameworks are installed, and is stable."""
    import importlib
    import shutil
    import sys

    shutil.copytree(EXAMPLES / "shop", tmp_path / "shop")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["check", "shop", "--no-cache", "--fix", "--unsafe-fixes"])
    assert first.exit_code == 1, first.output  # ACT101/ACT102/ACT103/ACT203 have no fix
    assert "Fixed" in first.output
    fixed = {path.name: path.read_text() for path in (tmp_path / "shop").glob("*.py")}
    for name in ("mailer.py", "notifier.py", "seats.py", "inventory.py"):
        assert "from actorlint_runtime import time_limited" in fixed[name], name
        assert "@time_limited(seconds=4.0)" in fixed[name], name
    assert "ACT202" not in first.output and "ACT201" not in first.output

    second = runner.invoke(cli, ["check", "shop", "--no-cache", "--fix", "--unsafe-fixes"])
    assert {path.name: path.read_text() for path in (tmp_path / "shop").glob("*.py")} == fixed
    assert "Fixed" not in second.output

    monkeypatch.syspath_prepend(str(tmp_path))
    for name in sorted(fixed):
        module = f"shop.{name[:-3]}" if name != "__init__.py" else "shop"
        compile(fixed[name], name, "exec")
        if "import ray" in fixed[name]:
            continue  # ray is not a test dependency: compiled, not imported
        try:
            importlib.import_module(module)
        finally:
            for loaded in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
                del sys.modules[loaded]
