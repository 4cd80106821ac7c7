"""time_limited on real Celery tasks: the ACT202 fix (``@time_limited(seconds=...)`` as the
innermost decorator, directly above ``def`` and below ``@app.task``) keeps the task a
normal Celery task (same registered name, ``bind=True`` still gives ``self.request``) and
bounds its body: a stuck task fails with ``TimeLimitExceeded`` long before it would have
finished. Eager mode runs the body in the calling thread; the worker test runs it in a
real (in-process, solo pool) worker thread over the in-memory transport.
"""

from __future__ import annotations

import time

import pytest

celery = pytest.importorskip("celery")

from celery import Celery  # noqa: E402
from celery.backends.base import Backend  # noqa: E402

from actorlint_runtime import TimeLimitExceeded, time_limited  # noqa: E402
from tests.runtime_helpers import hang, no_body_left_behind  # noqa: E402

LIMIT = 0.3
STUCK_FOR = 2.0
FAST_ENOUGH = 1.5  # well before the stuck body would have returned by itself

_no_body_left_behind = pytest.fixture(autouse=True)(no_body_left_behind)


def spin(seconds: float) -> str:
    """Stuck (a library call that never returns), bounded for safety; released when the test ends."""
    hang(seconds)
    return "never"


def make_app(name: str, **conf) -> Celery:
    app = Celery(name, broker="memory://", backend="cache+memory://")
    app.conf.update(**conf)
    return app


# --- eager mode: the task body runs in the caller's thread -----------------------------

eager = make_app("shop", task_always_eager=True, task_eager_propagates=True)


@eager.task(bind=True)
@time_limited(seconds=LIMIT)
def quote(self, sku, qty):
    return {"sku": sku, "total": qty * 250, "task_id": self.request.id}


@eager.task(bind=True)
@time_limited(seconds=LIMIT)
def stuck_quote(self, sku):
    return spin(STUCK_FOR)


@eager.task(bind=True)
@time_limited(seconds=LIMIT, on_timeout=lambda exc: {"error": "timeout", "limit": exc.seconds})
def quote_or_error(self, sku, stuck):
    if stuck:
        spin(STUCK_FOR)
    return {"sku": sku}


@eager.task
def plain_quote(sku, qty):
    return qty * 250


def test_fast_task_returns_its_value_through_delay_and_get() -> None:
    result = quote.delay("sku-1", 3)
    value = result.get(timeout=5)
    assert value["total"] == 750
    assert quote.apply_async(args=("sku-2", 2)).get(timeout=5)["total"] == 500


def test_bind_true_still_passes_the_task_but_not_its_thread_local_request() -> None:
    """The body runs in a worker thread: Celery keeps `self.request` per thread, so the
    body sees an empty request (docs/runtime.md says so; Celery's own
    `soft_time_limit` is what ACT202's fix uses for tasks)."""
    result = quote.delay("sku-1", 1)
    reply = result.get(timeout=5)
    assert reply["sku"] == "sku-1" and reply["task_id"] is None


def test_registered_name_and_limit_survive_the_wrapper() -> None:
    assert quote.name == f"{__name__}.quote"
    assert stuck_quote.name == f"{__name__}.stuck_quote"
    registered = eager.tasks[quote.name]  # `quote` itself is Celery's lazy proxy of it
    assert registered.run.__actorlint_time_limit__ == LIMIT
    assert registered.run.__wrapped__.__name__ == "quote"
    assert registered.run.__qualname__ == "quote"


def test_stuck_task_raises_time_limit_exceeded_well_before_it_would_finish() -> None:
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as caught:
        stuck_quote.delay("sku-1")
    elapsed = time.monotonic() - start
    assert LIMIT <= elapsed < FAST_ENOUGH
    assert caught.value.seconds == LIMIT
    assert caught.value.function == "stuck_quote"


def test_on_timeout_turns_the_time_out_into_a_reply() -> None:
    assert quote_or_error.delay("sku-1", False).get(timeout=5) == {"sku": "sku-1"}
    start = time.monotonic()
    assert quote_or_error.delay("sku-1", True).get(timeout=5) == {"error": "timeout", "limit": LIMIT}
    assert time.monotonic() - start < FAST_ENOUGH


def test_unwrapped_task_is_unchanged_next_to_wrapped_ones() -> None:
    assert plain_quote.delay("sku-1", 2).get(timeout=5) == 500


# --- a real worker: solo pool, in-memory transport, cache result backend ----------------


def test_real_worker_runs_the_wrapped_task_and_fails_the_stuck_one_fast() -> None:
    from celery.contrib.testing.worker import start_worker

    app = make_app("warehouse", broker_transport_options={"polling_interval": 0.01})

    @app.task(bind=True)
    @time_limited(seconds=LIMIT)
    def pick(self, sku):
        return [sku, self.name]

    @app.task(bind=True)
    @time_limited(seconds=LIMIT)
    def stuck_pick(self, sku):
        return spin(STUCK_FOR)

    # Stopping the worker costs ~4 s (its loop drains the in-memory queue in 2 s slices).
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10.0,
                      loglevel="CRITICAL"):
        result = pick.delay("sku-7")
        assert result.get(timeout=5, interval=0.02) == ["sku-7", pick.name]

        start = time.monotonic()
        failed = stuck_pick.delay("sku-7")
        with pytest.raises(Exception) as caught:
            failed.get(timeout=5, interval=0.02)
        elapsed = time.monotonic() - start
        assert failed.state == "FAILURE"
    assert LIMIT <= elapsed < FAST_ENOUGH
    # Through the default JSON result serializer the caller gets the runtime's own type back.
    assert isinstance(caught.value, TimeLimitExceeded)
    assert "exceeded its time limit of 0.3 s" in str(caught.value)
    assert pick.name.endswith(".pick")


def test_time_limit_exceeded_keeps_its_type_through_a_pickle_result_backend() -> None:
    app = make_app("pickled", result_serializer="pickle", result_accept_content=["json", "pickle"])
    backend = Backend(app, serializer="pickle")
    sent = TimeLimitExceeded("stuck_pick", LIMIT)
    received = backend.exception_to_python(backend.prepare_exception(sent))
    assert isinstance(received, TimeLimitExceeded)
    assert (received.function, received.seconds) == ("stuck_pick", LIMIT)


def test_time_limit_exceeded_keeps_its_type_through_the_default_json_result_backend() -> None:
    app = make_app("json")
    backend = Backend(app)  # serializer: result_serializer, "json" by default
    received = backend.exception_to_python(backend.prepare_exception(TimeLimitExceeded("stuck_pick", LIMIT)))
    assert isinstance(received, TimeLimitExceeded)


def test_wrapped_task_still_rejects_wrong_arguments_at_send_time() -> None:
    app = make_app("typed")

    @app.task
    @time_limited(seconds=LIMIT)
    def reserve(sku, qty):
        return qty

    with pytest.raises(TypeError):
        reserve.delay("sku-1", 1, "one too many")
