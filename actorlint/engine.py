"""The pipeline: files -> facts (``facts_collection.py``: parallel, cached, prefiltered)
-> resolution and rules (``judging.py``) -> sorted diagnostics, or the fix loop
(``fix_loop.py``). This module runs a check and keeps the run cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from actorlint import judging
from actorlint.analyse import FileJob, gc_paused, module_name_of_absolute
from actorlint.cache import Cache, file_stamp
from actorlint.config import Settings
from actorlint.discovery import KEPT, FoundFile
from actorlint.facts_collection import collect_facts, collect_project, read_inputs, unreported_paths
from actorlint.incremental import RunRecord, fact_keys, known_stamps, reuse, run_key, run_slot, stamps_of
from actorlint.fix_loop import FileChange, FixResult, fix_files
from actorlint.judging import RunResult, run_rules
from actorlint.progress import Progress
from actorlint.rules import installed_rules

__all__ = [
    "FileChange", "FileJob", "FixResult", "RunResult", "check_files", "collect_facts", "display_path",
    "fix_files", "jobs_for_found", "jobs_for_paths", "run_rules",
]


def display_path(path: "os.PathLike[str] | str", cwd: Path) -> str:
    """The path as diagnostics show it: relative to the current directory when inside it."""
    return _display_of_absolute(os.path.abspath(path), os.path.join(str(cwd), ""), cwd)


def _display_of_absolute(absolute: str, folder: str, cwd: Path) -> str:
    """display_path of an absolute path; ``folder`` is ``cwd`` with a trailing separator."""
    if os.sep == "/" and absolute.startswith(folder):
        return absolute[len(folder):]  # the common case, without pathlib's cost per file
    try:
        return Path(absolute).relative_to(cwd).as_posix()
    except ValueError:
        return Path(absolute).as_posix()


def check_files(jobs: Sequence[FileJob], settings: Settings, *, workers: int = 1,
                use_cache: bool = False, prefilter: bool = True, progress: Optional[Progress] = None) -> RunResult:
    """Run the whole pipeline over prepared file jobs (``prefilter``: see collect_facts;
    ``progress``: counts the files analysed, for a terminal)."""
    with gc_paused(freeze_if_ending=True):
        return _check_files(jobs, settings, workers, use_cache, prefilter, progress)


def _check_files(jobs: Sequence[FileJob], settings: Settings, workers: int, use_cache: bool,
                 prefilter: bool, progress: Optional[Progress]) -> RunResult:
    cache = Cache.open(settings) if use_cache else None
    # The salt of the facts is in the slot: a record (and the fact keys it lends by stamp)
    # made by other analysis code, or with other frameworks declared, is not this run's.
    slot = run_slot(jobs, settings, prefilter, f"{cache.salt}\0{_rules_identity(settings)}") \
        if cache is not None else None
    stored = cache.get_run(slot, RunRecord) if slot is not None and cache is not None else None
    # Files whose stamps have not changed since the last run keep their keys unread.
    inputs = read_inputs(jobs, cache, prefilter,
                         None if slot is None else known_stamps(jobs, stored[1], stored[2]) if stored else {})
    if slot is None or cache is None or len(inputs.keys) != len(inputs.jobs):  # no record without every key
        files = collect_project(inputs.jobs, settings, workers=workers, cache=cache, prefilter=prefilter,
                                inputs=inputs, progress=progress).facts
        return judging.run_rules(files, settings, unreported_paths(inputs.jobs))
    keys = fact_keys(inputs)
    key = run_key(keys)
    if stored is not None:
        stored_key, old_keys, _, record = stored
        if stored_key == key:
            return record.answer(inputs.jobs)  # nothing changed since the last run like this one
        reused = reuse(record, old_keys, inputs, cache, settings, prefilter) if len(old_keys) == len(keys) else None
        if reused is not None:
            cache.put_run(slot, key, keys, stamps_of(inputs), reused)
            return reused.answer(inputs.jobs)
    collected = collect_project(inputs.jobs, settings, workers=workers, cache=cache, prefilter=prefilter,
                                inputs=inputs, progress=progress)
    # Every file a tree run reports is judged, so that the record answers any part of the
    # project; only the files asked for are shown.
    judged = judging.run_rules(collected.facts, settings,
                               frozenset(job.display_path for job in inputs.jobs if not job.reported))
    record = RunRecord.of(judged, collected.facts, inputs, settings, collected.pairs if prefilter else frozenset())
    if not judged.internal_errors and len(inputs.keys) == len(inputs.jobs):
        keys = fact_keys(inputs)  # every file is read by now: one may have changed since its stamp
        cache.put_run(slot, run_key(keys), keys, stamps_of(inputs), record)
    if cache.wrote:
        cache.prune()
    result = record.answer(inputs.jobs)
    result.internal_errors = judged.internal_errors
    return result


def _rules_identity(settings: Optional[Settings] = None) -> str:
    """Every installed rule and the size and time of the file that defines it."""
    parts = []
    for rule in installed_rules(settings):
        where = getattr(sys.modules.get(rule.__module__), "__file__", None)
        stamp = file_stamp(where) if where else "-"
        parts.append(f"{rule.code} {rule.__module__}.{rule.__qualname__} {stamp}")
    return "\n".join(parts)


def jobs_for_paths(paths: Sequence[Path], cwd: Path) -> List[FileJob]:
    """File jobs for paths to check and report."""
    return jobs_for_found([FoundFile(str(path), os.path.abspath(path), KEPT) for path in paths], cwd)


def jobs_for_found(found: Sequence[FoundFile], cwd: Path, context: Sequence[FoundFile] = (),
                   unasked: Sequence[FoundFile] = ()) -> List[FileJob]:
    """File jobs for discovered files, for ``context`` files read but never reported, and
    for ``unasked`` files of the project read (and judged) but not shown this time."""
    jobs = []
    packages: Dict[str, Tuple[str, ...]] = {}
    folder = os.path.join(str(cwd), "")
    for files, reported, asked in ((found, True, True), (unasked, True, False), (context, False, False)):
        for file in files:
            module, is_package = module_name_of_absolute(file.absolute, packages)
            jobs.append(FileJob(file.path, _display_of_absolute(file.absolute, folder, cwd), module, is_package,
                                reported=reported, asked=asked))
    return jobs
