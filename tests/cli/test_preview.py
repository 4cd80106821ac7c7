"""Preview rules (Ruff's convention): they run only with --preview or `preview = true`;
selecting one without preview says so; `rules` and the docs show the status."""

from __future__ import annotations

import json
from pathlib import Path

from actorlint.docs import render_index, render_rule_page
from actorlint.rules import ALL_RULES, rules_by_code

# A Pykka actor serving one dict (ACT302, a preview rule, on line 4, the class line).
CACHE = """\
import pykka


class Prices(pykka.ThreadingActor):
    def __init__(self):
        super().__init__()
        self.entries = {}

    def get(self, sku):
        return self.entries.get(sku)

    def put(self, sku, price):
        self.entries[sku] = price
"""
WARNING = "ACT302 is a preview rule: selecting it has no effect without `--preview`"


def _codes(output: str):
    return [item["code"] for item in json.loads(output)]


def test_a_preview_rule_runs_only_with_preview(tmp_path: Path, run) -> None:
    (tmp_path / "prices.py").write_text(CACHE)
    assert _codes(run("check", "--no-cache", "--output-format", "json", "prices.py").stdout) == []
    found = json.loads(run("check", "--no-cache", "--preview", "--output-format", "json", "prices.py").stdout)
    assert [(d["code"], d["line"]) for d in found] == [("ACT302", 4)]
    assert found[0]["related"][0]["line"] == 7  # the dict: `self.entries = {}`


def test_selecting_a_preview_rule_without_preview_says_so(tmp_path: Path, run) -> None:
    (tmp_path / "prices.py").write_text(CACHE)
    result = run("check", "--no-cache", "--select", "ACT302", "prices.py")
    assert result.exit_code == 0, result.output
    assert WARNING in result.stderr
    assert "All checks passed!" in result.stdout
    # A prefix selecting it among others does not warn: it names no preview rule on purpose.
    assert WARNING not in run("check", "--no-cache", "--select", "ACT3", "prices.py").stderr
    assert WARNING not in run("check", "--no-cache", "--preview", "--select", "ACT302", "prices.py").stderr


def test_preview_in_config_and_the_flag_that_overrides_it(tmp_path: Path, run) -> None:
    (tmp_path / "prices.py").write_text(CACHE)
    (tmp_path / "pyproject.toml").write_text("[tool.actorlint]\npreview = true\n")
    assert _codes(run("check", "--no-cache", "--output-format", "json", ".").stdout) == ["ACT302"]
    assert _codes(run("check", "--no-cache", "--no-preview", "--output-format", "json", ".").stdout) == []
    (tmp_path / "pyproject.toml").write_text('[tool.actorlint]\npreview = "yes"\n')
    result = run("check", "--no-cache", ".")
    assert result.exit_code == 2
    assert "preview: expected true or false" in result.stderr


def test_rules_and_docs_show_the_status(tmp_path: Path, run) -> None:
    listed = {rule["code"]: rule for rule in json.loads(run("rules", "--output-format", "json").stdout)}
    assert listed["ACT302"]["preview"] is True and listed["ACT201"]["preview"] is False
    line = next(line for line in run("rules").stdout.splitlines() if line.startswith("ACT302"))
    assert " preview " in line
    assert "Status: preview" in render_rule_page(rules_by_code()["ACT302"])
    assert "Status: stable" in render_rule_page(rules_by_code()["ACT101"])
    assert "| preview |" in render_index(ALL_RULES)


def test_the_new_rules_carry_related_locations_in_json_and_sarif(monkeypatch) -> None:
    """ACT302-ACT304 on the example app, as a user runs them: every finding points at the
    place that makes it (the dict, the shared instance, the side effect) in both formats."""
    from click.testing import CliRunner

    from actorlint.cli import cli

    monkeypatch.chdir(Path(__file__).resolve().parents[2] / "examples")
    args = ["check", "--no-cache", "--preview", "--select", "ACT302,ACT303,ACT304"]
    found = json.loads(CliRunner().invoke(cli, args + ["--output-format", "json", "."]).output)
    related = {(d["code"], d["path"], d["line"]): [(r["path"], r["line"], r["message"]) for r in d["related"]]
               for d in found}
    assert related[("ACT302", "shop/price_cache.py", 14)] == [
        ("shop/price_cache.py", 17, "the cached entries: `self.prices`")]
    assert related[("ACT303", "shop/venues.py", 12)] == [
        ("shop/venues.py", 23, "the one shared instance is made or found here"),
        ("shop/venues.py", 13, "blocks: `requests.get`")]
    assert related[("ACT304", "shop/mailer.py", 45)] == [("shop/mailer.py", 20, "sends mail: `smtplib.SMTP.sendmail`")]
    log = json.loads(CliRunner().invoke(cli, args + ["--output-format", "sarif", "."]).output)
    results = log["runs"][0]["results"]
    assert len(results) == len(found)
    assert all(len(r["relatedLocations"]) == len(d["related"]) for r, d in zip(results, found))
