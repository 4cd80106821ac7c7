"""The pipeline: files -> facts (parallel, cached) -> resolution -> rules -> suppressions
-> selection -> sorted diagnostics. The only module that knows every stage."""

from __future__ import annotations

import hashlib
import os
import sys
import traceback
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ContextManager, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple, Union

from actorlint.analyse import FileJob, gc_paused, module_name_for
from actorlint.source import read_source_bytes
from actorlint.cache import Cache, file_stamp
from actorlint.config import BUILTIN_LETTERS, Settings
from actorlint.deadline import bounded
from actorlint.diagnostics import Applicability, Diagnostic, Edit, Fix
from actorlint.fixing import (
    SourceFile, apply_fixes, encode_source, parses, source_from_bytes,
)
from actorlint.model.declared import catalog_for
from actorlint.model.facts import FileFacts, ProjectFacts
from actorlint.model.resolve import resolve
from actorlint.printable import printable
from actorlint.prefilter import FileWords, PairMatcher, WordMatcher, framework_words, names_found
from actorlint.rules import FileRule, ProjectRule, installed_rules
from actorlint.workers import Runner, analyse_safely, knowledge_for

__all__ = ["RunResult", "check_files", "display_path"]


@dataclass
class RunResult:
    """What a run found: the diagnostics to report and any internal errors."""

    diagnostics: List[Diagnostic]
    files_checked: int
    internal_errors: List[str] = field(default_factory=list)


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


_SYNTAX_ONLY = "-syntax"


@dataclass
class _Inputs:
    """The jobs with their bytes read (once), and the cache keys of the cacheable ones."""

    jobs: List[FileJob]
    texts: Dict[int, bytes]
    keys: Dict[int, str]


def _read_inputs(jobs: Sequence[FileJob], cache: Optional[Cache], prefilter: bool) -> _Inputs:
    jobs = list(jobs)
    texts: Dict[int, bytes] = {}
    keys: Dict[int, str] = {}
    for index, job in enumerate(jobs):
        cacheable = cache is not None and job.source is None
        data = job.source
        if data is None and (cacheable or prefilter):
            try:
                data = read_source_bytes(job.path)
            except OSError:
                data = None  # analysing it reports why
            if data is not None:
                jobs[index] = replace(job, source=data)  # read once
        if data is None:
            continue
        texts[index] = data
        if cacheable:
            assert cache is not None
            keys[index] = cache.key_for(job, data)
    return _Inputs(jobs, texts, keys)


def collect_facts(jobs: Sequence[FileJob], settings: Settings, *, workers: int,
                  cache: Optional[Cache], prefilter: bool = True,
                  inputs: Optional[_Inputs] = None) -> List[FileFacts]:
    """Facts for every job, from the cache where the file is unchanged.

    With ``prefilter`` (see actorlint/prefilter.py) only the files that can matter are
    parsed in full, in rounds; the others are only checked for syntax. ``inputs``: the
    jobs already read (by ``_read_inputs`` with the same cache).
    """
    if inputs is None:
        inputs = _read_inputs(jobs, cache, prefilter)
    jobs, texts, keys = inputs.jobs, inputs.texts, inputs.keys
    results: Dict[int, FileFacts] = {}
    syntax_only: Dict[int, FileFacts] = {}
    if cache is not None:
        for index, key in keys.items():
            cached = cache.get(key)
            if cached is not None:
                results[index] = cached
                continue
            cached = cache.get(key + _SYNTAX_ONLY)
            if cached is not None:
                syntax_only[index] = cached

    with Runner(settings, workers) as runner:

        def analyse_all(indices: Sequence[int]) -> None:
            indices = list(indices)
            for index, facts in zip(indices, runner.map("analyse", [jobs[i] for i in indices])):
                assert facts is not None
                results[index] = facts
                if cache is not None and index in keys and facts.internal_error is None:
                    cache.put(keys[index], facts)

        remaining = [i for i in range(len(jobs)) if i not in results]
        if not prefilter:
            analyse_all(remaining)
        elif remaining:
            rest, digest = _analyse_in_rounds(remaining, texts, results, settings, analyse_all, syntax_only)
            for index in rest:
                if index in syntax_only:
                    results[index] = syntax_only[index]
            unchecked = [i for i in rest if i not in results]
            again = []
            for index, facts in zip(unchecked, runner.map("syntax", [jobs[i] for i in unchecked])):
                if facts is None:
                    again.append(index)  # CPython rejects it: parse in full for the same ACT000
                    continue
                results[index] = facts
                if cache is not None and index in keys:
                    cache.put(keys[index] + _SYNTAX_ONLY, replace(facts, prefilter_digest=digest))
            analyse_all(again)
    return [results[i] for i in range(len(jobs))]


def _analyse_in_rounds(remaining: List[int], texts: Dict[int, bytes], results: Dict[int, FileFacts],
                       settings: Settings, analyse_all: Callable[[Sequence[int]], None],
                       syntax_only: Dict[int, FileFacts]) -> Tuple[List[int], str]:
    """Analyse the files the prefilter picks, round after round; return the others, and
    the digest of every (name, module) pair they were checked against.

    Each round looks for new words only: the framework words first, then the pairs the
    files analysed so far define. A file unreadable as text is analysed (to report why).
    A file cached as syntax-only was checked against every pair of its digest; while the
    pairs of this run stay among those, it is not scanned again (a warm run scans nothing).
    """
    catalog = catalog_for(settings.frameworks)
    known = list(results.values())
    initial = names_found(resolve(known, catalog), catalog) if known else set()
    initial_digest = _pairs_digest(initial)
    parked = {i for i in remaining if i in syntax_only and syntax_only[i].prefilter_digest == initial_digest}
    candidates = set(remaining) - parked
    matcher: Union[PairMatcher, WordMatcher] = WordMatcher(framework_words(catalog))
    file_words = FileWords()
    looked_for: Set[Tuple[str, str]] = set()
    pairs = initial  # the pairs of the facts known so far
    while True:
        picked = sorted(i for i in candidates if i not in texts or matcher.search(texts[i]))
        candidates.difference_update(picked)
        if picked:
            analyse_all(picked)
            known = list(results.values())
            pairs = names_found(resolve(known, catalog), catalog)
        new_pairs = pairs - looked_for
        if not new_pairs:
            break
        looked_for |= new_pairs
        if parked and not new_pairs <= initial:
            candidates |= parked  # a pair they were never checked against: scan them now
            parked = set()
        matcher = PairMatcher(new_pairs, file_words)
    return sorted(candidates | parked), _pairs_digest(looked_for | initial)


def _pairs_digest(pairs: Set[Tuple[str, str]]) -> str:
    text = "\n".join(f"{name} {module}" for name, module in sorted(pairs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def run_rules(files: Sequence[FileFacts], settings: Settings,
              unreported: FrozenSet[str] = frozenset()) -> RunResult:
    """Resolve facts across files, run every enabled rule, apply suppressions and selection.

    Files whose paths are in ``unreported`` take part in resolution (what they define is
    known) but none of their diagnostics is kept, and they do not count as checked."""
    internal: List[str] = []
    for facts in files:
        if facts.internal_error:
            internal.append(f"internal error while analysing {printable(facts.path)}:\n{facts.internal_error}")
    project: ProjectFacts = resolve(files, catalog_for(settings.frameworks))
    rules = []
    for rule_class in installed_rules(settings):
        if settings.is_enabled(rule_class.code):
            try:
                with _bounded_if_plugin(rule_class.code, settings, "starting"):
                    rules.append(rule_class(settings))
            except KeyboardInterrupt:
                raise
            except BaseException:  # a plugin's rule: SystemExit included, contained
                internal.append(f"internal error in rule {rule_class.code}{_origin(rule_class.code)} "
                                f"while starting:\n{traceback.format_exc()}")
    found: List[Diagnostic] = []
    for facts in files:
        if facts.path in unreported:
            continue
        found.extend(facts.errors)
        for rule in rules:
            if isinstance(rule, FileRule):
                found.extend(_contained(rule, lambda: rule.check(facts, project), facts.path, internal, settings))
    for rule in rules:
        if isinstance(rule, ProjectRule):
            found.extend(_contained(rule, lambda: rule.check(project), None, internal, settings))

    by_path = {facts.path: facts for facts in files}
    kept = []
    for diagnostic in found:
        if diagnostic.path in unreported or not settings.is_enabled(diagnostic.code):
            continue
        if settings.is_ignored_for(diagnostic.code, Path(os.path.abspath(diagnostic.path))):
            continue
        facts = by_path.get(diagnostic.path)
        marks = facts.suppressions if facts is not None else None
        if marks is not None and marks.is_suppressed(diagnostic):
            continue
        kept.append(_with_configured_safety(diagnostic, settings))
    kept = sorted(set(kept), key=lambda d: d.sort_key)
    checked = sum(1 for facts in files if not facts.skipped and facts.path not in unreported)
    return RunResult(kept, checked, internal)


def _contained(rule: object, check: Callable[[], object], path: Optional[str],
               internal: List[str], settings: Settings) -> List[Diagnostic]:
    """What ``check`` (a rule's ``check``) yields, checked: any exception it raises
    (SystemExit included; not KeyboardInterrupt) or anything it yields that is not a
    diagnostic of its own code with a well-formed fix becomes an internal error naming the
    rule, its plugin and the file, and the run goes on. A plugin's check that overruns
    ``plugin-timeout`` stops the run (actorlint/deadline.py)."""
    code = getattr(rule, "code", "?")

    def where() -> str:  # only on failure: this runs for every rule on every file
        return f"{code}{_origin(code)}" + (f" on {printable(path)}" if path else "")

    try:
        with _bounded_if_plugin(code, settings, "checking" + (f" {path}" if path else " the project")):
            produced = list(check())  # type: ignore[call-overload]
    except KeyboardInterrupt:
        raise
    except BaseException:
        internal.append(f"internal error in rule {where()}:\n{traceback.format_exc()}")
        return []
    kept = []
    for item in produced:
        problem = _diagnostic_problem(item, code)
        if problem is None:
            kept.append(item)
        else:
            internal.append(f"internal error in rule {where()}: {problem}; dropped")
    return kept


def _bounded_if_plugin(code: str, settings: Settings, doing: str) -> ContextManager[None]:
    """A plugin rule's work, bounded by ``plugin-timeout``; a built-in's, unbounded."""
    if code.startswith(BUILTIN_LETTERS):
        return nullcontext()
    return bounded(settings.plugin_timeout, f"rule {code}{_origin(code)} {doing}")


def _diagnostic_problem(item: object, code: str) -> Optional[str]:
    if not isinstance(item, Diagnostic):
        return f"it yielded a {type(item).__name__}, not a Diagnostic"
    if item.code != code:
        return f"it yielded a diagnostic with another rule's code ({printable(str(item.code))})"
    fix = item.fix
    if fix is None:
        return None
    if not isinstance(fix, Fix) or not all(isinstance(edit, Edit) for edit in fix.edits):
        return "its fix is not a Fix of Edits"
    edits = sorted((edit.start, edit.end) for edit in fix.edits)
    if any(not (isinstance(s, int) and isinstance(e, int) and 0 <= s <= e) for s, e in edits):
        return "its fix has an edit with a negative or reversed range"
    if any(later[0] < earlier[1] for earlier, later in zip(edits, edits[1:])):
        return "its fix has overlapping edits"
    return None


def _origin(code: str) -> str:
    """`` (plugin dist version)`` for a plugin's code, "" for a built-in one."""
    if code.startswith(BUILTIN_LETTERS) or "actorlint.plugins" not in sys.modules:
        return ""
    origin = sys.modules["actorlint.plugins"].load_plugins().origins.get(code)  # type: ignore[attr-defined]
    return f" (plugin {origin.distribution} {origin.version})" if origin is not None else ""


def _with_configured_safety(diagnostic: Diagnostic, settings: Settings) -> Diagnostic:
    """Apply ``extend-safe-fixes`` / ``extend-unsafe-fixes`` to a diagnostic's fix."""
    fix = diagnostic.fix
    if fix is None:
        return diagnostic
    declared_safe = fix.applicability is Applicability.SAFE
    safe = settings.fix_is_safe(diagnostic.code, declared_safe)
    if safe == declared_safe:
        return diagnostic
    applicability = Applicability.SAFE if safe else Applicability.UNSAFE
    return replace(diagnostic, fix=replace(fix, applicability=applicability))


def check_files(jobs: Sequence[FileJob], settings: Settings, *, workers: int = 1,
                use_cache: bool = False, prefilter: bool = True) -> RunResult:
    """Run the whole pipeline over prepared file jobs (``prefilter``: see collect_facts)."""
    with gc_paused():
        return _check_files(jobs, settings, workers, use_cache, prefilter)


def _check_files(jobs: Sequence[FileJob], settings: Settings, workers: int, use_cache: bool,
                 prefilter: bool) -> RunResult:
    cache = Cache.open(settings) if use_cache else None
    inputs = _read_inputs(jobs, cache, prefilter)
    run = _run_key(inputs, settings, prefilter) if cache is not None else None
    if run is not None:
        assert cache is not None
        stored = cache.get_run(*run, RunResult)
        if stored is not None:
            return stored  # nothing changed since the last run like this one
    files = collect_facts(inputs.jobs, settings, workers=workers, cache=cache, prefilter=prefilter,
                          inputs=inputs)
    result = run_rules(files, settings, _unreported(inputs.jobs))
    if cache is not None:
        if run is not None and not result.internal_errors:
            cache.put_run(*run, [inputs.keys[i] for i in sorted(inputs.keys)], result)
        if cache.wrote:
            cache.prune()
    return result


def _run_key(inputs: _Inputs, settings: Settings, prefilter: bool) -> Optional[Tuple[str, str]]:
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
    inputs = _read_inputs(jobs, cache, prefilter=True)
    jobs = inputs.jobs
    files = collect_facts(jobs, settings, workers=workers, cache=cache, prefilter=prefilter, inputs=inputs)
    unreported = _unreported(jobs)
    result = run_rules(files, settings, unreported)
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
        result = run_rules(files, settings, unreported)
    if cache is not None and cache.wrote:
        cache.prune()
    ordered = [changes[i] for i in sorted(changes)]
    return FixResult(ordered, result, sum(c.fixed for c in ordered), refused)


def _unreported(jobs: Sequence[FileJob]) -> FrozenSet[str]:
    return frozenset(job.display_path for job in jobs if not job.reported)


def jobs_for_paths(paths: Sequence[Path], cwd: Path, context: Sequence[Path] = ()) -> List[FileJob]:
    """File jobs for discovered paths, and for ``context`` files read but not reported."""
    jobs = []
    packages: Dict[str, Tuple[str, ...]] = {}
    for paths_of_kind, reported in ((paths, True), (context, False)):
        for path in paths_of_kind:
            module, is_package = module_name_for(path, packages)
            jobs.append(FileJob(str(path), display_path(path, cwd), module, is_package, reported=reported))
    return jobs
