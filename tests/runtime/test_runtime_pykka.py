"""time_limited on a real Pykka actor: a stuck handler fails the caller fast with
TimeLimitExceeded instead of hanging it until its own timeout, and the actor keeps
serving the next message (the seed's "time-limit GenServer callbacks", in Python)."""

from __future__ import annotations

import threading
import time

import pytest

pykka = pytest.importorskip("pykka")

from actorlint_runtime import TimeLimitExceeded, time_limited
from tests.runtime_helpers import hang, no_body_left_behind

HANDLER_LIMIT = 0.5
CALLER_TIMEOUT = 5.0
FAST_ENOUGH = 3.0  # well under the caller's 5 s: the limit fired, the caller did not wait

_no_body_left_behind = pytest.fixture(autouse=True)(no_body_left_behind)


def spin(seconds: float) -> None:
    """Stuck (a library call that never returns), bounded for safety; released when the test ends."""
    hang(seconds)


class Inventory(pykka.ThreadingActor):
    def __init__(self) -> None:
        super().__init__()
        self.handled = 0
        self.threads = set()

    @time_limited(seconds=HANDLER_LIMIT)
    def on_receive(self, message):
        self.handled += 1
        self.threads.add(threading.get_ident())
        if message == "stuck":
            spin(60.0)
        return {"sku": message, "count": 3}

    @time_limited(seconds=HANDLER_LIMIT)
    def slow(self):
        self.handled += 1
        spin(60.0)
        return "never"

    @time_limited(seconds=HANDLER_LIMIT)
    def count(self, sku):
        self.handled += 1
        return {"sku": sku, "count": 3}

    @time_limited(seconds=HANDLER_LIMIT, on_timeout=lambda exc: {"error": "timeout"})
    def reply_on_timeout(self, stuck):
        if stuck:
            spin(60.0)
        return {"ok": 1}

    def stats(self):
        return self.handled, len(self.threads)


@pytest.fixture
def inventory():
    ref = Inventory.start()
    yield ref
    pykka.ActorRegistry.stop_all(timeout=5)


def test_ask_fails_fast_and_the_actor_serves_the_next_message(inventory) -> None:
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as caught:
        inventory.ask("stuck", timeout=CALLER_TIMEOUT)
    elapsed = time.monotonic() - start
    assert HANDLER_LIMIT <= elapsed < FAST_ENOUGH
    assert caught.value.function == "Inventory.on_receive"
    assert caught.value.seconds == HANDLER_LIMIT

    assert inventory.is_alive()
    assert inventory.ask("A-1", timeout=CALLER_TIMEOUT) == {"sku": "A-1", "count": 3}
    handled, threads = inventory.proxy().stats().get(timeout=CALLER_TIMEOUT)
    # Both messages ran on the real actor (no copy), each in a worker thread: the stuck
    # one's is still busy with it, so the next one got another.
    assert handled == 2 and threads == 2


def test_proxy_call_fails_fast_and_the_actor_serves_the_next_call(inventory) -> None:
    proxy = inventory.proxy()
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match=r"Inventory\.slow exceeded its time limit of 0\.5 s"):
        proxy.slow().get(timeout=CALLER_TIMEOUT)
    assert time.monotonic() - start < FAST_ENOUGH

    assert proxy.count("B-2").get(timeout=CALLER_TIMEOUT) == {"sku": "B-2", "count": 3}
    assert proxy.stats().get(timeout=CALLER_TIMEOUT)[0] == 2


def test_on_timeout_becomes_the_reply(inventory) -> None:
    proxy = inventory.proxy()
    start = time.monotonic()
    assert proxy.reply_on_timeout(True).get(timeout=CALLER_TIMEOUT) == {"error": "timeout"}
    assert time.monotonic() - start < FAST_ENOUGH
    assert proxy.reply_on_timeout(False).get(timeout=CALLER_TIMEOUT) == {"ok": 1}


def test_messages_queued_behind_a_stuck_one_are_served(inventory) -> None:
    # The seed's pit: the callers behind a stuck message time out too. With the limit,
    # each stuck message costs the queue HANDLER_LIMIT, not forever.
    futures = [inventory.ask("stuck", block=False) for _ in range(2)]
    futures.append(inventory.ask("C-3", block=False))
    start = time.monotonic()
    for future in futures[:2]:
        with pytest.raises(TimeLimitExceeded):
            future.get(timeout=CALLER_TIMEOUT)
    assert futures[2].get(timeout=CALLER_TIMEOUT) == {"sku": "C-3", "count": 3}
    assert time.monotonic() - start < 2 * HANDLER_LIMIT + FAST_ENOUGH


class Mailer(pykka.ThreadingActor):
    """Told (fire-and-forget) messages: Pykka stops an actor whose handler raises for a
    message nobody waits on, so the limit returns a value instead (on_timeout)."""

    def __init__(self) -> None:
        super().__init__()
        self.outcomes = []

    @time_limited(seconds=HANDLER_LIMIT, on_timeout=lambda exc: "timed out")
    def on_receive(self, message):
        if message == "stuck":
            spin(60.0)
        if message == "outcomes":
            return list(self.outcomes)
        self.outcomes.append(message)
        return None


def test_told_messages_with_on_timeout_keep_the_actor_alive() -> None:
    try:
        ref = Mailer.start()
        ref.tell("stuck")
        ref.tell("welcome")
        assert ref.ask("outcomes", timeout=CALLER_TIMEOUT) == ["welcome"]
        assert ref.is_alive()
    finally:
        pykka.ActorRegistry.stop_all(timeout=5)
