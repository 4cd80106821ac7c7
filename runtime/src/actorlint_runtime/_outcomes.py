"""The values ``time_limited`` returns and raises: ``Ok``, ``Exit``, ``TimedOut`` and
``TimeLimitExceeded``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, Union

__all__ = ["CallAbandoned", "Exit", "Ok", "Outcome", "StillRunningAt", "TimeLimitExceeded", "TimedOut", "TooManyAbandoned"]

T = TypeVar("T")


@dataclass(frozen=True)
class Ok(Generic[T]):
    """The call returned ``value`` within its limit (Elixir's ``{:ok, result}``)."""

    __match_args__ = ("value",)
    value: T


@dataclass(frozen=True)
class Exit:
    """The call raised ``error`` (Elixir's ``{:exit, reason}``).

    ``error`` is the exception object itself, with its ``__traceback__``; with
    ``isolation="process"`` its ``__cause__`` carries the worker's traceback as text.
    """

    __match_args__ = ("error",)
    error: BaseException


@dataclass(frozen=True)
class TimedOut:
    """The call did not finish within ``seconds`` (Elixir's ``nil``)."""

    __match_args__ = ("seconds",)
    seconds: float


#: What the call form returns: ``Outcome[int]`` is ``Ok[int] | Exit | TimedOut``.
Outcome = Union[Ok[T], Exit, TimedOut]



class TimeLimitExceeded(TimeoutError):
    """A ``@time_limited`` function ran past its limit.

    An ``Exception`` (a ``TimeoutError``), never a ``BaseException``: actor frameworks
    hand it to the caller like any other error from a handler (Pykka re-raises it from
    ``ask``/``get``), where a ``BaseException`` would stop the actor system.
    """

    def __init__(self, function: str, seconds: float) -> None:
        # ``args`` are the constructor's arguments, so that frameworks that rebuild an
        # exception as ``cls(*exc.args)`` (Celery's JSON result backend) get it back whole.
        super().__init__(function, seconds)
        self.function = function
        self.seconds = seconds

    def __str__(self) -> str:
        return f"{self.function} exceeded its time limit of {self.seconds:g} s"

    def __reduce__(self) -> Any:
        # Rebuild from the fields (Ray and multiprocessing pickle exceptions).
        return (type(self), (self.function, self.seconds))


class TooManyAbandoned(TimeLimitExceeded):
    """A call was refused without running: too many earlier bodies that ran past their
    limits are still running (see ``configure(max_abandoned=...)``).

    A ``TimeLimitExceeded``, so handlers and ``on_timeout`` treat it as a time-out: the
    caller gets no result in time either way, and a piling up of stuck threads is stopped.
    """

    def __init__(self, function: str, seconds: float, abandoned: int = 0) -> None:
        super().__init__(function, seconds)
        self.abandoned = abandoned

    def __str__(self) -> str:
        return (f"{self.function} was not started: {self.abandoned} calls that ran past their "
                f"time limits are still running (the most allowed)")

    def __reduce__(self) -> Any:
        return (type(self), (self.function, self.seconds, self.abandoned))


class CallAbandoned(Exception):
    """Raised by ``committing()`` in a body whose caller stopped waiting for it: the
    block's writes must not happen, as the caller has moved on (an actor serving its
    next message)."""


class StillRunningAt(Exception):
    """Where an abandoned body was when its caller stopped waiting: the ``__cause__`` of
    the ``TimeLimitExceeded``, its text the body's stack at that moment."""

    def __init__(self, stack: str) -> None:
        super().__init__(stack)
        self.stack = stack

    def __str__(self) -> str:
        return "the body was still running here when its caller stopped waiting:\n" + self.stack


# Shown, and pickled, as the public names.
for _cls in (Ok, Exit, TimedOut, TimeLimitExceeded, TooManyAbandoned, CallAbandoned, StillRunningAt):
    _cls.__module__ = "actorlint_runtime"
del _cls
