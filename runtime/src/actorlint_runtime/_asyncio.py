"""``async def`` bodies: asyncio cancellation at the limit.

A coroutine is cancelled cooperatively, at its next ``await``: its ``finally`` blocks and
``async with`` exits run, and a body that never awaits (blocking the event loop) cannot be
stopped. ``asyncio.timeout`` where it exists (3.11+), else ``asyncio.wait_for``.
"""

from __future__ import annotations

import sys
from typing import Any, Optional, Tuple

__all__ = ["await_limited"]

# asyncio.timeout() where it exists (3.11+), else asyncio.wait_for (tests flip this).
_USE_ASYNCIO_TIMEOUT = sys.version_info >= (3, 11)


async def await_limited(coro: Any, seconds: float) -> Tuple[bool, Any]:
    """Await ``coro`` for at most ``seconds``: ``(True, value)``, or ``(False, tb)`` with
    the traceback of where it was waiting when cancelled. Its exceptions propagate."""
    import asyncio

    if _USE_ASYNCIO_TIMEOUT:
        limit = asyncio.timeout(seconds)  # type: ignore[attr-defined,unused-ignore]  # 3.11+
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
