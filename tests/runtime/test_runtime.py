"""actorlint_runtime: time_limited in its call and decorator forms, asyncio limits,
process isolation. The thread mode's own guarantees (blocking calls, abandoned bodies,
locks, leaks, ``committing``) are tests/runtime/test_runtime_threads.py's.

Bodies that run past their limit wait on ``RELEASE`` (``hang``), which every test sets
when it ends: abandoned bodies then finish, and the fixture checks that none is left.
Margins are generous (a 0.2 s limit must fire by 1.0 s) so a loaded 2-core machine
does not flake.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import inspect
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time
import traceback
from pathlib import Path
from typing import Any, List

import pytest

import actorlint_runtime as runtime
from actorlint_runtime import Exit, Ok, TimedOut, TimeLimitExceeded, _process, time_limited
from tests.runtime_helpers import FOREVER, hang, no_body_left_behind

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 0.2
MARGIN = 0.8  # a LIMIT-second limit must fire by LIMIT + MARGIN


def spin(seconds: float) -> int:
    """Wait ``seconds``, or until the test ends (``RELEASE``)."""
    hang(seconds)
    return 0


def fail(message: str = "boom") -> None:
    raise ValueError(message)


_no_body_left_behind = pytest.fixture(autouse=True)(no_body_left_behind)


# ---------------------------------------------------------------------------
# Call form: Ok / Exit / TimedOut


def test_call_form_ok() -> None:
    assert time_limited(lambda: 42, LIMIT) == Ok(42)
    assert time_limited(functools.partial(pow, 2, 10), seconds=1) == Ok(1024)


def test_call_form_exit_carries_the_exception_and_its_traceback() -> None:
    outcome = time_limited(lambda: fail("bad input"), LIMIT)
    assert isinstance(outcome, Exit)
    assert isinstance(outcome.error, ValueError) and str(outcome.error) == "bad input"
    assert outcome.error.__traceback__ is not None
    names = [frame.name for frame in traceback.extract_tb(outcome.error.__traceback__)]
    assert names[-1] == "fail"


def test_call_form_timed_out_within_the_limit_plus_margin() -> None:
    start = time.monotonic()
    outcome = time_limited(lambda: spin(FOREVER), LIMIT)
    elapsed = time.monotonic() - start
    assert outcome == TimedOut(LIMIT)
    assert LIMIT <= elapsed < LIMIT + MARGIN


def test_call_form_lets_keyboard_interrupt_through() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        time_limited(interrupted, LIMIT)


def test_call_form_does_not_take_on_timeout() -> None:
    with pytest.raises(TypeError, match="on_timeout"):
        time_limited(lambda: 1, 1.0, on_timeout=lambda exc: None)


def test_outcomes_are_small_frozen_types() -> None:
    for outcome, field in ((Ok(1), "value"), (Exit(ValueError()), "error"), (TimedOut(1.0), "seconds")):
        assert type(outcome).__match_args__ == (field,)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(outcome, field, None)
        assert type(outcome).__module__ == "actorlint_runtime"
    assert Ok(1) == Ok(1) and Ok(1) != Ok(2) and hash(TimedOut(1.0)) == hash(TimedOut(1.0))
    assert pickle.loads(pickle.dumps(Ok([1, 2]))) == Ok([1, 2])
    assert repr(TimedOut(0.5)) == "TimedOut(seconds=0.5)"


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match needs Python 3.10")
def test_outcomes_work_with_match() -> None:
    source = textwrap.dedent("""
        def reply(outcome):
            match outcome:
                case Ok(result):
                    return ("ok", result)
                case Exit(error):
                    return ("error", type(error).__name__)
                case TimedOut(seconds):
                    return ("timeout", seconds)
    """)
    namespace: dict = {"Ok": Ok, "Exit": Exit, "TimedOut": TimedOut}
    exec(source, namespace)  # kept out of this file's syntax: it must import on 3.9
    reply = namespace["reply"]
    assert reply(time_limited(lambda: 7, LIMIT)) == ("ok", 7)
    assert reply(time_limited(fail, LIMIT)) == ("error", "ValueError")
    assert reply(time_limited(lambda: spin(FOREVER), LIMIT)) == ("timeout", LIMIT)


# ---------------------------------------------------------------------------
# Decorator form


@time_limited(seconds=LIMIT)
def limited_spin(seconds: float) -> int:
    return spin(seconds)


def test_decorator_on_a_function_returns_and_raises() -> None:
    assert limited_spin(0.0) >= 0
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as caught:
        limited_spin(FOREVER)
    assert time.monotonic() - start < LIMIT + MARGIN
    assert caught.value.function == "limited_spin" and caught.value.seconds == LIMIT
    # Its cause shows where the body was when the caller stopped waiting.
    still = caught.value.__cause__
    assert isinstance(still, runtime.StillRunningAt) and caught.value.__context__ is None
    lines = still.stack.splitlines()
    assert "in limited_spin" in lines[0] and "in hang" in still.stack  # the body's frames only
    assert "RELEASE.wait(seconds)" in still.stack


def test_decorator_positional_seconds() -> None:
    @time_limited(LIMIT)
    def quick(x: int) -> int:
        return x + 1

    assert quick(1) == 2 and quick.__actorlint_time_limit__ == LIMIT


def test_exceptions_from_the_work_are_re_raised_unchanged() -> None:
    raised: List[BaseException] = []

    @time_limited(seconds=1.0)
    def work() -> None:
        try:
            fail("original")
        except ValueError as error:
            raised.append(error)
            raise

    with pytest.raises(ValueError, match="original") as caught:
        work()
    assert caught.value is raised[0]
    assert "fail" in [frame.name for frame in traceback.extract_tb(caught.value.__traceback__)]


def test_the_works_own_timeout_error_is_not_a_time_limit() -> None:
    @time_limited(seconds=1.0)
    def work() -> None:
        raise TimeoutError("the server did not answer")

    with pytest.raises(TimeoutError, match="server") as caught:
        work()
    assert type(caught.value) is TimeoutError


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    @time_limited(seconds=LIMIT)
    def bump(self, by: int = 1) -> int:
        self.calls += by
        return self.calls

    @time_limited(seconds=LIMIT)
    def stuck(self) -> None:
        self.calls += 100
        spin(FOREVER)

    @staticmethod
    @time_limited(seconds=LIMIT)
    def static_below(x: int) -> int:
        return x * 2

    @time_limited(seconds=LIMIT)
    @staticmethod
    def static_above(x: int) -> int:
        return spin(FOREVER) if x < 0 else x * 3

    @classmethod
    @time_limited(seconds=LIMIT)
    def class_below(cls) -> str:
        return cls.__name__

    @time_limited(seconds=LIMIT)
    @classmethod
    def class_above(cls) -> str:
        return cls.__name__


def test_decorator_on_methods_runs_on_the_real_instance() -> None:
    counter = Counter()
    assert counter.bump() == 1 and counter.bump(by=2) == 3
    with pytest.raises(TimeLimitExceeded, match=r"Counter\.stuck exceeded its time limit of 0\.2 s"):
        counter.stuck()
    # It ran in this thread on this object: its state change before the limit is kept.
    assert counter.calls == 103
    assert counter.bump() == 104


def test_decorator_on_staticmethods_and_classmethods() -> None:
    assert Counter.static_below(2) == 4 and Counter().static_below(2) == 4
    assert Counter.static_above(2) == 6
    with pytest.raises(TimeLimitExceeded, match="static_above"):
        Counter.static_above(-1)
    assert Counter.class_below() == "Counter" and Counter.class_above() == "Counter"
    assert isinstance(Counter.__dict__["static_above"], staticmethod)
    assert Counter.__dict__["static_above"].__func__.__actorlint_time_limit__ == LIMIT


def test_decorator_keeps_metadata_and_signature() -> None:
    def original(a: int, b: str = "x", *rest: int, flag: bool = False, **extra: Any) -> str:
        """Original docstring."""
        return b * a

    limited = time_limited(seconds=4.0)(original)
    assert limited.__name__ == "original"
    assert limited.__qualname__ == original.__qualname__
    assert limited.__doc__ == "Original docstring."
    assert limited.__module__ == __name__
    assert limited.__wrapped__ is original
    assert limited.__annotations__ == original.__annotations__
    assert inspect.signature(limited) == inspect.signature(original)
    assert limited(2, "ab") == "abab"


def test_decorator_keeps_attributes_that_framework_decorators_set() -> None:
    def framework(**options: Any):  # like ray.method(num_returns=2)
        def mark(fn):
            fn.__ray_num_returns__ = options["num_returns"]
            fn.framework_options = options
            return fn
        return mark

    @time_limited(seconds=4.0)
    @framework(num_returns=2)
    def inner_marked() -> tuple:
        return (1, 2)

    @framework(num_returns=3)
    @time_limited(seconds=4.0)
    def outer_marked() -> tuple:
        return (1, 2, 3)

    assert inner_marked.__ray_num_returns__ == 2
    assert inner_marked.framework_options == {"num_returns": 2}
    assert outer_marked.__ray_num_returns__ == 3
    assert inner_marked.__actorlint_time_limit__ == 4.0
    assert outer_marked.__actorlint_time_limit__ == 4.0
    assert inner_marked() == (1, 2)


def test_the_limit_is_readable_at_run_time() -> None:
    @time_limited(seconds=4)
    def handler() -> None:
        pass

    assert handler.__actorlint_time_limit__ == 4.0
    assert isinstance(handler.__actorlint_time_limit__, float)
    assert time_limited(seconds=2.5).__actorlint_time_limit__ == 2.5


BAD_SECONDS = [0, 0.0, -1, -0.5, float("nan"), float("inf"), float("-inf"), True, False,
               "4", None, [4], 1j]


@pytest.mark.parametrize("seconds", BAD_SECONDS, ids=repr)
def test_seconds_must_be_a_finite_positive_number(seconds: Any) -> None:
    message = "seconds must be a finite positive number"
    with pytest.raises(ValueError, match=message):
        time_limited(seconds=seconds)
    with pytest.raises(ValueError, match=message):
        time_limited(lambda: 1, seconds)


def test_misuse_is_reported_clearly() -> None:
    with pytest.raises(ValueError, match="seconds must be"):
        time_limited(lambda: 1)  # no limit given
    with pytest.raises(ValueError, match="isolation"):
        time_limited(seconds=1.0, isolation="thread-pool")
    with pytest.raises(TypeError, match="on_timeout must be callable"):
        time_limited(seconds=1.0, on_timeout="timeout")
    with pytest.raises(TypeError, match="seconds given twice"):
        time_limited(1.0, 2.0)
    with pytest.raises(TypeError, match="generator"):
        @time_limited(seconds=1.0)
        def numbers():
            yield 1
    with pytest.raises(TypeError, match="synchronous"):
        @time_limited(seconds=1.0, isolation="process")
        async def remote() -> None:
            pass


def test_on_timeout_receives_the_exception_and_its_result_is_returned() -> None:
    seen: List[TimeLimitExceeded] = []

    def reply(exc: TimeLimitExceeded) -> dict:
        seen.append(exc)
        return {"error": "timeout"}

    @time_limited(seconds=LIMIT, on_timeout=reply)
    def handler(slow: bool) -> dict:
        if slow:
            spin(FOREVER)
        return {"ok": 1}

    assert handler(False) == {"ok": 1} and seen == []
    start = time.monotonic()
    assert handler(True) == {"error": "timeout"}
    assert time.monotonic() - start < LIMIT + MARGIN
    assert len(seen) == 1 and isinstance(seen[0], TimeLimitExceeded)
    assert seen[0].function.endswith("handler") and seen[0].seconds == LIMIT


def test_time_limit_exceeded_is_an_exception_and_a_timeout_error() -> None:
    exc = TimeLimitExceeded("Mailer.on_receive", 4.0)
    assert isinstance(exc, Exception) and isinstance(exc, TimeoutError)
    assert issubclass(TimeLimitExceeded, TimeoutError)
    assert str(exc) == "Mailer.on_receive exceeded its time limit of 4 s"
    assert exc.function == "Mailer.on_receive" and exc.seconds == 4.0
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is TimeLimitExceeded and str(copy) == str(exc) and copy.seconds == 4.0
    assert TimeLimitExceeded.__module__ == "actorlint_runtime"


# ---------------------------------------------------------------------------
# async def: asyncio cancellation


@pytest.fixture(params=["asyncio.timeout", "asyncio.wait_for"])
def async_impl(request, monkeypatch):
    if request.param == "asyncio.timeout" and sys.version_info < (3, 11):
        pytest.skip("asyncio.timeout needs Python 3.11")
    monkeypatch.setattr(runtime._asyncio, "_USE_ASYNCIO_TIMEOUT", request.param == "asyncio.timeout")
    return request.param


def test_decorator_on_async_def(async_impl: str) -> None:
    class Actor:
        def __init__(self) -> None:
            self.state = 0

        @time_limited(seconds=LIMIT)
        async def handle(self, x: int) -> int:
            """Handle x."""
            self.state += x
            await asyncio.sleep(0)
            return self.state

        @time_limited(seconds=LIMIT)
        async def hang(self) -> None:
            await asyncio.sleep(FOREVER)

        @time_limited(seconds=LIMIT)
        async def own_timeout(self) -> None:
            raise asyncio.TimeoutError("the work's own")

    actor = Actor()
    assert inspect.iscoroutinefunction(Actor.handle)
    assert Actor.handle.__doc__ == "Handle x." and Actor.handle.__actorlint_time_limit__ == LIMIT

    async def main() -> None:
        assert await actor.handle(2) == 2
        start = time.monotonic()
        with pytest.raises(TimeLimitExceeded, match=r"Actor\.hang exceeded"):
            await actor.hang()
        assert time.monotonic() - start < LIMIT + MARGIN
        with pytest.raises(asyncio.TimeoutError, match="the work's own") as caught:
            await actor.own_timeout()
        assert not isinstance(caught.value, TimeLimitExceeded)
        assert await actor.handle(1) == 3  # the loop and the actor carry on

    asyncio.run(main())


def test_async_on_timeout_may_be_sync_or_async(async_impl: str) -> None:
    async def async_reply(exc: TimeLimitExceeded) -> str:
        return f"late: {exc.seconds}"

    @time_limited(seconds=LIMIT, on_timeout=lambda exc: "timeout")
    async def sync_reply() -> str:
        await asyncio.sleep(FOREVER)
        return "never"

    @time_limited(seconds=LIMIT, on_timeout=async_reply)
    async def awaited_reply() -> str:
        await asyncio.sleep(FOREVER)
        return "never"

    async def main() -> None:
        assert await sync_reply() == "timeout"
        assert await awaited_reply() == f"late: {LIMIT}"

    asyncio.run(main())


def test_async_call_form(async_impl: str) -> None:
    async def quick() -> int:
        return 5

    async def hang() -> None:
        await asyncio.sleep(FOREVER)

    async def broken() -> None:
        fail("async boom")

    async def main() -> None:
        assert await time_limited(quick, LIMIT) == Ok(5)
        assert await time_limited(hang, LIMIT) == TimedOut(LIMIT)
        outcome = await time_limited(broken, LIMIT)
        assert isinstance(outcome, Exit) and str(outcome.error) == "async boom"
        assert outcome.error.__traceback__ is not None

    asyncio.run(main())


# ---------------------------------------------------------------------------
# isolation="process": pure functions, terminated at the limit


def square(x: int) -> int:
    return x * x


def write_pid_and_hang(path: str) -> None:
    Path(path).write_text(str(os.getpid()), encoding="utf-8")
    while True:
        time.sleep(0.01)  # a blocking call: only a process can be stopped in it


@time_limited(seconds=10.0, isolation="process")
def pid_of_worker(x: int) -> tuple:
    return x, os.getpid()


@time_limited(seconds=0.5, isolation="process", on_timeout=lambda exc: ("timeout", exc.seconds))
def hang_in_worker() -> None:
    time.sleep(FOREVER)


@pytest.fixture(scope="module")
def workers():
    yield
    _process.shutdown()


def test_process_isolation_returns_a_pure_functions_result(workers) -> None:
    assert time_limited(functools.partial(square, 12), 10.0, isolation="process") == Ok(144)
    x, pid = pid_of_worker(3)
    assert x == 3 and pid != os.getpid()
    assert pid_of_worker.__actorlint_time_limit__ == 10.0 and pid_of_worker.__name__ == "pid_of_worker"


def test_process_isolation_terminates_the_worker_at_the_limit(workers, tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    pid_of_worker(0)  # a warm worker: the cold start is not counted in the limit anyway
    start = time.monotonic()
    outcome = time_limited(functools.partial(write_pid_and_hang, str(pid_file)), 1.0,
                           isolation="process")
    elapsed = time.monotonic() - start
    assert outcome == TimedOut(1.0)
    assert 1.0 <= elapsed < 1.0 + 3.0
    pid = int(pid_file.read_text(encoding="utf-8"))
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # terminated and reaped, as Task.shutdown does
    assert hang_in_worker() == ("timeout", 0.5)
    assert pid_of_worker(1)[0] == 1  # and the next call gets a fresh worker


def test_process_isolation_reports_the_workers_exception(workers) -> None:
    outcome = time_limited(functools.partial(fail, "in the worker"), 10.0, isolation="process")
    assert isinstance(outcome, Exit) and isinstance(outcome.error, ValueError)
    assert str(outcome.error) == "in the worker" and outcome.error.__traceback__ is not None
    assert isinstance(outcome.error.__cause__, _process.RemoteTraceback)
    assert "in fail" in str(outcome.error.__cause__)


def test_process_isolation_needs_picklable_work(workers) -> None:
    with pytest.raises(TypeError, match=r"copies .*<lambda> and its arguments into a worker "
                                        r"process, so they must pickle"):
        time_limited(lambda: 1, 10.0, isolation="process")
    with pytest.raises(TypeError, match="must pickle"):
        time_limited(functools.partial(square, threading.Lock()), 10.0, isolation="process")
    outcome = time_limited(functools.partial(threading.Lock), 10.0, isolation="process")
    assert isinstance(outcome, Exit) and "could not be sent back" in str(outcome.error)


# ---------------------------------------------------------------------------
# Import hygiene


def test_importing_the_runtime_imports_neither_libcst_nor_click() -> None:
    code = (
        "import sys, actorlint_runtime, actorlint.runtime\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('libcst', 'click', 'multiprocessing', 'asyncio'))\n"
        "print(heavy)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "runtime" / "src")]))
    result = subprocess.run([sys.executable, "-c", code], cwd=str(ROOT), env=env,
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
