"""Reusing the last run's findings: one record per way of checking a project, and the test
that the files changed since cannot change those findings.

A record (the cache's ``runs/<slot>``) belongs to one project as a run sees it: the
settings, the folder, the set of files and the rules installed make its slot. It holds
the fact key each file had, the findings of every file the run judged (selection and
suppressions applied), and what the prefilter needs to judge one changed file alone. A
later run in the same slot:

* with the same fact keys reports the record's findings for the files asked for, so a
  few files asked for (pre-commit's staged files) are answered from a tree run's record;
* with a few files changed analyses only those. When each one's facts are, byte for byte,
  what they were, and the prefilter would pick it (or leave it) as before, nothing any
  other file or rule reads has changed, and the record's findings stand. That is the
  common edit: a module that uses no actor, a comment, a docstring, a body whose lines
  keep their places. When a changed file's facts differ from what they were only in
  positions (code moved by lines inserted or removed), the findings move with it
  (``position_shift.py``). Anything else runs the whole pipeline, which finds the changed
  files' facts in the cache.

Why the prefilter test is exact: the files analysed in full are the least set closed under
"a file naming a framework word or a pair found in the set's facts". A changed file whose
facts are unchanged keeps that set the same when it still names a framework word, or when
the pairs of the record it matches are the ones its old text matched (kept in the record
for the files picked through pairs). A file left syntax-only must still match nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from actorlint import serial
from actorlint.analyse import FileJob
from actorlint.cache import SYNTAX_ONLY, Cache
from actorlint.config import Settings
from actorlint.diagnostics import Diagnostic
from actorlint.facts_collection import Inputs, pairs_digest
from actorlint.judging import RunResult
from actorlint.model.declared import catalog_for
from actorlint.model.facts import FileFacts
from actorlint.model.resolve import resolve
from actorlint.position_shift import Shift, moves_apply, shift_between, shift_findings
from actorlint.prefilter import FileWords, PairMatcher, framework_matcher, names_found
from actorlint.workers import Runner

__all__ = ["MAX_CHANGED_FILES", "RunRecord", "fact_keys", "known_stamps", "reuse", "run_key", "run_slot",
           "stamps_of"]

# Beyond this many changed files the whole pipeline (with its worker pool) is cheaper.
MAX_CHANGED_FILES = 16

Pair = Tuple[str, str]


@dataclass
class RunRecord:
    """A run's findings for every file it reports, and what a later run needs to reuse them.

    Every reported file is judged, asked for or not, so a record answers a run of any part
    of its project (its slot fixes which files are reported)."""

    diagnostics: List[Diagnostic]
    # The reported files a ``skip-file`` comment leaves out (they do not count as checked).
    skipped: Tuple[str, ...]
    # The prefilter's pairs (none without the prefilter), and, for each file analysed in
    # full although it names no framework word, the pairs its text matches.
    pairs: Tuple[Pair, ...]
    pickers: Tuple[Tuple[str, Tuple[Pair, ...]], ...]

    @classmethod
    def of(cls, judged: RunResult, facts: Sequence[FileFacts], inputs: Inputs, settings: Settings,
           pairs: Optional[FrozenSet[Pair]]) -> "RunRecord":
        """The record of a run that judged every reported file of ``inputs`` (``pairs``:
        the prefilter's, None when it ran no round)."""
        reported = frozenset(job.display_path for job in inputs.jobs if job.reported)
        skipped = tuple(sorted(f.path for f in facts if f.skipped and f.path in reported))
        if pairs is None:  # every file came from the cache: the pairs its facts define
            catalog = catalog_for(settings.frameworks)
            pairs = frozenset(names_found(resolve(facts, catalog, settle=False), catalog))
        return cls(list(judged.diagnostics), skipped, tuple(sorted(pairs)),
                   _pickers(facts, inputs, pairs) if pairs else ())

    def answer(self, jobs: Sequence[FileJob]) -> RunResult:
        """The result of a run of ``jobs``: the findings of the files they ask for."""
        asked = frozenset(job.display_path for job in jobs if job.reported and job.asked)
        return RunResult([d for d in self.diagnostics if d.path in asked],
                         len(asked) - sum(1 for path in self.skipped if path in asked))


def run_slot(jobs: Sequence[FileJob], settings: Settings, prefilter: bool, identity: str) -> Optional[str]:
    """The slot of a run's record: a digest of the settings, the folder, the code that
    makes facts and judges them (``identity``) and the project's files (not which of them
    are asked for); None when a file is not read from
    disk (standard input): such a run keeps no record (nor does one with a file that
    cannot be read)."""
    if any(job.source is not None for job in jobs):
        return None
    slot = hashlib.sha256()
    for part in ("run-2", settings.fingerprint(), str(settings.root), os.getcwd(), str(prefilter), identity):
        slot.update(part.encode("utf-8", "surrogatepass") + b"\0")
    for path, reported in sorted((job.display_path, job.reported) for job in jobs):
        slot.update(path.encode("utf-8", "surrogatepass") + (b"\0" if reported else b"\1"))
    return slot.hexdigest()


def _by_path(inputs: Inputs) -> List[int]:
    """The indices of the files, in the order of their display paths (the record's)."""
    return sorted(range(len(inputs.jobs)), key=lambda i: inputs.jobs[i].display_path)


def fact_keys(inputs: Inputs) -> Tuple[str, ...]:
    """Every file's fact key, in the order of the files' display paths."""
    return tuple(inputs.keys[i] for i in _by_path(inputs))


def stamps_of(inputs: Inputs) -> Tuple[str, ...]:
    """Every file's stamp ("" when not trusted), in the order of the files' display paths."""
    return tuple(inputs.stamps.get(i, "") for i in _by_path(inputs))


def known_stamps(jobs: Sequence[FileJob], keys: Sequence[str], stamps: Sequence[str]) -> Dict[str, Tuple[str, str]]:
    """A record's (stamp, key) per display path, for ``read_inputs``. The record lists
    them in the order of its files' display paths, which are this run's (its slot says
    so): they are paired in that order. Files without a trusted stamp are left out."""
    paths = sorted(job.display_path for job in jobs)
    if len(paths) != len(keys):
        return {}
    return {path: (stamp, key) for path, key, stamp in zip(paths, keys, stamps) if stamp}


def run_key(keys: Sequence[str]) -> str:
    """The key a record is valid for: its files' fact keys."""
    digest = hashlib.sha256()
    for key in keys:
        digest.update(key.encode("ascii") + b"\0")
    return digest.hexdigest()


def _pickers(facts: Sequence[FileFacts], inputs: Inputs, pairs: FrozenSet[Pair],
             ) -> Tuple[Tuple[str, Tuple[Pair, ...]], ...]:
    """For each file analysed in full that names no framework word, the pairs it matches."""
    matcher = PairMatcher(pairs, FileWords())
    found = []
    for index, file_facts in enumerate(facts):
        text = inputs.texts.get(index)
        if file_facts.parsed and not file_facts.names_framework and text is not None:
            job = inputs.jobs[index]
            found.append((job.display_path, tuple(sorted(matcher.matched(text, job.module)))))
    return tuple(sorted(found))


def reuse(record: RunRecord, old_keys: Sequence[str], inputs: Inputs, cache: Cache,
          settings: Settings, prefilter: bool) -> Optional[RunRecord]:
    """The findings of ``record`` as they hold for ``inputs``, whose files changed since it
    was written are analysed here (and cached); None unless the prefilter treats every
    changed file as it did and its facts are those it had, or differ from them only in
    positions (code moved by the edit: the findings move with it, see position_shift)."""
    changed = [(index, old) for index, old in zip(_by_path(inputs), old_keys) if inputs.keys[index] != old]
    if not changed or len(changed) > MAX_CHANGED_FILES:
        return None
    words = framework_matcher(catalog_for(settings.frameworks))
    matcher = PairMatcher(record.pairs, FileWords())
    pickers = dict(record.pickers)
    full: List[Tuple[int, bytes]] = []
    syntax: List[Tuple[int, bytes]] = []
    for index, old in changed:
        job, text = inputs.jobs[index], inputs.texts.get(index)
        if text is None:
            return None
        stored = cache.entry(old)
        if stored is not None:
            if prefilter and not words.search(text):
                known = pickers.get(job.display_path)
                if known is None or tuple(sorted(matcher.matched(text, job.module))) != known:
                    return None
            full.append((index, stored))
            continue
        stored = cache.entry(old + SYNTAX_ONLY)
        if stored is None or not prefilter or words.search(text) or matcher.search(text, job.module):
            return None
        syntax.append((index, stored))
    moved: Dict[str, Shift] = {}
    # A text seen before (an undone edit, a branch switched back) has its facts cached.
    for wanted, suffix in ((full, ""), (syntax, SYNTAX_ONLY)):
        for index, stored in list(wanted):
            known = cache.entry(inputs.keys[index] + suffix)
            if known is None:
                continue
            if known != stored:
                shift = _moved_only(stored, known, settings) if not suffix else None
                if shift is None:
                    return None
                moved[inputs.jobs[index].display_path] = shift
            wanted.remove((index, stored))
    digest = pairs_digest(record.pairs)
    with Runner(settings, 1) as runner:
        for task, wanted in (("syntax", syntax), ("analyse", full)):
            if not wanted:
                continue
            jobs = [inputs.jobs[index] for index, _ in wanted]
            for (index, stored), facts in zip(wanted, runner.map(task, jobs)):
                if facts is None or facts.internal_error is not None:
                    return None
                key = inputs.keys[index]
                if task == "syntax":
                    facts = replace(facts, prefilter_digest=digest)
                    key += SYNTAX_ONLY
                cache.put(key, facts)
                if serial.dumps(facts) == stored:
                    continue
                shift = _moved_only(stored, serial.dumps(facts), settings) if task == "analyse" else None
                if shift is None:
                    return None
                moved[inputs.jobs[index].display_path] = shift
    if not moved:
        return record
    diagnostics = shift_findings(record.diagnostics, moved)
    return None if diagnostics is None else replace(record, diagnostics=diagnostics)


def _moved_only(stored: bytes, now: bytes, settings: Settings) -> Optional[Shift]:
    """The shift from a file's stored facts to those it has ``now`` (both as the cache
    keeps them) when only positions differ; None otherwise, or when a plugin's rules run
    (they may read positions their own way)."""
    if not moves_apply(settings):
        return None
    try:
        return shift_between(serial.loads(stored, FileFacts), serial.loads(now, FileFacts))
    except serial.ShapeError:
        return None
