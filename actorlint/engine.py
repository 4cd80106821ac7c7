"""The pipeline: files -> facts (``facts_collection.py``: parallel, cached, prefiltered)
-> resolution and rules (``judging.py``) -> sorted diagnostics, or the fix loop
(``fix_loop.py``). This module runs a check and keeps the run cache."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from actorlint import judging
from actorlint.analyse import FileJob, gc_paused, module_name_for
from actorlint.cache import Cache, file_stamp
from actorlint.config import Settings
from actorlint.facts_collection import Inputs, collect_facts, read_inputs, unreported_paths
from actorlint.fix_loop import FileChange, FixResult, fix_files
from actorlint.judging import RunResult, run_rules
from actorlint.rules import installed_rules

__all__ = [
    "FileChange", "FileJob", "FixResult", "RunResult", "check_files", "display_path", "fix_files",
    "jobs_for_paths", "run_rules",
]


def display_path(path: Path, cwd: Path) -> str:
    """The path as diagnostics show it: relative to the current directory when inside it."""
    absolute = os.path.abspath(path)
    folder = os.path.join(str(cwd), "")  # with its trailing separator
    if os.sep == "/" and absolute.startswith(folder):
        return absolute[len(folder):]  # the common case, without pathlib's cost per file
    try:
        return Path(absolute).relative_to(cwd).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def check_files(jobs: Sequence[FileJob], settings: Settings, *, workers: int = 1,
                use_cache: bool = False, prefilter: bool = True) -> RunResult:
    """Run the whole pipeline over prepared file jobs (``prefilter``: see collect_facts)."""
    with gc_paused():
        return _check_files(jobs, settings, workers, use_cache, prefilter)


def _check_files(jobs: Sequence[FileJob], settings: Settings, workers: int, use_cache: bool,
                 prefilter: bool) -> RunResult:
    cache = Cache.open(settings) if use_cache else None
    inputs = read_inputs(jobs, cache, prefilter)
    run = _run_key(inputs, settings, prefilter) if cache is not None else None
    if run is not None:
        assert cache is not None
        stored = cache.get_run(*run, RunResult)
        if stored is not None:
            return stored  # nothing changed since the last run like this one
    files = collect_facts(inputs.jobs, settings, workers=workers, cache=cache, prefilter=prefilter,
                          inputs=inputs)
    result = judging.run_rules(files, settings, unreported_paths(inputs.jobs))
    if cache is not None:
        if run is not None and not result.internal_errors:
            cache.put_run(*run, [inputs.keys[i] for i in sorted(inputs.keys)], result)
        if cache.wrote:
            cache.prune()
    return result


def _run_key(inputs: Inputs, settings: Settings, prefilter: bool) -> Optional[Tuple[str, str]]:
    """Where a run's result is kept (a digest of the settings, the folder and the files'
    paths) and the key it is valid for (that, the rules installed and every file's cache
    key); None when a file has no key (standard input, an unreadable file)."""
    if len(inputs.keys) != len(inputs.jobs):
        return None
    slot = hashlib.sha256()
    for part in ("run-1", settings.fingerprint(), str(settings.root), os.getcwd(), str(prefilter)):
        slot.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for job in inputs.jobs:
        slot.update(job.display_path.encode("utf-8", "surrogatepass") + (b"\0" if job.reported else b"\1"))
    key = hashlib.sha256(slot.digest())
    key.update(_rules_identity(settings).encode("utf-8", "surrogatepass"))
    for index in range(len(inputs.jobs)):
        key.update(inputs.keys[index].encode("ascii") + b"\0")
    return slot.hexdigest(), key.hexdigest()


def _rules_identity(settings: Optional[Settings] = None) -> str:
    """Every installed rule and the size and time of the file that defines it."""
    parts = []
    for rule in installed_rules(settings):
        where = getattr(sys.modules.get(rule.__module__), "__file__", None)
        stamp = file_stamp(where) if where else "-"
        parts.append(f"{rule.code} {rule.__module__}.{rule.__qualname__} {stamp}")
    return "\n".join(parts)


def jobs_for_paths(paths: Sequence[Path], cwd: Path, context: Sequence[Path] = ()) -> List[FileJob]:
    """File jobs for discovered paths, and for ``context`` files read but not reported."""
    jobs = []
    packages: Dict[str, Tuple[str, ...]] = {}
    for paths_of_kind, reported in ((paths, True), (context, False)):
        for path in paths_of_kind:
            module, is_package = module_name_for(path, packages)
            jobs.append(FileJob(str(path), display_path(path, cwd), module, is_package, reported=reported))
    return jobs
