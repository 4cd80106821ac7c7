"""``actorlint.runtime``: bound how long an actor's handler may run.

Standard library only (it never imports libcst or click), Python 3.9+, CPython.

Two forms, after Elixir's ``Task.yield(task, limit) || Task.shutdown(task)``:

Call form, returning an outcome value to ``match`` on::

    from actorlint.runtime import Exit, Ok, TimedOut, time_limited

    match time_limited(lambda: slow_function(state), 4.0):
        case Ok(result):     reply = {"ok": result}
        case Exit(error):    reply = {"error": repr(error)}
        case TimedOut(_):    reply = {"error": "timeout"}

Decorator form, the one ``actorlint check --fix`` adds to a handler::

    class Mailer(pykka.ThreadingActor):
        @time_limited(seconds=4.0)
        def on_receive(self, message): ...

How the limit is enforced (see docs/runtime.md for the reasons and the limits):

- ``async def``: asyncio cancellation (``asyncio.timeout``; ``asyncio.wait_for`` before
  3.11).
- a synchronous function: it runs in the calling thread (the actor's own), and a single
  shared watchdog thread raises an exception asynchronously in that thread when the
  deadline passes. It lands at the next bytecode boundary: a blocking C call (a socket
  read without a timeout, ``time.sleep``, a lock wait) is not interrupted, the exception
  is raised when that call returns.
- ``isolation="process"``: a pure function runs in a worker process that is terminated
  at the limit; function, arguments and result are copied (pickled).
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import sys
from typing import Any, Callable, Optional, Tuple, TypeVar

from actorlint.runtime import _watchdog
from actorlint.runtime._outcomes import Exit, Ok, Outcome, TimedOut, TimeLimitExceeded

__all__ = ["Exit", "Ok", "Outcome", "TimeLimitExceeded", "TimedOut", "time_limited"]

F = TypeVar("F", bound=Callable[..., Any])

_OK = _watchdog._OK
_ERROR = _watchdog._ERROR
_ISOLATIONS = (None, "process")
_INF = float("inf")

# asyncio.timeout() where it exists (3.11+), else asyncio.wait_for (tests flip this).
_USE_ASYNCIO_TIMEOUT = sys.version_info >= (3, 11)


def time_limited(fn: Any = None, seconds: Any = None, *,
                 on_timeout: Optional[Callable[[TimeLimitExceeded], Any]] = None,
                 isolation: Optional[str] = None) -> Any:
    """Limit how long a call may run.

    ``time_limited(fn, seconds)`` calls ``fn()`` now and returns ``Ok(value)``,
    ``Exit(error)`` (``fn`` raised an ``Exception``; the exception object, with its
    traceback) or ``TimedOut(seconds)``. For an ``async def`` ``fn`` it returns an
    awaitable of that outcome.

    ``@time_limited(seconds=4.0)`` (or ``@time_limited(4.0)``) decorates a function,
    method or ``async def``: a call that runs past the limit raises
    ``TimeLimitExceeded``, or returns ``on_timeout(exc)`` when ``on_timeout`` is given
    (it receives the ``TimeLimitExceeded``; in an ``async def`` it may be async too).
    Exceptions from the function are re-raised unchanged.

    ``seconds`` is a finite positive number (not a bool). ``isolation="process"`` runs a
    pure, picklable function in a worker process terminated at the limit.
    """
    if isolation not in _ISOLATIONS:
        raise ValueError(f"time_limited: isolation must be None or 'process', got {isolation!r}")
    if on_timeout is not None and not callable(on_timeout):
        raise TypeError(f"time_limited: on_timeout must be callable, got {on_timeout!r}")
    if fn is not None and (callable(fn) or isinstance(fn, (staticmethod, classmethod))):
        # Call form: time_limited(fn, seconds).
        limit = _check_seconds(seconds)
        if on_timeout is not None:
            raise TypeError("time_limited(fn, seconds) returns TimedOut on a time-out; "
                            "on_timeout= is for the decorator form")
        return _call_form(fn, limit, isolation)
    if fn is not None and seconds is not None:
        raise TypeError(f"time_limited: seconds given twice ({fn!r} and {seconds!r})")
    limit = _check_seconds(seconds if fn is None else fn)

    def decorator(target: F) -> F:
        return _decorate(target, limit, on_timeout, isolation)

    decorator.__actorlint_time_limit__ = limit  # type: ignore[attr-defined]
    return decorator


def _check_seconds(seconds: Any) -> float:
    kind = type(seconds)
    if (kind is float or kind is int) and 0 < seconds < _INF:  # the common case, fast
        return float(seconds)
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise ValueError(
            f"time_limited: seconds must be a finite positive number, got {seconds!r}")
    value = float(seconds)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(
            f"time_limited: seconds must be a finite positive number, got {seconds!r}")
    return value


def _name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)


def _run(fn: Callable[..., Any], args: Tuple[Any, ...], kwargs: Any, seconds: float,
         isolation: Optional[str], name: str) -> Tuple[int, Any]:
    if isolation == "process":
        from actorlint.runtime import _process

        return _process.call(fn, args, kwargs, seconds, name)
    if not _watchdog.SUPPORTED:  # pragma: no cover - PyPy, GraalPy
        raise RuntimeError("time_limited needs CPython for synchronous functions "
                           "(PyThreadState_SetAsyncExc); use async def or isolation='process'")
    return _watchdog.call(fn, args, kwargs, seconds)


# ---------------------------------------------------------------------------
# Call form


def _call_form(fn: Any, seconds: float, isolation: Optional[str]) -> Any:
    if isinstance(fn, (staticmethod, classmethod)):
        fn = fn.__func__
    if inspect.iscoroutinefunction(fn):
        if isolation == "process":
            raise TypeError("time_limited: isolation='process' needs a synchronous function")
        return _call_form_async(fn, seconds)
    if isolation is None and _watchdog.SUPPORTED:
        status, payload = _watchdog.call(fn, (), {}, seconds)
    else:
        status, payload = _run(fn, (), {}, seconds, isolation, _name(fn))
    if status == _OK:
        return Ok(payload)
    if status == _ERROR:
        if isinstance(payload, Exception) or isolation == "process":
            return Exit(payload)
        raise payload  # KeyboardInterrupt, SystemExit: not the work's failure
    return TimedOut(seconds)


async def _call_form_async(fn: Callable[[], Any], seconds: float) -> Outcome:
    try:
        finished, payload = await _await_limited(fn(), seconds)
    except Exception as error:
        return Exit(error)
    return Ok(payload) if finished else TimedOut(seconds)


async def _await_limited(coro: Any, seconds: float) -> Tuple[bool, Any]:
    """Await ``coro`` for at most ``seconds``: ``(True, value)``, or ``(False, tb)`` with
    the traceback of where it was waiting when cancelled. Its exceptions propagate."""
    import asyncio

    if _USE_ASYNCIO_TIMEOUT:
        limit = asyncio.timeout(seconds)  # type: ignore[attr-defined]
        try:
            async with limit:
                return True, await coro
        except TimeoutError as error:
            if not limit.expired():
                raise  # the work's own TimeoutError
            return False, _cancelled_at(error)

    class _Carrier(Exception):  # the work's own asyncio.TimeoutError, told apart
        def __init__(self, error: BaseException) -> None:
            self.error = error

    async def guarded() -> Any:
        try:
            return await coro
        except asyncio.TimeoutError as error:
            raise _Carrier(error) from None

    own: Optional[BaseException] = None
    try:
        return True, await asyncio.wait_for(guarded(), seconds)
    except asyncio.TimeoutError as error:
        return False, _cancelled_at(error)
    except _Carrier as carrier:
        own = carrier.error
    raise own  # outside the except clause: its __context__ stays as it was


def _cancelled_at(error: BaseException) -> Any:
    cause = error.__cause__ or error.__context__
    return (cause if cause is not None else error).__traceback__


# ---------------------------------------------------------------------------
# Decorator form


def _decorate(target: Any, seconds: float, on_timeout: Optional[Callable[..., Any]],
              isolation: Optional[str]) -> Any:
    if isinstance(target, (staticmethod, classmethod)):
        # @time_limited above @staticmethod / @classmethod: limit the function inside.
        return type(target)(_decorate(target.__func__, seconds, on_timeout, isolation))
    if not callable(target) or inspect.isclass(target):
        raise TypeError(f"time_limited decorates a function or method, got {target!r}")
    if inspect.isgeneratorfunction(target) or inspect.isasyncgenfunction(target):
        raise TypeError(f"time_limited cannot limit the generator function {_name(target)}: "
                        "it would only limit creating the generator")
    name = _name(target)
    if inspect.iscoroutinefunction(target):
        if isolation == "process":
            raise TypeError("time_limited: isolation='process' needs a synchronous function, "
                            f"{name} is async")
        wrapper = _async_wrapper(target, seconds, on_timeout, name)
    else:
        wrapper = _sync_wrapper(target, seconds, on_timeout, isolation, name)
    functools.update_wrapper(wrapper, target)  # __name__, __doc__, __wrapped__, __dict__
    try:
        # Frameworks that check arguments at send time without following __wrapped__
        # (Celery's getfullargspec) read this.
        wrapper.__signature__ = inspect.signature(target)  # type: ignore[attr-defined]
    except (TypeError, ValueError):  # builtins without a signature
        pass
    wrapper.__actorlint_time_limit__ = seconds  # type: ignore[attr-defined]
    if isolation is not None:
        wrapper.__actorlint_isolation__ = isolation  # type: ignore[attr-defined]
    return wrapper


def _timed_out(name: str, seconds: float, on_timeout: Optional[Callable[..., Any]],
               tb: Any) -> Any:
    exc = TimeLimitExceeded(name, seconds)
    if on_timeout is not None:
        return on_timeout(exc)
    raise exc.with_traceback(tb)


def _sync_wrapper(target: Callable[..., Any], seconds: float,
                  on_timeout: Optional[Callable[..., Any]], isolation: Optional[str],
                  name: str) -> Callable[..., Any]:
    if isolation == "process":
        from actorlint.runtime import _process

        def process_wrapper(*args: Any, **kwargs: Any) -> Any:
            # Pickle the wrapper (found by module and name in the worker, which runs
            # what it wraps), not the target: the module's name is bound to us.
            status, payload = _process.call(process_wrapper, args, kwargs, seconds, name)
            if status == _OK:
                return payload
            if status == _ERROR:
                raise payload
            return _timed_out(name, seconds, on_timeout, None)

        return process_wrapper

    if not _watchdog.SUPPORTED:  # pragma: no cover - PyPy, GraalPy
        raise RuntimeError("time_limited needs CPython for synchronous functions "
                           "(PyThreadState_SetAsyncExc); use async def or isolation='process'")
    call = _watchdog.call

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        status, payload = call(target, args, kwargs, seconds)
        if status == _OK:
            return payload
        if status == _ERROR:
            raise payload
        return _timed_out(name, seconds, on_timeout, payload)

    return wrapper


def _async_wrapper(target: Callable[..., Any], seconds: float,
                   on_timeout: Optional[Callable[..., Any]], name: str) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        finished, payload = await _await_limited(target(*args, **kwargs), seconds)
        if finished:
            return payload
        result = _timed_out(name, seconds, on_timeout, payload)
        if inspect.isawaitable(result):
            result = await result
        return result

    return wrapper
