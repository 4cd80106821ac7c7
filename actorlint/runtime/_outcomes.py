"""The values ``time_limited`` returns and raises: ``Ok``, ``Exit``, ``TimedOut`` and
``TimeLimitExceeded``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar, Union

__all__ = ["Exit", "Ok", "Outcome", "TimeLimitExceeded", "TimedOut"]

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


Outcome = Union[Ok[Any], Exit, TimedOut]

# Shown, and pickled, as the public names.
for _cls in (Ok, Exit, TimedOut):
    _cls.__module__ = "actorlint.runtime"


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


TimeLimitExceeded.__module__ = "actorlint.runtime"
del _cls
