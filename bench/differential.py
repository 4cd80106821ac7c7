"""Differential run: every diagnostic, related location and fix edit on the bench corpus,
from this tree and from a pinned earlier commit, compared byte for byte.

    python bench/differential.py [--base COMMIT] [--cache DIR] [--packages NAME ...]

The base commit's files are taken with ``git archive`` into a temporary folder and run
in a child process with that folder first on ``sys.path``, so both runs use the same
installed dependencies. Each package of the corpus is one run with every rule selected
(``ALL``), as a user would check that project. Exit status 1 when any output differs.
CI's sample of the same guarantee is tests/rules/test_recorded_outputs.py (fixtures and
examples); this script is the bench's, over real code.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Dict, List, Optional, Sequence

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from bench.corpus import default_cache, package_folders  # noqa: E402

# The last commit before issue 13's redesign of the collector.
PINNED_BASE = "1f450e5"

# Run in a child process: lint one folder and print every diagnostic in full.
_RUNNER = r"""
import json, sys
from pathlib import Path
from actorlint.config import Settings
from actorlint.discovery import discover
from actorlint.engine import check_files, jobs_for_paths
from actorlint.report.json_format import diagnostic_to_dict

folder = Path(sys.argv[1])
settings = Settings(root=folder).with_overrides(select=("ALL",))
result = check_files(jobs_for_paths(discover([str(folder)], settings), folder), settings, workers=2)
out = []
for diagnostic in result.diagnostics:
    data = diagnostic_to_dict(diagnostic)
    fix = diagnostic.fix
    data["fix"] = None if fix is None else {
        "title": fix.title, "applicability": fix.applicability.value,
        "edits": [[e.start, e.end, e.content] for e in fix.edits],
    }
    out.append(data)
print(json.dumps({"diagnostics": out, "internal_errors": len(result.internal_errors)}, sort_keys=True))
"""


def run_tree(tree: Path, folder: Path) -> str:
    """The JSON output of the actorlint in ``tree`` on ``folder``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, "-c", _RUNNER, str(folder)], env=env, cwd=str(folder),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{tree} failed on {folder}:\n{done.stderr[-2000:]}")
    return done.stdout


def export(commit: str, into: Path) -> Path:
    """The files of ``commit`` under ``into``."""
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", commit], capture_output=True, check=True)
    archive_path = into / "base.tar"
    archive_path.write_bytes(archive.stdout)
    with tarfile.open(archive_path) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=PINNED_BASE, help=f"the commit to compare with (default {PINNED_BASE})")
    parser.add_argument("--cache", type=Path, default=None, help="the corpus folder (see bench/corpus.py)")
    parser.add_argument("--packages", nargs="*", help="only these corpus packages (folder names)")
    args = parser.parse_args(argv)
    folders = package_folders(args.cache or default_cache())
    if args.packages:
        folders = [f for f in folders if f.name in args.packages]
    differing: List[str] = []
    totals: Dict[str, int] = {"diagnostics": 0, "fixes": 0}
    with tempfile.TemporaryDirectory() as temporary:
        base = export(args.base, Path(temporary))
        for folder in folders:
            ours, theirs = run_tree(REPOSITORY, folder), run_tree(base, folder)
            found = json.loads(ours)
            count = len(found["diagnostics"])
            totals["diagnostics"] += count
            totals["fixes"] += sum(1 for d in found["diagnostics"] if d["fix"])
            same = ours == theirs
            print(f"{folder.name:40} {count:6} diagnostics  {'identical' if same else 'DIFFERENT'}")
            if not same:
                differing.append(folder.name)
    print(f"{len(folders)} packages, {totals['diagnostics']} diagnostics ({totals['fixes']} with fixes); "
          f"{len(differing)} differ from {args.base}" + (f": {', '.join(differing)}" if differing else ""))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
