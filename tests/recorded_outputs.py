"""Every diagnostic the linter gives on every fixture and on ``examples/``, with its related
locations and its fix's edits, recorded in ``tests/data/recorded_outputs.json``: the
yardstick of behaviour-preserving changes (issue 13's redesign must leave it unchanged,
byte for byte). tests/rules/test_recorded_outputs.py compares a run with it.

    python -m tests.recorded_outputs --write   # after a change meant to alter output

Review the diff of the JSON before committing it: every changed line is a changed finding.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

from actorlint.config import Settings
from actorlint.diagnostics import Diagnostic
from actorlint.engine import check_files, jobs_for_paths
from actorlint.report.json_format import diagnostic_to_dict
from tests.fixture_harness import FIXTURES, expected_for, fixture_settings, working_folder

ROOT = Path(__file__).resolve().parent.parent
RECORDED = Path(__file__).parent / "data" / "recorded_outputs.json"

Case = Tuple[str, List[Path], Path, Settings]


def cases() -> Iterator[Case]:
    """Each fixture file alone and each fixture project, with the settings its fixture
    test uses; and ``examples/`` with every rule."""
    for path in sorted(FIXTURES.glob("*.py")):
        if path.name.endswith(".fixed.py"):
            continue
        yield path.name, [path], FIXTURES, fixture_settings([path], FIXTURES, expected_for([path], FIXTURES))
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("__")):
        files = sorted(folder.rglob("*.py"))
        yield folder.name + "/", files, folder, fixture_settings(files, folder, expected_for(files, folder))
    examples = ROOT / "examples"
    files = sorted(examples.rglob("*.py"))
    yield "examples/", files, examples, Settings(root=examples)


def canonical(diagnostic: Diagnostic) -> Dict[str, Any]:
    """Everything a user can see of a diagnostic, as plain JSON data: the ``json``
    format's object, with the fix's title, applicability and edits in full."""
    data = diagnostic_to_dict(diagnostic)
    fix = diagnostic.fix
    data["fix"] = None if fix is None else {
        "title": fix.title, "applicability": fix.applicability.value,
        "edits": [[e.start, e.end, e.content] for e in fix.edits],
    }
    return data


def run_case(files: List[Path], root: Path, settings: Settings) -> List[Dict[str, Any]]:
    with working_folder(root):
        result = check_files(jobs_for_paths(files, root), settings)
    assert not result.internal_errors, result.internal_errors
    return [canonical(d) for d in result.diagnostics]


def record_all() -> Dict[str, List[Dict[str, Any]]]:
    return {name: run_case(files, root, settings) for name, files, root, settings in cases()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {RECORDED.relative_to(ROOT)}")
    args = parser.parse_args()
    recorded = record_all()
    text = json.dumps(recorded, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if args.write:
        RECORDED.parent.mkdir(parents=True, exist_ok=True)
        RECORDED.write_text(text, encoding="utf-8")
        print(f"wrote {sum(map(len, recorded.values()))} diagnostics of {len(recorded)} cases")
    else:
        print(text)


if __name__ == "__main__":
    main()
