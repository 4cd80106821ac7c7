"""The GitHub Action (``action.yml``, composite): its steps' scripts run here as a runner
runs them, with the inputs handed over as GitHub does (expressions expanded into the step's
environment), against a small project with findings."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Dict

import yaml

from tests.cli_helpers import PROJECT_ROOT, WORKER, write_tree

ACTION = yaml.safe_load((PROJECT_ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS = {step["name"]: step for step in ACTION["runs"]["steps"]}


def _expand(value: str, context: Dict[str, str]) -> str:
    """``${{ name }}`` expressions replaced from ``context`` (the ones the steps use)."""
    return re.sub(r"\$\{\{\s*([\w.-]+)\s*\}\}", lambda m: context[m.group(1)], value)


def _run_step(name: str, context: Dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    step = STEPS[name]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT)  # stands for the install step's result
    env.update({key: _expand(str(value), context) for key, value in step.get("env", {}).items()})
    folder = cwd / _expand(step.get("working-directory", "."), context)
    script = "actorlint() { python -m actorlint \"$@\"; }\n" + step["run"]
    return subprocess.run(["bash", "-e", "-c", script], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_action_is_composite_and_its_inputs_have_defaults() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {name: spec["default"] for name, spec in ACTION["inputs"].items()} == {
        "version": "", "args": ".", "working-directory": ".", "sarif": "false"}
    for step in ACTION["runs"]["steps"]:  # inputs reach scripts as variables only
        assert "${{" not in step.get("run", "")


def test_the_check_step_annotates_and_fails_on_findings(tmp_path: Path) -> None:
    write_tree(tmp_path, {"service/src/worker.py": WORKER}, pyproject=None)
    (tmp_path / "service" / "pyproject.toml").write_text("[tool.actorlint]\n", encoding="utf-8")
    context = {"inputs.args": "src --select ACT2", "inputs.working-directory": "service",
               "runner.temp": str(tmp_path), "github.action_path": str(PROJECT_ROOT)}
    done = _run_step("Check, annotating the pull request", context, tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("::warning file=src/worker.py,line=")
    assert "ACT201" in done.stdout and "ACT101" not in done.stdout  # the args were passed through


def test_the_sarif_step_writes_a_log_whatever_it_finds(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER}, pyproject="[tool.actorlint]\n")
    context = {"inputs.args": ".", "inputs.working-directory": ".", "runner.temp": str(tmp_path)}
    done = _run_step("Write the SARIF log", context, tmp_path)
    assert done.returncode == 0, done.stderr  # --exit-zero: the upload still runs
    log = json.loads((tmp_path / "actorlint.sarif").read_text(encoding="utf-8"))
    # By hand: the handler sleeps (ACT101) with no time limit (ACT202); the ask has none (ACT201).
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"ACT101", "ACT201", "ACT202"}
    assert STEPS["Upload the SARIF log to code scanning"]["with"]["sarif_file"] == "${{ runner.temp }}/actorlint.sarif"
