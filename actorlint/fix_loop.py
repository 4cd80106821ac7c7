"""The fix loop: apply every non-conflicting fix, re-parse, re-analyse the changed
files and judge again, until nothing changes. Nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, List, Sequence

from actorlint import judging
from actorlint.analyse import FileJob
from actorlint.cache import Cache
from actorlint.config import Settings
from actorlint.diagnostics import Applicability, Fix
from actorlint.facts_collection import collect_facts, read_inputs, unreported_paths
from actorlint.fixing import SourceFile, apply_fixes, encode_source, parses, source_from_bytes
from actorlint.judging import RunResult
from actorlint.workers import analyse_safely, knowledge_for

__all__ = ["FileChange", "FixResult", "fix_files"]


@dataclass
class FileChange:
    """A file the fixer changed (or would change, with --diff).

    ``original`` is the exact bytes that were analysed and that the fixes were computed
    from: the file may be written only while it still holds them.
    """

    job: FileJob
    source: SourceFile
    text: str
    original: bytes
    fixed: int = 0


@dataclass
class FixResult:
    """What --fix did: the changes, the diagnostics that remain, and files it refused."""

    changes: List[FileChange]
    remaining: RunResult
    fixed: int
    refused: List[str] = field(default_factory=list)


_MAX_FIX_PASSES = 10


def fix_files(jobs: Sequence[FileJob], settings: Settings, *, workers: int = 1,
              use_cache: bool = False, unsafe: bool = False, prefilter: bool = True) -> FixResult:
    """Apply fixes until nothing changes (at most ``_MAX_FIX_PASSES`` passes).

    Each pass applies every non-conflicting fix of every file, re-parses the result (a
    fix that would leave a file unparsable is refused, and the file keeps its previous
    text), then re-analyses the changed files and re-runs the rules on the merged facts,
    so fixes that conflicted or that depend on other fixes get their turn. Nothing is
    written here: the caller writes the changes (or prints them as a diff).
    """
    cache = Cache.open(settings) if use_cache else None
    # Every file's bytes are read once, here: the fixes are computed from these and applied
    # to these, never to whatever is on disk later.
    inputs = read_inputs(jobs, cache, prefilter=True)
    jobs = inputs.jobs
    files = collect_facts(jobs, settings, workers=workers, cache=cache, prefilter=prefilter, inputs=inputs)
    unreported = unreported_paths(jobs)
    result = judging.run_rules(files, settings, unreported)
    changes: Dict[int, FileChange] = {}
    refused: List[str] = []
    blocked: set = set()
    index_of = {job.display_path: i for i, job in enumerate(jobs)}
    fixed = 0
    for _ in range(_MAX_FIX_PASSES):
        wanted: Dict[int, List[Fix]] = {}
        for diagnostic in result.diagnostics:
            fix = diagnostic.fix
            if fix is None or not fix.edits or (fix.applicability is Applicability.UNSAFE and not unsafe):
                continue
            index = index_of.get(diagnostic.path)
            if index is not None and index not in blocked:
                wanted.setdefault(index, []).append(fix)
        progressed = []
        for index, fixes in wanted.items():
            change = changes.get(index)
            if change is None:
                original = jobs[index].source
                try:
                    if original is None:
                        raise OSError("the file could not be read")
                    source = source_from_bytes(original)
                except (OSError, SyntaxError, UnicodeDecodeError) as error:
                    refused.append(f"{jobs[index].display_path}: cannot read for fixing: {error}")
                    blocked.add(index)
                    continue
                change = FileChange(jobs[index], source, source.text, original)
            try:
                text, applied = apply_fixes(change.text, fixes, change.source.newline)
            except ValueError as error:  # a plugin's fix out of the file's range
                refused.append(f"{change.job.display_path}: fixes not applied: {error}")
                blocked.add(index)
                continue
            if not applied or text == change.text:
                continue
            try:
                data = encode_source(change.source, text)
            except UnicodeEncodeError as error:
                refused.append(f"{change.job.display_path}: a fix cannot be encoded in "
                               f"{change.source.encoding}: {error.reason}")
                blocked.add(index)
                continue
            if source_from_bytes(data).text != text:
                refused.append(f"{change.job.display_path}: fixes would change how the file "
                               "decodes (coding cookie) and were not applied (please report this)")
                blocked.add(index)
                continue
            if not parses(text):
                refused.append(f"{change.job.display_path}: fixes would leave the file "
                               "unparsable and were not applied (please report this)")
                blocked.add(index)
                continue
            change.text = text
            change.fixed += len(applied)
            fixed += len(applied)
            changes[index] = change
            jobs[index] = replace(jobs[index], source=data)
            progressed.append(index)
        if not progressed:
            break
        knowledge = knowledge_for(settings)
        for index in progressed:
            files[index] = analyse_safely(jobs[index], knowledge)
        result = judging.run_rules(files, settings, unreported)
    if cache is not None and cache.wrote:
        cache.prune()
    ordered = [changes[i] for i in sorted(changes)]
    return FixResult(ordered, result, sum(c.fixed for c in ordered), refused)
