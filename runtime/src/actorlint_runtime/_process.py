"""``isolation="process"``: run a pure function in a worker process, killed at the limit.

This is the closest Python gets to Elixir's ``Task.yield(task, limit) ||
Task.shutdown(task)``: the work runs elsewhere and is terminated at the limit, whatever
it is doing (a blocking C call included). The price is the one the seed warns of: the
function and its arguments are copied (pickled) into the worker and the result copied
back, so it suits pure functions only; a method would run on a copy of its actor.

Workers are kept warm (up to one per CPU, idle ones reused), so a call costs a round
trip over a pipe rather than a process start; a worker that ran past its limit is
terminated and a fresh one started for the next call. Workers are started with
``forkserver`` where the platform has it (forking a multi-threaded actor system is
unsafe), else ``spawn``; the function must be importable by its module and name.
"""

from __future__ import annotations

import os
import pickle
import threading
import time
import traceback
from typing import Any, Callable, Dict, List, Optional, Tuple

from actorlint_runtime._status import ERROR as _ERROR
from actorlint_runtime._status import OK as _OK
from actorlint_runtime._status import TIMED_OUT as _TIMED_OUT

__all__ = ["call", "shutdown"]

# The caller waits for the reply in slices (a Ctrl-C in the main thread is seen between two).
_POLL_SLICE = 0.05
_PROTOCOL = pickle.HIGHEST_PROTOCOL


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker process, as text."""

    def __init__(self, tb: str) -> None:
        super().__init__(tb)
        self.tb = tb

    def __str__(self) -> str:
        return self.tb


def _unwrap(fn: Any) -> Any:
    # The pickled function is the decorated one (pickle finds functions by name, and the
    # module's name is bound to the wrapper); run what it wraps, not another process.
    while getattr(fn, "__actorlint_isolation__", None) == "process":
        fn = fn.__wrapped__
    return fn


def _worker_main(conn: Any) -> None:  # pragma: no cover - runs in the worker process
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            fn, args, kwargs = pickle.loads(data)
            reply: Tuple[Any, ...] = (_OK, _unwrap(fn)(*args, **kwargs))
        except BaseException as error:  # noqa: B902 - reported to the caller
            reply = (_ERROR, error, traceback.format_exc())
        try:
            out = pickle.dumps(reply, _PROTOCOL)
        except BaseException as error:  # noqa: B902
            what = "result" if reply[0] == _OK else f"exception {reply[1]!r}"
            problem = TypeError(
                f"the {what} could not be sent back from the worker process "
                f"(it must pickle): {error}"
            )
            tb = reply[2] if reply[0] == _ERROR else ""
            out = pickle.dumps((_ERROR, problem, tb), _PROTOCOL)
        del reply
        try:
            conn.send_bytes(out)
        except (EOFError, OSError):
            return


def _context() -> Any:
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Worker:
    def __init__(self) -> None:
        ctx = _context()
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child,), daemon=True,
                                   name="actorlint-runtime-process")
        self.process.start()
        child.close()

    def alive(self) -> bool:
        return bool(self.process.is_alive())

    def kill(self) -> None:
        """``Task.shutdown``: terminate, wait a moment, then kill."""
        try:
            self.conn.close()
        except OSError:  # pragma: no cover
            pass
        process = self.process
        if process.is_alive():
            process.terminate()
            process.join(1.0)
            if process.is_alive():  # pragma: no cover - ignores SIGTERM
                process.kill()
        process.join()


class _Pool:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: List[_Worker] = []
        self.max_idle = max(os.cpu_count() or 1, 1)

    def acquire(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def release(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self.max_idle:
                self._idle.append(worker)
                return
        worker.kill()

    def shutdown(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def _after_fork_in_child(self) -> None:
        self.__init__()  # type: ignore[misc]


_POOL = _Pool()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_POOL._after_fork_in_child)


def shutdown() -> None:
    """Terminate the idle worker processes (they are daemons: they also end with us)."""
    _POOL.shutdown()


def call(fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Dict[str, Any],
         seconds: float, name: str) -> Tuple[int, Any]:
    """Run ``fn(*args, **kwargs)`` in a worker process, terminated after ``seconds``.

    Returns ``(OK, value)``, ``(ERROR, exception)`` or ``(TIMED_OUT, None)``.
    Raises ``TypeError`` when the function or its arguments do not pickle.
    """
    try:
        data = pickle.dumps((fn, args, kwargs), _PROTOCOL)
    except Exception as error:
        raise TypeError(
            f"time_limited(isolation='process') copies {name} and its arguments into a "
            f"worker process, so they must pickle (a module-level function, not a "
            f"lambda, closure or bound method of an unpicklable object): {error}"
        ) from error
    worker = _POOL.acquire()  # not counted in the limit: a cold start is not the work
    reply: Optional[Tuple[Any, ...]] = None
    try:
        deadline = time.monotonic() + seconds
        worker.conn.send_bytes(data)
        del data
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if worker.conn.poll(min(remaining, _POLL_SLICE)):
                try:
                    reply = pickle.loads(worker.conn.recv_bytes())
                except (EOFError, OSError):
                    worker.process.join(1.0)
                    code = worker.process.exitcode
                    reply = (_ERROR, RuntimeError(
                        f"the worker process running {name} exited (exit code {code})"
                    ), "")
                except Exception as error:  # an exception that does not unpickle
                    reply = (_ERROR, RuntimeError(
                        f"the reply of the worker process running {name} could not be "
                        f"read: {error!r}"
                    ), "")
                break
    finally:
        # Anything but a clean reply (the limit, an interrupt of the caller's own
        # thread, a dead worker): the worker may still be running the call; end it.
        if reply is not None and worker.alive():
            _POOL.release(worker)
        else:
            worker.kill()
    if reply is None:
        return _TIMED_OUT, None
    if reply[0] == _OK:
        return _OK, reply[1]
    failure, tb = reply[1], reply[2]
    if tb:
        failure.__cause__ = RemoteTraceback(tb)
    try:  # give it a local __traceback__, as a caught exception has
        raise failure
    except BaseException as raised:  # noqa: B902
        return _ERROR, raised
