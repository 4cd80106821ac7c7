"""Per-file work in this process or in a pool of worker processes that survives deaths.

A worker can die under a file: killed by the OOM killer, a signal, a crash in native
code. The pool then breaks and every unfinished job fails with it. Each worker marks the
job it is working on in shared memory, so after a break the jobs that were in progress
are known: each is retried once, alone, in a fresh worker; one that kills that worker
too gets an ACT000 and an internal error (exit 2), and the run goes on with the rest in
a new pool. Jobs that were merely queued are resubmitted without counting an attempt.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import traceback
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from actorlint.analyse import FileJob, analyse, check_syntax, error_diagnostic
from actorlint.config import Settings
from actorlint.model import blocking as blocking_table
from actorlint.model.declared import catalog_for
from actorlint.model.facts import FileFacts
from actorlint.model.frameworks import Catalog
from actorlint.progress import Progress

__all__ = ["Knowledge", "MIN_FILES_FOR_POOL", "Runner", "analyse_safely", "knowledge_for"]

# Below this many files a process pool costs more than it saves.
MIN_FILES_FOR_POOL = 8

_DIED = "worker process analysing it died twice (killed by a signal, or out of memory)"


@dataclass(frozen=True)
class Knowledge:
    """What the collector is told: blocking calls and frameworks, config extensions included."""

    blocking: Mapping[str, blocking_table.BlockingCall]
    catalog: Catalog
    max_file_tokens: int  # the budget of the pre-parse guard (actorlint/complexity.py)


def knowledge_for(settings: Settings) -> Knowledge:
    """The blocking-call table and framework catalog of ``settings``."""
    extensions = settings.extend_blocking_calls
    blocking = blocking_table.with_extensions(extensions) if extensions else blocking_table.BLOCKING_CALLS
    return Knowledge(blocking, catalog_for(settings.frameworks), settings.max_file_tokens)


def analyse_safely(job: FileJob, knowledge: Knowledge) -> FileFacts:
    """``analyse``, with a collector bug reported with the file instead of raised."""
    try:
        return analyse(job, knowledge.blocking, knowledge.catalog, knowledge.max_file_tokens)
    except Exception:  # a collector bug: report it with the file, go on with the rest
        return FileFacts(path=job.display_path, module=job.module, internal_error=traceback.format_exc())


# --- in the worker processes ----------------------------------------------------------

_WORKER_KNOWLEDGE: Optional[Knowledge] = None
_IN_PROGRESS: Any = None  # a shared array: per worker slot, the job index being worked on
_SLOT = -1


def _init_worker(settings: Settings, in_progress: Any, next_slot: Any) -> None:
    global _WORKER_KNOWLEDGE, _IN_PROGRESS, _SLOT
    gc.enable()  # a forked worker inherits the parent's paused collector: see gc_paused
    _WORKER_KNOWLEDGE = knowledge_for(settings)
    _IN_PROGRESS = in_progress
    with next_slot.get_lock():
        _SLOT = next_slot.value
        next_slot.value += 1


def _run_chunk(task: str, chunk: Sequence[Tuple[int, FileJob]]) -> List[Optional[FileFacts]]:
    assert _WORKER_KNOWLEDGE is not None
    results = []
    for index, job in chunk:
        _IN_PROGRESS[_SLOT] = index
        if task == "syntax":
            results.append(check_syntax(job, _WORKER_KNOWLEDGE.max_file_tokens))
        else:
            results.append(analyse_safely(job, _WORKER_KNOWLEDGE))
        _IN_PROGRESS[_SLOT] = -1
    return results


# --- in the main process --------------------------------------------------------------


def _died(job: FileJob) -> FileFacts:
    return FileFacts(path=job.display_path, module=job.module,
                     errors=(error_diagnostic(job.display_path, f"Cannot analyse file: the {_DIED}"),),
                     internal_error=f"The {_DIED}.")


class Runner:
    """Runs per-file work in this process, or in a pool of worker processes created on
    first use and kept for every round of the run (replaced when a worker dies)."""

    def __init__(self, settings: Settings, workers: int, progress: Optional[Progress] = None) -> None:
        self.settings = settings
        self.workers = workers
        self.progress = progress
        self._pool: Optional[ProcessPoolExecutor] = None
        self._in_progress: Any = None
        self._knowledge: Optional[Knowledge] = None

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._pool is not None:
            # Leaving on an exception (Ctrl-C): drop the queued work instead of waiting for it.
            self._pool.shutdown(cancel_futures=exc_type is not None)
            self._pool = None

    def map(self, task: str, jobs: List[FileJob]) -> List[Optional[FileFacts]]:
        """``task`` ("analyse" or "syntax") of every job, in the jobs' order."""
        if self.progress is not None and task == "analyse":
            self.progress.expect(len(jobs))
        if self.workers > 1 and len(jobs) >= MIN_FILES_FOR_POOL:
            return self._map_in_pool(task, jobs)
        return self._map_here(task, jobs)

    def _map_here(self, task: str, jobs: List[FileJob]) -> List[Optional[FileFacts]]:
        """``map`` in this process."""
        if task == "syntax":
            return [check_syntax(job, self.settings.max_file_tokens) for job in jobs]
        if self._knowledge is None:
            self._knowledge = knowledge_for(self.settings)
        results: List[Optional[FileFacts]] = []
        for job in jobs:
            results.append(analyse_safely(job, self._knowledge))
            if self.progress is not None:
                self.progress.advance()
        return results

    def _new_pool(self, workers: int) -> Tuple[ProcessPoolExecutor, Any]:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        in_progress = context.Array("q", [-1] * workers, lock=False)
        next_slot = context.Value("i", 0)
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=(self.settings, in_progress, next_slot))
        return pool, in_progress

    def _map_in_pool(self, task: str, jobs: List[FileJob]) -> List[Optional[FileFacts]]:
        results: Dict[int, Optional[FileFacts]] = {}
        # Large files first, so that no worker is left with a big file at the end.
        pending = sorted(range(len(jobs)), key=lambda i: -_size(jobs[i]))
        breaks_without_suspect = 0
        while pending:
            if breaks_without_suspect >= 2:  # workers die before any job: work here instead
                self.workers = 1
                for index, facts in zip(pending, self._map_here(task, [jobs[i] for i in pending])):
                    results[index] = facts
                break
            if self._pool is None:
                self._pool, self._in_progress = self._new_pool(self.workers)
            suspects = self._run(task, jobs, pending, self._pool, self._in_progress, results)
            if suspects is None:
                break
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            breaks_without_suspect = 0 if suspects else breaks_without_suspect + 1
            for index in suspects:  # each alone, in a fresh worker: its second attempt
                results[index] = self._alone(task, jobs[index])
            pending = [i for i in pending if i not in results]
        return [results[i] for i in range(len(jobs))]

    def _run(self, task: str, jobs: List[FileJob], pending: List[int], pool: ProcessPoolExecutor,
             in_progress: Any, results: Dict[int, Optional[FileFacts]]) -> Optional[List[int]]:
        """Run ``pending`` in ``pool`` into ``results``; None when all went well, else the
        indices that were in progress when the pool broke."""
        size = max(1, min(32, len(pending) // (self.workers * 4) or 1))
        chunks = [pending[i:i + size] for i in range(0, len(pending), size)]
        futures: List[Tuple[List[int], Future]] = [
            (chunk, pool.submit(_run_chunk, task, [(i, jobs[i]) for i in chunk])) for chunk in chunks
        ]
        broken = False
        for chunk, future in futures:
            try:
                produced = future.result()
            except BrokenProcessPool:
                broken = True
                continue
            for index, facts in zip(chunk, produced):
                results[index] = facts
            if self.progress is not None and task == "analyse":
                self.progress.advance(len(chunk))
        if not broken:
            return None
        return sorted({i for i in in_progress if i >= 0 and i not in results})

    def _alone(self, task: str, job: FileJob) -> Optional[FileFacts]:
        pool, in_progress = self._new_pool(1)
        try:
            return pool.submit(_run_chunk, task, [(0, job)]).result()[0]
        except BrokenProcessPool:
            return _died(job)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _size(job: FileJob) -> int:
    if job.source is not None:
        return len(job.source)
    try:
        return os.path.getsize(job.path)
    except OSError:
        return 0

