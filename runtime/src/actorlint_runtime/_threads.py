"""``isolation="thread"``, the default: the body runs in a pooled worker thread, and the
caller stops waiting for it at the limit.

Python cannot stop a thread safely: an exception injected into it lands anywhere (inside
a ``finally``, between ``lock.acquire()`` and the ``try`` that releases it, inside
``queue.Queue``'s own critical sections) and cannot interrupt a blocking C call at all.
So nothing here interrupts anything. The caller (an actor's own thread) hands the body
to a worker thread and waits at most the limit; past it, the caller raises (or returns
``on_timeout``'s value) and serves its next message, while the body is *abandoned*: it
runs on to its natural end in its worker thread, and whatever it returns or raises then
is dropped. Its ``finally`` blocks and ``with`` exits run as they always do, so it can
leave no lock held that it would not have left held anyway.

What an abandoned body may still do is change what it can reach (the actor's ``self``
included) while the actor serves later messages. ``committing()`` is the guard: a block
under it runs only while the caller is still waiting, and the caller, at the limit,
waits for a block already under way to finish (keep those blocks to a few assignments).

Abandoned bodies are counted; past ``max_abandoned`` still running, calls are refused
at once (``TooManyAbandoned``) rather than piling up stuck threads. ``stats()`` reports
the counts for monitoring.

Each call costs two lock hand-offs between the caller and an idle worker; workers are
started on demand, kept while busy and ended after a minute idle (or at once beyond
``_MAX_IDLE``). The body runs in a copy of the caller's ``contextvars`` context;
``threading.local`` values of the caller's thread are not visible in it.
"""

from __future__ import annotations

import contextvars
import os
import sys
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from actorlint_runtime._outcomes import CallAbandoned
from actorlint_runtime._status import ERROR, OK, REFUSED, TIMED_OUT

__all__ = ["Stats", "call", "committing", "configure", "stats"]

_IDLE_SECONDS = 60.0   # an idle worker thread ends after this long
_MAX_IDLE = 32         # idle worker threads kept at most
_RUNNING, _FINISHED, _ABANDONED = 0, 1, 2


@dataclass(frozen=True)
class Stats:
    """Counts of the thread mode, for monitoring (``actorlint_runtime.stats()``)."""

    running: int          # bodies running now, their callers waiting
    abandoned: int        # bodies running now, their callers gone (past their limits)
    abandoned_total: int  # bodies abandoned since the process started
    refused_total: int    # calls refused because ``max_abandoned`` bodies were still running
    workers: int          # worker threads alive (busy or idle)
    max_abandoned: int    # the cap (``configure``)


class _Job:
    """One call: the body, how it ended, and the lock ``committing()`` holds."""

    __slots__ = ("fn", "args", "kwargs", "context", "name", "done", "lock", "state", "outcome",
                 "parent", "thread")

    def __init__(self, fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any],
                 name: str, parent: Optional["_Job"]) -> None:
        self.fn, self.args, self.kwargs, self.name = fn, args, kwargs, name
        self.context = contextvars.copy_context()
        self.done = threading.Lock()   # held until the body finishes (and the caller still waits)
        self.done.acquire()
        self.lock = threading.Lock()   # guards ``state``; held through a committing() block
        self.state = _RUNNING
        self.outcome: Tuple[int, Any] = (TIMED_OUT, None)
        self.parent = parent           # the job whose body made this call, if any
        self.thread: Optional[threading.Thread] = None


_local = threading.local()  # .job: the job a worker thread is running


class _Worker:
    """A thread that runs one job after another."""

    def __init__(self, pool: "_Pool") -> None:
        self.pool = pool
        self.wake = threading.Lock()
        self.wake.acquire()
        self.job: Optional[_Job] = None
        self.thread = threading.Thread(target=self._serve, name="actorlint-runtime-worker", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        pool = self.pool
        while True:
            if not self.wake.acquire(timeout=_IDLE_SECONDS):
                if pool.retire(self):
                    return
                self.wake.acquire()  # handed a job as it was about to retire
            job = self.job
            assert job is not None  # woken only by _Pool.start, with a job
            _local.job = job
            try:
                outcome: Tuple[int, Any] = (OK, job.context.run(job.fn, *job.args, **job.kwargs))
            except BaseException as error:  # noqa: B902 - handed to the caller
                outcome = (ERROR, error)
            _local.job = None
            with job.lock:
                abandoned = job.state == _ABANDONED
                if not abandoned:
                    job.state, job.outcome = _FINISHED, outcome
            if abandoned:
                pool.abandoned_ended()
            else:
                job.done.release()
            self.job = job = None  # drop the body's references before idling
            outcome = None  # type: ignore[assignment]
            if not pool.release(self):
                return


class _Pool:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: List[_Worker] = []
        self.workers = 0
        self.running = 0
        self.abandoned = 0
        self.abandoned_total = 0
        self.refused_total = 0
        self.max_abandoned = 32

    def start(self, job: _Job) -> Optional[int]:
        """Hand ``job`` to a worker; or, past the cap, the number of abandoned bodies."""
        with self.lock:
            if self.abandoned >= self.max_abandoned:
                self.refused_total += 1
                return self.abandoned
            self.running += 1
            worker = self.idle.pop() if self.idle else None
            if worker is None:
                self.workers += 1
        if worker is None:
            try:
                worker = _Worker(self)
            except BaseException:  # noqa: B902 - no thread could be started
                with self.lock:
                    self.workers -= 1
                    self.running -= 1
                raise
        job.thread = worker.thread
        worker.job = job
        worker.wake.release()
        return None

    def finished(self) -> None:
        with self.lock:
            self.running -= 1

    def abandon(self) -> None:
        with self.lock:
            self.running -= 1
            self.abandoned += 1
            self.abandoned_total += 1

    def abandoned_ended(self) -> None:
        with self.lock:
            self.abandoned -= 1

    def release(self, worker: _Worker) -> bool:
        """Park an idle worker; False when it should end instead."""
        with self.lock:
            if len(self.idle) < _MAX_IDLE:
                self.idle.append(worker)
                return True
            self.workers -= 1
            return False

    def retire(self, worker: _Worker) -> bool:
        """Let an idle worker end; False when it was just handed a job."""
        with self.lock:
            if worker in self.idle:
                self.idle.remove(worker)
                self.workers -= 1
                return True
            return False

    def after_fork_in_child(self) -> None:
        # Threads do not survive a fork: nothing of the parent's pool exists here.
        cap = self.max_abandoned
        self.__init__()  # type: ignore[misc]
        self.max_abandoned = cap


_POOL = _Pool()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_POOL.after_fork_in_child)


def configure(*, max_abandoned: Optional[int] = None) -> None:
    """Set the cap on abandoned bodies still running (default 32); calls past it are
    refused with ``TooManyAbandoned`` instead of starting yet another thread."""
    if max_abandoned is not None:
        if isinstance(max_abandoned, bool) or not isinstance(max_abandoned, int) or max_abandoned < 0:
            raise ValueError(f"max_abandoned must be a non-negative integer, got {max_abandoned!r}")
        with _POOL.lock:
            _POOL.max_abandoned = max_abandoned


def stats() -> Stats:
    """The thread mode's counts now."""
    with _POOL.lock:
        return Stats(_POOL.running, _POOL.abandoned, _POOL.abandoned_total, _POOL.refused_total,
                     _POOL.workers, _POOL.max_abandoned)


def call(fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any], seconds: float,
         name: str) -> Tuple[int, Any]:
    """Run ``fn(*args, **kwargs)`` in a worker thread and wait at most ``seconds``.

    Returns ``(OK, value)``, ``(ERROR, exception)``, ``(TIMED_OUT, stack)`` (the body's
    stack when it was abandoned, as text) or ``(REFUSED, abandoned)``.
    """
    job = _Job(fn, args, kwargs, name, getattr(_local, "job", None))
    refused = _POOL.start(job)
    if refused is not None:
        return REFUSED, refused
    try:
        finished = job.done.acquire(timeout=seconds)
    except BaseException:  # noqa: B902 - a KeyboardInterrupt while waiting: stop waiting
        _give_up(job)
        raise
    if finished or not _give_up(job):
        _POOL.finished()
        return job.outcome
    return TIMED_OUT, _stack_of(job)


def _give_up(job: _Job) -> bool:
    """Abandon ``job`` unless it finished meanwhile; whether it was abandoned. Waits for a
    ``committing()`` block under way (it holds ``job.lock``)."""
    with job.lock:
        if job.state == _FINISHED:
            return False
        job.state = _ABANDONED
    _POOL.abandon()
    return True


def _stack_of(job: _Job) -> Optional[str]:
    thread = job.thread
    frame = sys._current_frames().get(thread.ident) if thread is not None and thread.ident else None
    if frame is None:
        return None
    frames = traceback.extract_stack(frame)
    ours = (__file__, threading.__file__)
    while frames and frames[0].filename in ours:  # the worker's own frames, down to the body
        frames.pop(0)
    return "".join(traceback.format_list(frames)) or None


@contextmanager
def committing() -> Iterator[None]:
    """Run the block only while the caller of the enclosing time-limited call (and of
    every enclosing one) still waits; else raise ``CallAbandoned`` before it runs.

    Outside a time-limited body, the block simply runs. The caller, at its limit, waits
    for a block under way to end: keep it short (the writes, not the work).
    """
    chain: List[_Job] = []
    job = getattr(_local, "job", None)
    while job is not None:
        chain.append(job)
        job = job.parent
    chain.reverse()  # outermost first: every committer takes the locks in one order
    taken: List[_Job] = []
    try:
        for job in chain:
            job.lock.acquire()
            taken.append(job)
            if job.state != _RUNNING:
                raise CallAbandoned(f"{job.name} ran past its time limit and its caller stopped "
                                    "waiting: the committing() block was not run")
        yield
    finally:
        for job in reversed(taken):
            job.lock.release()
