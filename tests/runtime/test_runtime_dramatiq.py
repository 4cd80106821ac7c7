"""time_limited on real Dramatiq actors: the ACT202 fix (``@time_limited(seconds=...)``
directly above ``def``, below ``@dramatiq.actor(...)``) keeps the actor's name and options,
and bounds its body in a real worker thread: a stuck actor fails with
``TimeLimitExceeded`` long before it would have finished, and the failure reaches the
caller through the result backend (``ResultFailure``) or ``broker.join(fail_fast=True)``.
"""

from __future__ import annotations

import time

import pytest

dramatiq = pytest.importorskip("dramatiq")

from dramatiq.brokers.stub import StubBroker  # noqa: E402
from dramatiq.results import ResultFailure, Results  # noqa: E402
from dramatiq.results.backends import StubBackend  # noqa: E402

from actorlint_runtime import TimeLimitExceeded, time_limited  # noqa: E402
from tests.runtime_helpers import hang, no_body_left_behind  # noqa: E402

LIMIT = 0.3
STUCK_FOR = 2.0
FAST_ENOUGH = 1.5  # well before the stuck body would have returned by itself
CALLER_TIMEOUT_MS = 5000

_no_body_left_behind = pytest.fixture(autouse=True)(no_body_left_behind)


def spin(seconds: float) -> str:
    """Stuck (a library call that never returns), bounded for safety; released when the test ends."""
    hang(seconds)
    return "never"


@pytest.fixture(scope="module")
def shop():
    broker = StubBroker()
    broker.add_middleware(Results(backend=StubBackend()))
    broker.emit_after("process_boot")
    dramatiq.set_broker(broker)  # Message.get_result finds the backend on the global broker

    @dramatiq.actor(broker=broker, store_results=True, max_retries=0)
    @time_limited(seconds=LIMIT)
    def price_order(sku, qty):
        return {"sku": sku, "total": qty * 250}

    @dramatiq.actor(broker=broker, store_results=True, max_retries=0, queue_name="slow")
    @time_limited(seconds=LIMIT)
    def stuck_order(sku):
        return spin(STUCK_FOR)

    worker = dramatiq.Worker(broker, worker_timeout=100)
    worker.start()
    try:
        yield broker, price_order, stuck_order
    finally:
        worker.stop()
        broker.flush_all()
        broker.close()


def test_fast_actor_returns_its_result(shop) -> None:
    _, price_order, _ = shop
    message = price_order.send("sku-1", 3)
    assert message.get_result(block=True, timeout=CALLER_TIMEOUT_MS) == {"sku": "sku-1", "total": 750}


def test_actor_name_and_options_survive_the_wrapper(shop) -> None:
    broker, price_order, stuck_order = shop
    assert price_order.actor_name == "price_order"
    assert stuck_order.actor_name == "stuck_order"
    assert broker.get_actor("price_order") is price_order
    assert price_order.options == {"store_results": True, "max_retries": 0}
    assert price_order.fn.__actorlint_time_limit__ == LIMIT
    assert price_order.fn.__wrapped__.__name__ == "price_order"
    assert price_order("sku-2", 2) == {"sku": "sku-2", "total": 500}  # a direct call runs in-process


def test_stuck_actor_fails_through_the_result_backend_well_before_it_would_finish(shop) -> None:
    _, _, stuck_order = shop
    start = time.monotonic()
    message = stuck_order.send("sku-1")
    with pytest.raises(ResultFailure) as caught:
        message.get_result(block=True, timeout=CALLER_TIMEOUT_MS)
    elapsed = time.monotonic() - start
    assert LIMIT <= elapsed < FAST_ENOUGH
    assert caught.value.orig_exc_type == "TimeLimitExceeded"
    assert caught.value.orig_exc_msg.endswith("stuck_order exceeded its time limit of 0.3 s")


def test_stuck_actor_fails_broker_join_with_time_limit_exceeded(shop) -> None:
    broker, _, stuck_order = shop
    start = time.monotonic()
    stuck_order.send("sku-2")
    with pytest.raises(TimeLimitExceeded) as caught:
        broker.join(stuck_order.queue_name, timeout=CALLER_TIMEOUT_MS, fail_fast=True)
    elapsed = time.monotonic() - start
    assert LIMIT <= elapsed < FAST_ENOUGH
    assert caught.value.function.endswith("stuck_order")  # the qualified name, here shop.<locals>.stuck_order
    assert caught.value.seconds == LIMIT


def test_worker_keeps_serving_after_a_time_out(shop) -> None:
    _, price_order, stuck_order = shop
    stuck = stuck_order.send("sku-3")
    with pytest.raises(ResultFailure):
        stuck.get_result(block=True, timeout=CALLER_TIMEOUT_MS)
    fast = price_order.send("sku-3", 1)
    assert fast.get_result(block=True, timeout=CALLER_TIMEOUT_MS) == {"sku": "sku-3", "total": 250}
