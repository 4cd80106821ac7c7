"""``actorlint_runtime``: bound how long an actor's handler may run.

Standard library only, Python 3.9+. After Elixir's ``Task.yield(task, limit) ||
Task.shutdown(task)``: the work runs elsewhere, the caller waits at most the limit, and
then the caller (the actor) replies and serves its next message.

Call form, returning an outcome value to ``match`` on::

    from actorlint_runtime import Exit, Ok, TimedOut, time_limited

    match time_limited(lambda: slow_function(state), 4.0):
        case Ok(result):     reply = {"ok": result}
        case Exit(error):    reply = {"error": repr(error)}
        case TimedOut(_):    reply = {"error": "timeout"}

Decorator form, the one ``actorlint check --fix`` adds to a handler::

    class Mailer(pykka.ThreadingActor):
        @time_limited(seconds=4.0)
        def on_receive(self, message): ...

Modes (docs/runtime.md has the guarantees table):

- ``isolation="thread"`` (the default for a synchronous function): the body runs in a
  pooled worker thread; at the limit the caller stops waiting and the body is abandoned
  to finish on its own (never interrupted: no lock or cleanup is cut short). Guard the
  writes an abandoned body must not make with ``committing()``.
- ``isolation="process"``: a pure, picklable function runs in a worker process that is
  terminated at the limit; arguments and result are copied.
- ``async def``: asyncio cancellation (``asyncio.timeout``; ``wait_for`` before 3.11).
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import sys
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Optional, TypeVar, overload

from actorlint_runtime import _threads
from actorlint_runtime._asyncio import await_limited
from actorlint_runtime._outcomes import (
    CallAbandoned,
    Exit,
    Ok,
    Outcome,
    StillRunningAt,
    TimedOut,
    TimeLimitExceeded,
    TooManyAbandoned,
)
from actorlint_runtime._status import ERROR, OK, REFUSED
from actorlint_runtime._threads import Stats, committing, configure, stats

__version__ = "0.1.0"

__all__ = ["CallAbandoned", "Exit", "Ok", "Outcome", "Stats", "StillRunningAt", "TimeLimitExceeded",
           "TimedOut", "TooManyAbandoned", "committing", "configure", "stats", "time_limited"]

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")

if TYPE_CHECKING:  # the signature-keeping decorator type, for type checkers only
    if sys.version_info >= (3, 10):
        from typing import ParamSpec, Protocol
    else:
        from typing_extensions import ParamSpec, Protocol

    P = ParamSpec("P")

    class _Decorator(Protocol):
        """What ``@time_limited(seconds=...)`` returns: it keeps the decorated
        function's parameters and return type (sync or ``async def``)."""

        __actorlint_time_limit__: float

        def __call__(self, fn: Callable[P, R], /) -> Callable[P, R]: ...

_ISOLATIONS = ("thread", "process")
_INF = float("inf")


@overload
def time_limited(fn: Callable[[], Coroutine[Any, Any, R]], seconds: float  # type: ignore[overload-overlap]
                 ) -> Coroutine[Any, Any, Outcome[R]]: ...
@overload
def time_limited(fn: Callable[[], R], seconds: float, *, isolation: str = ...) -> Outcome[R]: ...
@overload
def time_limited(fn: float, seconds: None = None, *,
                 on_timeout: Optional[Callable[[TimeLimitExceeded], Any]] = None,
                 isolation: str = ...) -> "_Decorator": ...
@overload
def time_limited(*, seconds: float, on_timeout: Optional[Callable[[TimeLimitExceeded], Any]] = None,
                 isolation: str = ...) -> "_Decorator": ...


def time_limited(fn: Any = None, seconds: Any = None, *,
                 on_timeout: Optional[Callable[[TimeLimitExceeded], Any]] = None,
                 isolation: str = "thread") -> Any:
    """Limit how long a call may make its caller wait.

    ``time_limited(fn, seconds)`` calls ``fn()`` now and returns ``Ok(value)``,
    ``Exit(error)`` (``fn`` raised an ``Exception``: the exception object, with its
    traceback) or ``TimedOut(seconds)``. For an ``async def`` ``fn`` it returns an
    awaitable of that outcome.

    ``@time_limited(seconds=4.0)`` (or ``@time_limited(4.0)``) decorates a function,
    method or ``async def``: a call that runs past the limit raises
    ``TimeLimitExceeded``, or returns ``on_timeout(exc)`` when ``on_timeout`` is given
    (it receives the ``TimeLimitExceeded``; in an ``async def`` it may be async too).
    Exceptions from the function are re-raised unchanged.

    ``seconds`` is a finite positive number (not a bool). ``isolation`` is ``"thread"``
    (the default) or ``"process"`` (a pure, picklable function in a worker process
    terminated at the limit); it does not apply to ``async def``.
    """
    if isolation not in _ISOLATIONS:
        raise ValueError(f"time_limited: isolation must be 'thread' or 'process', got {isolation!r}")
    if on_timeout is not None and not callable(on_timeout):
        raise TypeError(f"time_limited: on_timeout must be callable, got {on_timeout!r}")
    if fn is not None and (callable(fn) or isinstance(fn, (staticmethod, classmethod))):
        limit = _check_seconds(seconds)  # the call form: time_limited(fn, seconds)
        if on_timeout is not None:
            raise TypeError("time_limited(fn, seconds) returns TimedOut on a time-out; "
                            "on_timeout= is for the decorator form")
        return _call_form(fn, limit, isolation)
    if fn is not None and seconds is not None:
        raise TypeError(f"time_limited: seconds given twice ({fn!r} and {seconds!r})")
    limit = _check_seconds(seconds if fn is None else fn)

    def decorator(target: F) -> F:
        decorated: F = _decorate(target, limit, on_timeout, isolation)
        return decorated

    decorator.__actorlint_time_limit__ = limit  # type: ignore[attr-defined]
    return decorator


def _check_seconds(seconds: Any) -> float:
    kind = type(seconds)
    if (kind is float or kind is int) and 0 < seconds < _INF:  # the common case, fast
        return float(seconds)
    if isinstance(seconds, bool) or not isinstance(seconds, numbers.Real):
        raise ValueError(f"time_limited: seconds must be a finite positive number, got {seconds!r}")
    value = float(seconds)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"time_limited: seconds must be a finite positive number, got {seconds!r}")
    return value


def _name(fn: Any) -> str:
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)


def _run(fn: Callable[..., Any], args: Any, kwargs: Any, seconds: float, isolation: str,
         name: str) -> Any:
    if isolation == "process":
        from actorlint_runtime import _process  # multiprocessing only when asked for

        return _process.call(fn, args, kwargs, seconds, name)
    return _threads.call(fn, args, kwargs, seconds, name)


def _exceeded(name: str, seconds: float, status: int, detail: Any) -> TimeLimitExceeded:
    """The exception for a call that did not finish: ``detail`` is the abandoned body's
    stack (TIMED_OUT) or the count of abandoned bodies (REFUSED)."""
    if status == REFUSED:
        return TooManyAbandoned(name, seconds, detail)
    exc = TimeLimitExceeded(name, seconds)
    if detail:
        exc.__cause__ = StillRunningAt(detail)
    return exc


# ---------------------------------------------------------------------------
# Call form


def _call_form(fn: Any, seconds: float, isolation: str) -> Any:
    if isinstance(fn, (staticmethod, classmethod)):
        fn = fn.__func__
    if inspect.iscoroutinefunction(fn):
        if isolation == "process":
            raise TypeError("time_limited: isolation='process' needs a synchronous function")
        return _call_form_async(fn, seconds)
    status, payload = _run(fn, (), {}, seconds, isolation, _name(fn))
    if status == OK:
        return Ok(payload)
    if status == ERROR:
        if isinstance(payload, Exception) or isolation == "process":
            return Exit(payload)
        raise payload  # KeyboardInterrupt, SystemExit: not the work's failure
    return TimedOut(seconds)


async def _call_form_async(fn: Callable[[], Any], seconds: float) -> Outcome[Any]:
    try:
        finished, payload = await await_limited(fn(), seconds)
    except Exception as error:
        return Exit(error)
    return Ok(payload) if finished else TimedOut(seconds)


# ---------------------------------------------------------------------------
# Decorator form


def _decorate(target: Any, seconds: float, on_timeout: Optional[Callable[..., Any]], isolation: str) -> Any:
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
            raise TypeError(f"time_limited: isolation='process' needs a synchronous function, {name} is async")
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
    wrapper.__actorlint_isolation__ = isolation  # type: ignore[attr-defined]
    return wrapper


def _timed_out(exc: TimeLimitExceeded, on_timeout: Optional[Callable[..., Any]]) -> Any:
    if on_timeout is not None:
        return on_timeout(exc)
    raise exc


def _result(status: int, payload: Any, name: str, seconds: float,
            on_timeout: Optional[Callable[..., Any]]) -> Any:
    """What a decorated synchronous call returns or raises, from how its body ended."""
    if status == OK:
        return payload
    if status == ERROR:
        raise payload
    return _timed_out(_exceeded(name, seconds, status, payload), on_timeout)


def _sync_wrapper(target: Callable[..., Any], seconds: float, on_timeout: Optional[Callable[..., Any]],
                  isolation: str, name: str) -> Callable[..., Any]:
    if isolation == "process":
        from actorlint_runtime import _process

        def process_wrapper(*args: Any, **kwargs: Any) -> Any:
            # Pickle the wrapper (found by module and name in the worker, which runs
            # what it wraps), not the target: the module's name is bound to us.
            status, payload = _process.call(process_wrapper, args, kwargs, seconds, name)
            return _result(status, payload, name, seconds, on_timeout)

        return process_wrapper

    call = _threads.call

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        status, payload = call(target, args, kwargs, seconds, name)
        return _result(status, payload, name, seconds, on_timeout)

    return wrapper


def _async_wrapper(target: Callable[..., Any], seconds: float, on_timeout: Optional[Callable[..., Any]],
                   name: str) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        finished, payload = await await_limited(target(*args, **kwargs), seconds)
        if finished:
            return payload
        exc = TimeLimitExceeded(name, seconds)
        result = _timed_out(exc.with_traceback(payload), on_timeout)
        if inspect.isawaitable(result):
            result = await result
        return result

    return wrapper
