"""Interrupt a synchronous call that runs past its deadline, in the thread that runs it.

Python cannot kill a thread, and signals reach only the main thread, but CPython can
schedule an exception in another thread (``PyThreadState_SetAsyncExc``): the thread
raises it at its next bytecode boundary. One daemon thread (the watchdog, started on
first use) watches the deadlines of the running calls and does that for the calls that
outlive theirs. No thread is started per call.

The call itself runs in the caller's thread (an actor's own thread), so it sees and
changes the real actor, and the actor handles one message at a time as before: the
watchdog only raises, it never runs anybody's code.

Each call is a :class:`Token`:

    armed     in the table of running calls (``_active``).
    fired     the watchdog scheduled ``_Interrupt`` in the thread. The token stays in
              the table and fires again (back-off 0.05 s doubling to 1 s) while the body
              runs: a body that swallows the interrupt is interrupted again.
    finished  the body is over (set first thing in every exit path of ``call``): the
              watchdog no longer fires it.
    done      ``disarm``: first, under the thread's lock, a fired-but-undelivered
              interrupt of this thread is cleared (``PyThreadState_SetAsyncExc(tid,
              NULL)``); then the token leaves the table. The watchdog
              fires only under the same lock and only tokens not done, so once
              ``disarm`` returns no interrupt of this call can reach the thread: a late
              one never escapes after the call returned.

``call`` catches ``_Interrupt`` everywhere from ``arm`` to the end of ``disarm``
(retrying ``disarm`` when one lands inside it before it took the lock), so it never
escapes to the caller as a ``BaseException``.

Nesting: each thread counts its calls that fired and are not done yet (the other live
calls of a thread all enclose the current one). An inner call that ends while an
enclosing call has fired raises ``_Interrupt`` again, synchronously, after its own
clean-up, so the enclosing call ends too (its pending interrupt may have been cleared
with ours).

Why a table and per-thread locks rather than one lock around a deadline heap: under the
GIL, a thread can lose the interpreter in the middle of any critical section that calls
anything, and then everybody waiting for that lock (every other time-limited call, and
the watchdog) waits for that thread's next turn. With 32 busy threads on 2 cores that
made 0.2 s limits fire seconds late. Here the calling threads only do single C-level
operations on shared structures (``set.add``, ``set.discard``; atomic under the GIL),
the per-thread lock is shared with the watchdog alone, and the watchdog never blocks on
it (it retries 1 ms later). The watchdog scans the running calls when it wakes: O(number
of running time-limited calls), which is small; calls with the same limit in a row do
not wake it at all.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from typing import Any, Callable, Dict, Optional, Set, Tuple

__all__ = ["SUPPORTED", "Token", "call", "pending", "watchdog_thread"]

SUPPORTED = sys.implementation.name == "cpython" and hasattr(ctypes, "pythonapi")

# Re-fire back-off for a call that swallowed its interrupt (seconds): 0.05, 0.1, ... 1.0.
_REFIRE_FIRST = 0.05
_REFIRE_MAX = 1.0
# When a thread is busy in its own clean-up (holds its lock), look again this soon.
_RETRY = 0.001
# Deadlines this close to now are due (timer wake-ups are not exact).
_SLACK = 0.0005
_INF = float("inf")

_OK = 0
_ERROR = 1
_INTERRUPTED = 2


class _Interrupt(BaseException):
    """Raised asynchronously in a thread whose time-limited call ran past its limit.

    A ``BaseException`` so that ``except Exception:`` in the body does not swallow it;
    it never leaves ``time_limited``, which turns it into ``TimeLimitExceeded`` (or a
    ``TimedOut`` outcome).
    """


if SUPPORTED:
    # Two prototypes of the same C function: one passes an exception type, the other
    # NULL (``c_void_p`` with None), which clears a pending asynchronous exception.
    # PYFUNCTYPE: the calls hold the GIL, as the C API requires.
    _set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
        ("PyThreadState_SetAsyncExc", ctypes.pythonapi))
    _clear_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
        ("PyThreadState_SetAsyncExc", ctypes.pythonapi))
else:  # pragma: no cover - PyPy, GraalPy
    _set_async_exc = _clear_async_exc = None


class _Thread:
    """The time-limited calls running in one thread."""

    __slots__ = ("fired", "lock", "tid")

    def __init__(self) -> None:
        self.tid = threading.get_ident()
        self.lock = threading.Lock()  # shared with the watchdog only
        self.fired = 0  # calls of this thread that fired and are not done


class Token:
    """One time-limited call in one thread."""

    __slots__ = ("done", "due", "finished", "fired", "seconds", "thread")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.thread: Optional[_Thread] = None
        self.due = _INF  # the deadline, then the next re-fire
        self.fired = 0
        self.finished = False
        self.done = False


class _Watchdog:
    def __init__(self) -> None:
        self._active: Set[Token] = set()
        self._local = threading.local()
        # A binary semaphore the watchdog sleeps on: locked while nobody asked it to
        # wake; released to wake it early.
        self._wake = threading.Lock()
        self._wake.acquire()
        # When the watchdog wakes next, at the latest; +inf while it is computing that
        # (then every arm wakes it, so no deadline added meanwhile is missed).
        self._wake_at = _INF
        self._busy = False  # a call was armed since the watchdog last looked
        self._last_seconds = 1.0  # the limit of the call armed last
        self._start_lock = threading.Lock()
        self.thread: Optional[threading.Thread] = None

    # -- the calling thread -------------------------------------------------------
    #
    # An asynchronous exception can be raised at any call or loop in Python code. Only
    # an enclosing call's interrupt can be pending in this thread while we arm, and
    # while we disarm only until the pending exception is cleared (first thing under
    # the lock). The steps are ordered so that being stopped after any of them leaves
    # a state that ``disarm`` (idempotent) cleans up.

    def arm(self, token: Token) -> None:
        if self.thread is None:
            self._start()
        try:
            thread = self._local.thread
        except AttributeError:
            thread = self._local.thread = _Thread()
        token.thread = thread
        due = token.due = time.monotonic() + token.seconds
        self._active.add(token)
        self._busy = True
        self._last_seconds = token.seconds
        if due < self._wake_at:
            # Only when this deadline is earlier than the watchdog's next wake-up:
            # calls with the same limit in a row do not wake it.
            try:
                self._wake.release()
            except RuntimeError:  # already released: a wake-up is pending
                pass

    def disarm(self, token: Token) -> bool:
        """End ``token`` (idempotent). Returns whether an enclosing call in the same
        thread has fired, so the caller must re-raise ``_Interrupt`` for it."""
        thread = token.thread
        if thread is None:  # never armed
            token.done = True
            return False
        with thread.lock:
            if thread.fired:
                # A call of this thread fired (this one or an enclosing one): its
                # interrupt may not have been delivered yet. Drop it, before anything
                # that could deliver it here. While we hold the lock the watchdog
                # cannot fire again; this token never again, once done.
                _clear_async_exc(thread.tid, None)
            if not token.done:
                token.done = True
                if token.fired:
                    thread.fired -= 1
            self._active.discard(token)
            # An enclosing call that fired must end too: the caller re-raises for it.
            return thread.fired > 0

    # -- the watchdog thread ------------------------------------------------------

    def _start(self) -> None:
        with self._start_lock:
            if self.thread is None:
                thread = threading.Thread(target=self._run, daemon=True,
                                          name="actorlint-time-limit-watchdog")
                thread.start()
                self.thread = thread

    def _run(self) -> None:
        active = self._active
        wake = self._wake
        while True:
            self._wake_at = _INF  # before the snapshot: see __init__
            now = time.monotonic()
            next_at = _INF
            for token in list(active):  # one C-level copy
                if token.finished:
                    continue  # its thread is about to disarm it: never fire it
                due = token.due
                if due <= now + _SLACK:
                    due = self._fire(token, now)
                if due < next_at:
                    next_at = due
            if next_at == _INF and self._busy:
                # Nothing to watch, but calls are being made: sleep for about one
                # limit rather than forever, so that the next calls (with later
                # deadlines) do not each have to wake us.
                self._busy = False
                next_at = now + min(max(self._last_seconds, 0.01), 60.0)
            self._wake_at = next_at
            if next_at == _INF:
                wake.acquire()
            else:
                wait = next_at - time.monotonic()
                if wait > 0:
                    wake.acquire(True, min(wait, threading.TIMEOUT_MAX))

    def _fire(self, token: Token, now: float) -> float:
        """Interrupt ``token``'s thread; returns when to look at the token again."""
        thread = token.thread
        assert thread is not None
        if not thread.lock.acquire(False):
            return now + _RETRY  # the thread is in disarm: it is finishing anyway
        try:
            if token.done or token.finished:
                return _INF
            if _set_async_exc(thread.tid, _Interrupt) != 1:  # pragma: no cover
                # The thread is gone (0) or the id matched several (>1: undo).
                _clear_async_exc(thread.tid, None)
                token.due = _INF
                return _INF
            if not token.fired:
                thread.fired += 1
            token.fired += 1
            token.due = now + min(_REFIRE_FIRST * 2 ** (token.fired - 1), _REFIRE_MAX)
            return token.due
        finally:
            thread.lock.release()

    # -- introspection (tests) ----------------------------------------------------

    def pending(self) -> int:
        return len(self._active)

    def _after_fork_in_child(self) -> None:
        # The watchdog thread does not exist in a forked child, and locks may have been
        # held by threads that do not exist either: start afresh.
        self.__init__()  # type: ignore[misc]


_WATCHDOG = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_WATCHDOG._after_fork_in_child)


def pending() -> int:
    """Time-limited calls the watchdog is watching; 0 when none is running."""
    return _WATCHDOG.pending()


def watchdog_thread() -> Optional[threading.Thread]:
    """The watchdog thread, once started."""
    return _WATCHDOG.thread


def call(fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any],
         seconds: float) -> Tuple[int, Any]:
    """Run ``fn(*args, **kwargs)`` in this thread, interrupted after ``seconds``.

    Returns ``(_OK, value)``, ``(_ERROR, exception)`` (what the body raised, untouched)
    or ``(_INTERRUPTED, traceback)`` (where the body was when interrupted). Raises
    ``_Interrupt`` only when an enclosing time-limited call in this thread has fired.
    """
    token = Token(seconds)
    status = -1
    payload: Any = None
    enclosing = False
    try:
        try:
            _WATCHDOG.arm(token)
            try:
                payload = fn(*args, **kwargs)
                token.finished = True
                status = _OK
            except _Interrupt as interrupt:
                token.finished = True
                status, payload = _INTERRUPTED, interrupt.__traceback__
            except BaseException as error:  # noqa: B902 - handed back as is
                token.finished = True
                status, payload = _ERROR, error
        except _Interrupt as interrupt:
            # Landed outside the body's own handlers: in arm, or at the start of an
            # except clause above. Keep an outcome already recorded.
            token.finished = True
            if status == -1:
                status, payload = _INTERRUPTED, interrupt.__traceback__
    finally:
        token.finished = True
        # disarm until it completes: an interrupt may land inside it, before it took
        # the lock. Inline (a helper function could be interrupted on entry).
        while True:
            try:
                enclosing = _WATCHDOG.disarm(token)
                break
            except _Interrupt:
                if status == -1:
                    status = _INTERRUPTED
    if enclosing:
        # An enclosing call's limit has passed too: it ends, whatever this one did.
        del payload
        raise _Interrupt
    return status, payload
