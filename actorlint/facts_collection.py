"""Files -> facts: each file read once, the prefilter's rounds (only files that can
matter are parsed in full), the worker pool, and the per-file cache."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

from actorlint.analyse import FileJob
from actorlint.cache import SYNTAX_ONLY, Cache
from actorlint.config import Settings
from actorlint.model.declared import catalog_for
from actorlint.model.facts import FileFacts
from actorlint.model.resolve import resolve
from actorlint.prefilter import FileWords, PairMatcher, WordMatcher, framework_words, names_found
from actorlint.progress import Progress
from actorlint.source import read_source_bytes
from actorlint.workers import Runner

__all__ = ["Collected", "Inputs", "collect_facts", "collect_project", "pairs_digest", "read_inputs",
           "unreported_paths"]


@dataclass
class Inputs:
    """The jobs with their bytes read (once), and the cache keys of the cacheable ones.

    With stamps known from the last run, a file whose stamp is unchanged keeps its key
    unread (its index is ``pending`` until ``complete`` reads it); ``stamps`` holds each
    cacheable file's stamp as read this time ("" when too recent to trust)."""

    jobs: List[FileJob]
    texts: Dict[int, bytes]
    keys: Dict[int, str]
    stamps: Dict[int, str] = field(default_factory=dict)
    pending: Set[int] = field(default_factory=set)
    cache: Optional[Cache] = None

    def complete(self) -> None:
        """Read the files left unread: the whole pipeline needs every text."""
        for index in sorted(self.pending):
            job = self.jobs[index]
            try:
                data = read_source_bytes(job.path)
            except OSError:
                self.keys.pop(index, None)  # gone since: analysing it reports why
                continue
            self.jobs[index] = replace(job, source=data)
            self.texts[index] = data
            assert self.cache is not None
            self.keys[index] = self.cache.key_for(job, data)  # the same, unless it changed meanwhile
        self.pending.clear()


# A stamp newer than this (nanoseconds) is not trusted: an edit within the file system's
# time granularity could leave it unchanged (git's "racily clean" entries).
_RACY_NS = 2_000_000_000


def trusted_stamp(path: str, now_ns: int) -> Optional[str]:
    """A stamp that changes when the file is edited, replaced or has its times reset:
    size, inode, modification and change times; None when the file cannot be statted,
    "" when it changed too recently to be trusted."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if max(info.st_mtime_ns, info.st_ctime_ns) > now_ns - _RACY_NS:
        return ""
    return f"{info.st_size}:{info.st_ino}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def read_inputs(jobs: Sequence[FileJob], cache: Optional[Cache], prefilter: bool,
                known: Optional[Mapping[str, Tuple[str, str]]] = None) -> Inputs:
    """Read every job's file once and key the cacheable ones. ``known`` (for a run that
    keeps a record): per display path, the (stamp, key) of the last run; a file with the
    same trusted stamp is not read. Stamps are taken only then."""
    jobs = list(jobs)
    inputs = Inputs(jobs, {}, {}, cache=cache)
    now_ns = time.time_ns()
    for index, job in enumerate(jobs):
        cacheable = cache is not None and job.source is None
        if cacheable and known is not None:
            stamp = trusted_stamp(job.path, now_ns)
            if stamp:
                inputs.stamps[index] = stamp
                last = known.get(job.display_path)
                if last is not None and last[0] == stamp:
                    inputs.keys[index] = last[1]
                    inputs.pending.add(index)
                    continue
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
        inputs.texts[index] = data
        if cacheable:
            assert cache is not None
            inputs.keys[index] = cache.key_for(job, data)
    return inputs


@dataclass
class Collected:
    """Every job's facts, and the prefilter's pairs: every (name, module) pair the files
    left syntax-only were checked against (None when no file needed the prefilter)."""

    facts: List[FileFacts]
    pairs: Optional[FrozenSet[Tuple[str, str]]]


def collect_facts(jobs: Sequence[FileJob], settings: Settings, *, workers: int,
                  cache: Optional[Cache], prefilter: bool = True,
                  inputs: Optional[Inputs] = None) -> List[FileFacts]:
    """Facts for every job, from the cache where the file is unchanged.

    With ``prefilter`` (see actorlint/prefilter.py) only the files that can matter are
    parsed in full, in rounds; the others are only checked for syntax. ``inputs``: the
    jobs already read (by ``read_inputs`` with the same cache).
    """
    return collect_project(jobs, settings, workers=workers, cache=cache, prefilter=prefilter,
                           inputs=inputs).facts


def collect_project(jobs: Sequence[FileJob], settings: Settings, *, workers: int,
                    cache: Optional[Cache], prefilter: bool = True,
                    inputs: Optional[Inputs] = None, progress: Optional[Progress] = None) -> Collected:
    """``collect_facts``, with the prefilter's pairs (``progress`` counts the files analysed)."""
    pairs: Optional[FrozenSet[Tuple[str, str]]] = None
    if inputs is None:
        inputs = read_inputs(jobs, cache, prefilter)
    inputs.complete()
    jobs, texts, keys = inputs.jobs, inputs.texts, inputs.keys
    results: Dict[int, FileFacts] = {}
    syntax_only: Dict[int, FileFacts] = {}
    if cache is not None:
        for index, key in keys.items():
            cached = cache.get(key)
            if cached is not None:
                results[index] = cached
                continue
            cached = cache.get(key + SYNTAX_ONLY)
            if cached is not None:
                syntax_only[index] = cached

    with Runner(settings, workers, progress) as runner:

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
            modules = {i: jobs[i].module for i in remaining}
            rest, pairs = _analyse_in_rounds(remaining, texts, modules, results, settings, analyse_all, syntax_only)
            digest = pairs_digest(pairs)
            for index in rest:
                known = syntax_only.get(index)
                if known is not None:
                    # Checked against every pair of this run: say so, or the next run
                    # scans it again.
                    results[index] = known if known.prefilter_digest == digest else \
                        _syntax_only(cache, keys.get(index), replace(known, prefilter_digest=digest))
            unchecked = [i for i in rest if i not in results]
            again = []
            for index, facts in zip(unchecked, runner.map("syntax", [jobs[i] for i in unchecked])):
                if facts is None:
                    again.append(index)  # CPython rejects it: parse in full for the same ACT000
                    continue
                results[index] = _syntax_only(cache, keys.get(index), replace(facts, prefilter_digest=digest))
            analyse_all(again)
    if progress is not None:
        progress.finish()
    return Collected([results[i] for i in range(len(jobs))], pairs)


def _syntax_only(cache: Optional[Cache], key: Optional[str], facts: FileFacts) -> FileFacts:
    """``facts`` of a file left syntax-only, cached under its key."""
    if cache is not None and key is not None:
        cache.put(key + SYNTAX_ONLY, facts)
    return facts


def _analyse_in_rounds(remaining: List[int], texts: Dict[int, bytes], modules: Dict[int, str],
                       results: Dict[int, FileFacts],
                       settings: Settings, analyse_all: Callable[[Sequence[int]], None],
                       syntax_only: Dict[int, FileFacts]) -> Tuple[List[int], FrozenSet[Tuple[str, str]]]:
    """Analyse the files the prefilter picks, round after round; return the others, and
    every (name, module) pair they were checked against.

    Each round looks for new words only: the framework words first, then the pairs the
    files analysed so far define. A file unreadable as text is analysed (to report why).
    A file cached as syntax-only was checked against every pair of its digest; while the
    pairs of this run stay among those, it is not scanned again (a warm run scans nothing).
    """
    catalog = catalog_for(settings.frameworks)
    known = list(results.values())
    initial = names_found(resolve(known, catalog, settle=False), catalog) if known else set()
    initial_digest = pairs_digest(initial)
    parked = {i for i in remaining if i in syntax_only and syntax_only[i].prefilter_digest == initial_digest}
    candidates = set(remaining) - parked
    matcher: Union[PairMatcher, WordMatcher] = WordMatcher(framework_words(catalog))
    file_words = FileWords()
    looked_for: Set[Tuple[str, str]] = set()
    pairs = initial  # the pairs of the facts known so far
    while True:
        picked = sorted(i for i in candidates if i not in texts or matcher.search(texts[i], modules[i]))
        candidates.difference_update(picked)
        if picked:
            analyse_all(picked)
            known = list(results.values())
            pairs = names_found(resolve(known, catalog, settle=False), catalog)
        new_pairs = pairs - looked_for
        if not new_pairs:
            break
        looked_for |= new_pairs
        if parked and not new_pairs <= initial:
            candidates |= parked  # a pair they were never checked against: scan them now
            parked = set()
        matcher = PairMatcher(new_pairs, file_words)
    return sorted(candidates | parked), frozenset(looked_for | initial)


def pairs_digest(pairs: Iterable[Tuple[str, str]]) -> str:
    """The digest of a set of prefilter pairs, which syntax-only facts keep."""
    text = "\n".join(f"{name} {module}" for name, module in sorted(pairs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unreported_paths(jobs: Sequence[FileJob]) -> FrozenSet[str]:
    """The display paths of the files whose findings are not shown: read only as context
    (``FileJob.reported``), or not among the paths asked for (``FileJob.asked``)."""
    return frozenset(job.display_path for job in jobs if not (job.reported and job.asked))
