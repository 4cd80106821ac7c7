"""The thread mode's promises, on real blocking calls and a real Pykka actor.

- The handler returns at the limit whatever the body does: sleeping, blocked reading a
  socket whose server never answers, in ``urllib`` against that server.
- The actor serves its next message at once.
- Nothing is ever left held by the mechanism: bodies are abandoned, never interrupted,
  so locks, queues, conditions, logging handlers and Pykka ``tell``s stay consistent
  over thousands of calls that ran past their limits.
- No thread or table entry outlives its calls; abandoned bodies are capped and counted.
- ``committing()`` keeps an abandoned body's writes out of the actor's later messages.
"""

from __future__ import annotations

import contextvars
import logging
import os
import queue
import signal
import socket
import threading
import time
import urllib.request
from typing import Callable, Iterator, List

import pytest

import actorlint_runtime
from actorlint_runtime import CallAbandoned, TimeLimitExceeded, TooManyAbandoned, committing, time_limited
from tests.runtime_helpers import RELEASE, hang, no_body_left_behind

pykka = pytest.importorskip("pykka")

LIMIT = 0.5
PROMPT = LIMIT + 0.1  # the bound: the handler returns by then
_no_body_left_behind = pytest.fixture(autouse=True)(no_body_left_behind)


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A TCP server that accepts connections and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: List[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server
    stop.set()
    thread.join(5)
    for connection in accepted:  # the abandoned readers get EOF and end
        connection.close()
    server.close()


def _read_silent(server: socket.socket) -> bytes:
    with socket.create_connection(server.getsockname()) as client:
        return client.recv(1)  # no timeout: blocks until the server closes the connection


def _urlopen_silent(server: socket.socket) -> bytes:
    host, port = server.getsockname()
    with urllib.request.urlopen(f"http://{host}:{port}/") as response:  # no timeout
        return response.read()


class Shop(pykka.ThreadingActor):
    """A handler stuck in whatever ``work`` does; ``ping`` answers at once."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work

    @time_limited(seconds=LIMIT)
    def stuck(self) -> object:
        return self.work()

    def ping(self) -> str:
        return "pong"


def _sleep_then_release() -> None:
    time.sleep(2.0)  # the time.sleep(10), shortened: it ends by itself after the test


@pytest.mark.parametrize("blocked_in", ["time.sleep", "socket.recv", "urlopen"])
def test_a_stuck_handler_returns_at_the_limit_and_the_actor_serves_the_next_message(
        silent_server: socket.socket, blocked_in: str) -> None:
    work = {
        "time.sleep": _sleep_then_release,
        "socket.recv": lambda: _read_silent(silent_server),
        "urlopen": lambda: _urlopen_silent(silent_server),
    }[blocked_in]
    proxy = Shop.start(work).proxy()
    try:
        start = time.monotonic()
        with pytest.raises(TimeLimitExceeded):
            proxy.stuck().get(timeout=5)
        returned = time.monotonic() - start
        start = time.monotonic()
        assert proxy.ping().get(timeout=5) == "pong"
        answered = time.monotonic() - start
    finally:
        pykka.ActorRegistry.stop_all(timeout=5)
    assert LIMIT <= returned <= PROMPT, returned
    assert answered < 0.1, answered
    time.sleep(2.0 if blocked_in == "time.sleep" else 0)  # let the sleeping body end


def _abandon_many(body: Callable[[], None], calls: int, limit: float) -> int:
    """Call ``body`` under ``limit`` ``calls`` times from one thread; how many timed out."""
    limited = time_limited(seconds=limit)(body)
    timed_out = 0
    for _ in range(calls):
        try:
            limited()
        except TooManyAbandoned:
            time.sleep(0.005)  # the cap held: let abandoned bodies end
        except TimeLimitExceeded:
            timed_out += 1
    return timed_out


def _settle() -> None:
    deadline = time.monotonic() + 10
    while actorlint_runtime.stats().abandoned and time.monotonic() < deadline:
        time.sleep(0.01)


def test_locks_queues_conditions_and_logging_are_never_left_held() -> None:
    """The issue's patterns, each abandoned over a thousand times mid-critical-section:
    with bodies never interrupted, zero is held afterwards."""
    lock = threading.Lock()
    jobs: "queue.Queue[int]" = queue.Queue()
    condition = threading.Condition()
    class SlowHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            time.sleep(0.002)

    handler = SlowHandler()

    def hold_the_lock() -> None:
        lock.acquire()
        try:
            time.sleep(0.002)
        finally:
            lock.release()

    def use_the_queue() -> None:
        jobs.put(1)
        time.sleep(0.002)
        jobs.get()
        jobs.task_done()

    def wait_on_the_condition() -> None:
        with condition:
            condition.wait(0.002)

    record = logging.makeLogRecord({"msg": "slow", "levelno": logging.WARNING})

    def log_slowly() -> None:
        handler.handle(record)  # under the handler's lock, as a logger calls it (whatever the levels)

    abandoned = {body.__name__: _abandon_many(body, 1000, 0.001)
                 for body in (hold_the_lock, use_the_queue, wait_on_the_condition, log_slowly)}
    _settle()
    held = {
        "lock": not lock.acquire(blocking=False) or lock.release(),
        "queue mutex": not jobs.mutex.acquire(blocking=False) or jobs.mutex.release(),
        "queue items": jobs.qsize() != 0 or jobs.unfinished_tasks != 0,
        "condition": not condition.acquire(blocking=False) or condition.release(),
        "logging handler": not handler.lock.acquire(blocking=False) or handler.lock.release(),
    }
    assert all(count > 100 for count in abandoned.values()), abandoned  # they did run past the limit
    assert not any(held.values()), held


class Ledger(pykka.ThreadingActor):
    def __init__(self) -> None:
        super().__init__()
        self.entries = 0

    def record(self) -> None:
        self.entries += 1

    def count(self) -> int:
        return self.entries


class Clerk(pykka.ThreadingActor):
    """The issue's deadlock: a 0.05 s limited handler that sends tells."""

    def __init__(self, ledger: object) -> None:
        super().__init__()
        self.ledger = ledger

    @time_limited(seconds=0.05, on_timeout=lambda exc: "late")
    def book(self, tells: int) -> str:
        for _ in range(tells):
            self.ledger.record()
            time.sleep(0.001)
        return "booked"


def test_a_limited_handler_sending_tells_never_wedges_the_receiver() -> None:
    try:
        ledger = Ledger.start().proxy()
        clerk = Clerk.start(ledger).proxy()
        replies = [clerk.book(100).get(timeout=5) for _ in range(20)]
        _settle()
        assert "late" in replies  # the limit did fire
        # Every tell was delivered whole, and the ledger still answers at once.
        assert ledger.count().get(timeout=1) == 20 * 100
    finally:
        pykka.ActorRegistry.stop_all(timeout=5)


def test_no_thread_or_entry_outlives_ten_thousand_calls() -> None:
    @time_limited(seconds=1.0)
    def quick(x: int) -> int:
        return x + 1

    before = threading.active_count()
    assert sum(quick(i) for i in range(10_000)) == sum(range(1, 10_001))
    after = actorlint_runtime.stats()
    assert after.running == 0 and after.abandoned == 0
    # Sequential calls reuse one idle worker: at most one thread more than before.
    assert threading.active_count() <= before + 1 and after.workers <= before + 1


def test_abandoned_bodies_are_capped_and_counted() -> None:
    actorlint_runtime.configure(max_abandoned=2)
    try:
        stuck = time_limited(seconds=0.05)(hang)
        base = actorlint_runtime.stats()
        for _ in range(2):
            with pytest.raises(TimeLimitExceeded) as caught:
                stuck()
            assert type(caught.value) is TimeLimitExceeded
        start = time.monotonic()
        with pytest.raises(TooManyAbandoned, match="2 calls that ran past their time limits are still running"):
            stuck()
        assert time.monotonic() - start < 0.05  # refused at once, not after the limit
        now = actorlint_runtime.stats()
        assert now.abandoned == 2 and now.max_abandoned == 2
        assert now.abandoned_total - base.abandoned_total == 2 and now.refused_total - base.refused_total == 1
        RELEASE.set()
        _settle()
        assert time_limited(lambda: "again", 1.0) == actorlint_runtime.Ok("again")
    finally:
        actorlint_runtime.configure(max_abandoned=32)


def test_committing_keeps_an_abandoned_bodys_writes_out() -> None:
    state = {"writes": 0}
    seen: List[BaseException] = []

    @time_limited(seconds=0.5)
    def update(delay: float) -> None:
        time.sleep(delay)  # the slow part, on local data
        try:
            with committing():  # the writes, only while the caller still waits
                state["writes"] += 1
        except CallAbandoned as error:
            seen.append(error)
            raise

    update(0.0)
    with pytest.raises(TimeLimitExceeded):
        update(1.0)
    time.sleep(1.2)
    assert state["writes"] == 1 and len(seen) == 1
    assert "ran past its time limit and its caller stopped waiting" in str(seen[0])


def test_the_caller_waits_for_a_commit_under_way() -> None:
    """A body inside its committing() block at the limit finishes the block before the
    caller moves on: the block's writes are never split by the limit. (Whether the call
    then returns the body's result or TimeLimitExceeded depends on which of the two
    takes the call's lock first after the block.)"""
    state = {"first": 0, "second": 0}

    @time_limited(seconds=0.5)
    def update() -> str:
        with committing():
            state["first"] += 1
            time.sleep(1.0)  # past the limit, inside the block
            state["second"] += 1
        return "done"

    start = time.monotonic()
    try:
        outcome = update()
    except TimeLimitExceeded:
        outcome = "timed out"
    elapsed = time.monotonic() - start
    assert outcome in ("done", "timed out")
    assert elapsed >= 1.0  # the caller waited for the block, not just the limit
    assert state == {"first": 1, "second": 1}


def test_committing_outside_a_limited_body_just_runs() -> None:
    with committing():
        ran = True
    assert ran


VISITOR: "contextvars.ContextVar[str]" = contextvars.ContextVar("VISITOR", default="nobody")


def test_the_body_sees_context_variables_but_not_thread_locals() -> None:
    local = threading.local()
    local.user = "alice"
    VISITOR.set("bob")

    @time_limited(seconds=1.0)
    def who() -> tuple:
        return VISITOR.get(), getattr(local, "user", None), threading.current_thread().name

    visitor, user, thread = who()
    assert visitor == "bob" and user is None and thread == "actorlint-runtime-worker"


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_ctrl_c_while_waiting_abandons_the_body() -> None:
    assert threading.current_thread() is threading.main_thread()
    stuck = time_limited(seconds=5.0)(hang)
    base = actorlint_runtime.stats().abandoned_total
    # A real SIGINT, aimed at the main thread as a terminal's Ctrl-C reaches it (sent with
    # os.kill from the timer's thread, Linux may deliver it to that thread instead). Python
    # raises KeyboardInterrupt for it only with its default handler: a process started in
    # the background by a non-interactive shell inherits SIGINT ignored, so install it.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.1, signal.pthread_kill, (threading.main_thread().ident, signal.SIGINT))
    try:
        timer.start()
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            stuck()
    finally:
        timer.join()
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - start < 2.0
    assert actorlint_runtime.stats().abandoned_total == base + 1
