"""Checked by ``mypy --strict`` in tests/runtime/test_runtime_typing.py: decorated functions and
methods, sync and async, keep their signatures; the call form's outcome is typed."""

from __future__ import annotations

import asyncio

from actorlint_runtime import Exit, Ok, TimedOut, TimeLimitExceeded, committing, stats, time_limited


@time_limited(seconds=4.0)
def price(sku: str, quantity: int = 1) -> float:
    return 2.5 * quantity


@time_limited(4.0, on_timeout=lambda exc: 0.0)
def cheap(sku: str) -> float:
    return 1.0


@time_limited(seconds=4.0)
async def fetch(url: str) -> bytes:
    await asyncio.sleep(0)
    return b""


class Shop:
    def __init__(self) -> None:
        self.total = 0.0

    @time_limited(seconds=4.0)
    def add(self, amount: float) -> float:
        with committing():
            self.total += amount
        return self.total

    @time_limited(seconds=4.0)
    async def refresh(self, sku: str) -> str:
        return sku


def use() -> None:
    total: float = price("A-1", quantity=2) + cheap("B-2")
    reveal_type(price)  # the decorated function keeps its parameters
    reveal_type(Shop().add)
    reveal_type(fetch)
    outcome = time_limited(lambda: price("A-1"), 4.0)
    reveal_type(outcome)
    match outcome:
        case Ok(value):
            total += value
        case Exit(error):
            raise error
        case TimedOut(seconds):
            total -= seconds
    print(total, stats().abandoned, TimeLimitExceeded("f", 1.0).seconds)


async def use_async() -> None:
    data: bytes = await fetch("https://example.com")
    sku: str = await Shop().refresh("A-1")
    outcome = await time_limited(lambda: fetch("x"), 4.0)
    reveal_type(outcome)
    print(data, sku)


def misuse() -> None:
    price(1)  # E: an int for the str
    Shop().add("x")  # E: a str for the float
