"""Configuration per file, as in Ruff: each file follows the config file nearest to it,
whichever way it is asked for (a tree, a path, standard input); ``--config`` names one for
every file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, List

from tests.cli_helpers import WORKER, write_tree

ROOT_CONFIG = '[tool.actorlint]\nselect = ["ACT1", "ACT2"]\ncall-timeout = 3\n'
# The service's own config: only ACT101, and a longer call timeout for the fixes.
SERVICE_CONFIG = 'select = ["ACT101"]\ncall-timeout = 9\n'


def _codes(stdout: str) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for row in json.loads(stdout):
        found.setdefault(row["path"], []).append(row["code"])
    return {path: sorted(codes) for path, codes in found.items()}


def _tree(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "service/worker.py": WORKER}, pyproject=ROOT_CONFIG)
    (tmp_path / "service/actorlint.toml").write_text(SERVICE_CONFIG, encoding="utf-8")


def test_each_file_follows_its_nearest_config_however_it_is_asked_for(tmp_path: Path, run) -> None:
    _tree(tmp_path)
    tree = _codes(run("check", "--no-cache", "--output-format", "json", ".").stdout)
    assert tree == {"src/worker.py": ["ACT101", "ACT201", "ACT202"], "service/worker.py": ["ACT101"]}
    alone = _codes(run("check", "--no-cache", "--output-format", "json", "service/worker.py").stdout)
    assert alone == {"service/worker.py": ["ACT101"]}
    both = _codes(run("check", "--no-cache", "--output-format", "json", "src/worker.py", "service/worker.py").stdout)
    assert both == tree
    stdin = run("check", "--no-cache", "--output-format", "json", "--stdin-filename", "service/worker.py", "-",
                input=WORKER)
    assert _codes(stdin.stdout) == {"service/worker.py": ["ACT101"]}
    cached = [_codes(run("check", "--output-format", "json", ".").stdout) for _ in range(2)]
    assert cached == [tree, tree]  # the cache keeps each config's run apart


def test_the_config_flag_governs_every_file(tmp_path: Path, run) -> None:
    _tree(tmp_path)
    result = run("check", "--no-cache", "--output-format", "json", "--config", "pyproject.toml", ".")
    assert _codes(result.stdout) == {"src/worker.py": ["ACT101", "ACT201", "ACT202"],
                                     "service/worker.py": ["ACT101", "ACT201", "ACT202"]}


def test_fixes_use_each_files_settings(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "service/worker.py": WORKER}, pyproject=ROOT_CONFIG)
    (tmp_path / "service/actorlint.toml").write_text('select = ["ACT201"]\ncall-timeout = 9\n', encoding="utf-8")
    result = run("check", "--no-cache", "--fix", "--unsafe-fixes", ".")
    assert result.exit_code == 1  # src/worker.py's ACT101 stays
    assert 'ref.ask("x", timeout=3.0)' in (tmp_path / "src/worker.py").read_text(encoding="utf-8")
    assert 'ref.ask("x", timeout=9.0)' in (tmp_path / "service/worker.py").read_text(encoding="utf-8")


def test_a_nested_config_extends_and_excludes_for_its_own_folder(tmp_path: Path, run) -> None:
    write_tree(tmp_path, {"src/worker.py": WORKER, "generated/worker.py": WORKER, "service/worker.py": WORKER,
                          "service/generated/worker.py": WORKER}, pyproject=ROOT_CONFIG)
    (tmp_path / "service/actorlint.toml").write_text('extend = "../pyproject.toml"\nextend-exclude = ["generated"]\n',
                                                     encoding="utf-8")
    files = run("check", "--show-files", ".").stdout.splitlines()
    assert files == ["generated/worker.py", "service/worker.py", "src/worker.py"]
    shown = run("check", "--show-settings", "service/worker.py").stdout
    assert shown.splitlines()[0] == f"# Configuration file: {tmp_path / 'service' / 'actorlint.toml'}"
    assert "call-timeout = 3.0" in shown  # inherited from the file it extends


def test_a_broken_nested_config_is_an_error_naming_it(tmp_path: Path, run) -> None:
    _tree(tmp_path)
    (tmp_path / "service/actorlint.toml").write_text('select = "ACT101\n', encoding="utf-8")
    result = run("check", "--no-cache", ".")
    assert result.exit_code == 2
    assert "service/actorlint.toml: invalid TOML" in result.stderr
