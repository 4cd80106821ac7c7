"""Per-call overhead of actorlint_runtime.time_limited, against a plain call and the
closest PyPI peers (func_timeout, stopit, pebble), in one run.

    python bench/runtime_overhead.py [--reps 9] [--scale 1.0] [--latency]

Every mode calls the same trivial function (``work``, which returns 1) under a generous
limit (5 s, never reached), so what is measured is the price of the limit itself. Modes
are timed in alternation, one batch of calls each per repetition (the order rotates
between repetitions), and the table shows medians over the repetitions. Overhead is a
mode's time per call minus the plain call's (an ``await`` of a plain coroutine for the
async mode). Peers that are not installed are skipped:

    pip install func_timeout stopit pebble

Prints a Markdown table (µs per call, overhead, and each peer's overhead divided by
the sync decorator's) and whether the target holds: a sync call's overhead at least 10x
below func_timeout's and stopit's (exit status 1 if not). ``--latency`` adds how late a
0.2 s limit returns (100 calls of a body stuck in a blocking wait) while 0, 1 or 32
other threads busy-loop (the GIL decides when the waiting caller runs again).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "runtime" / "src"))

from actorlint_runtime import _process, time_limited

LIMIT = 5.0


def work() -> int:
    return 1


async def async_work() -> int:
    return 1


limited_work = time_limited(seconds=LIMIT)(work)
limited_async_work = time_limited(seconds=LIMIT)(async_work)

try:
    import func_timeout
except ImportError:  # pragma: no cover - optional peer
    func_timeout = None
try:
    import stopit
except ImportError:  # pragma: no cover - optional peer
    stopit = None
try:
    import pebble
    from pebble import concurrent as pebble_concurrent
except ImportError:  # pragma: no cover - optional peer
    pebble = None
    pebble_concurrent = None

if pebble_concurrent is not None:
    @pebble_concurrent.process(timeout=LIMIT)
    def pebble_process_work() -> int:
        return 1


# A mode: (name, is_ours, baseline, batch of n calls -> seconds, calls per batch).
Batch = Callable[[int], float]


def _timed_sync(call: Callable[[], object]) -> Batch:
    def batch(n: int) -> float:
        start = time.perf_counter()
        for _ in range(n):
            call()
        return time.perf_counter() - start
    return batch


def _timed_async(make: Callable[[], object]) -> Batch:
    def batch(n: int) -> float:
        async def main() -> float:
            start = time.perf_counter()
            for _ in range(n):
                await make()  # type: ignore[misc]
            return time.perf_counter() - start
        return asyncio.run(main())
    return batch


def _stopit_call() -> object:
    with stopit.ThreadingTimeout(LIMIT):
        return work()


def modes(scale: float, pool: Optional[object]) -> List[Tuple[str, bool, str, Batch, int]]:
    def n(calls: int) -> int:
        return max(1, int(calls * scale))

    found: List[Tuple[str, bool, str, Batch, int]] = [
        ("plain call", False, "", _timed_sync(work), n(200_000)),
        ("time_limited decorator, sync", True, "plain call", _timed_sync(limited_work), n(100_000)),
        ("time_limited(fn, s) call form, sync", True, "plain call",
         _timed_sync(lambda: time_limited(work, LIMIT)), n(100_000)),
        ("plain await", False, "", _timed_async(async_work), n(100_000)),
        ("time_limited decorator, async def", True, "plain await",
         _timed_async(limited_async_work), n(20_000)),
        ("time_limited isolation='process' (warm worker)", True, "plain call",
         _timed_sync(lambda: time_limited(work, LIMIT, isolation="process")), n(1_000)),
    ]
    if func_timeout is not None:
        found.append(("func_timeout.func_timeout", False, "plain call",
                      _timed_sync(lambda: func_timeout.func_timeout(LIMIT, work)), n(1_000)))
    if stopit is not None:
        found.append(("stopit.ThreadingTimeout", False, "plain call",
                      _timed_sync(_stopit_call), n(1_000)))
    if pebble is not None:
        found.append(("pebble concurrent.process", False, "plain call",
                      _timed_sync(lambda: pebble_process_work().result()), n(60)))
        found.append(("pebble ProcessPool.schedule (warm pool)", False, "plain call",
                      _timed_sync(lambda: pool.schedule(work, timeout=LIMIT).result()),  # type: ignore[attr-defined]
                      n(1_000)))
    return found


def handoff_floor(calls: int = 20_000) -> float:
    """Microseconds of the cheapest round trip between two threads (a lock ping-pong):
    the floor of any mode that runs the body off the caller's thread."""
    there, back = threading.Lock(), threading.Lock()
    there.acquire()
    back.acquire()

    def echo() -> None:
        for _ in range(calls):
            there.acquire()
            back.release()

    thread = threading.Thread(target=echo)
    thread.start()
    start = time.perf_counter()
    for _ in range(calls):
        there.release()
        back.acquire()
    elapsed = time.perf_counter() - start
    thread.join()
    return elapsed / calls * 1e6


def _stuck_calls(calls: int, limit: float, found: List[float]) -> None:
    """Make ``calls`` limited calls whose bodies wait until measured; append how long
    each took to reach its TimeLimitExceeded."""

    @time_limited(seconds=limit)
    def stuck(release: threading.Event) -> None:
        release.wait(60.0)

    for _ in range(calls):
        release = threading.Event()  # each body ends once its call is measured
        start = time.monotonic()
        try:
            stuck(release)
        except TimeoutError:
            found.append(time.monotonic() - start)
        release.set()


def latency(busy: int, calls: int, limit: float = 0.2) -> List[float]:
    """Seconds to TimeLimitExceeded while ``busy`` other threads busy-loop in pure Python
    (the GIL decides when the waiting caller gets to run again)."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            pass

    spinners = [threading.Thread(target=spin, daemon=True) for _ in range(busy)]
    for spinner in spinners:
        spinner.start()
    found: List[float] = []
    try:
        _stuck_calls(calls, limit, found)
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join()
    return found


def concurrent_latency(callers: int, calls: int, limit: float = 0.2) -> List[float]:
    """Seconds to TimeLimitExceeded when ``callers`` threads each make ``calls`` limited
    calls at once."""
    found: List[float] = []
    threads = [threading.Thread(target=_stuck_calls, args=(calls, limit, found)) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return found


def print_latency() -> None:
    limit = 0.2
    print(f"\nTime to TimeLimitExceeded for a {limit} s limit, bodies stuck in a blocking wait "
          f"(GIL switch interval {sys.getswitchinterval() * 1000:g} ms):\n")
    print("| Load | Calls | p50 s | p90 s | max s |")
    print("|---|---:|---:|---:|---:|")
    rows = [("1 caller, nothing else running", latency(0, 100, limit)),
            ("32 callers at once", concurrent_latency(32, 4, limit)),
            ("1 caller, 1 other thread busy-looping", latency(1, 100, limit)),
            ("1 caller, 32 other threads busy-looping", latency(32, 100, limit))]
    for label, found in rows:
        found.sort()
        p90 = found[min(len(found) - 1, int(len(found) * 0.9))]
        print(f"| {label} | {len(found)} | {statistics.median(found):.3f} | {p90:.3f} | {found[-1]:.3f} |")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=9, help="repetitions (medians over them)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the calls per batch")
    parser.add_argument("--latency-only", action="store_true", help="only the latency table")
    parser.add_argument("--latency", action="store_true",
                        help="also measure how late limits fire when many threads are busy")
    args = parser.parse_args(argv)
    if args.latency_only:
        print_latency()
        return 0

    pool = pebble.ProcessPool(max_workers=1) if pebble is not None else None
    try:
        table = modes(args.scale, pool)
        for _, _, _, batch, _ in table:  # warm up: imports, worker processes, caches
            batch(5)
        per_call: Dict[str, List[float]] = {name: [] for name, *_ in table}
        for rep in range(args.reps):
            shift = rep % len(table)
            for name, _, _, batch, calls in table[shift:] + table[:shift]:
                gc.collect()
                per_call[name].append(batch(calls) / calls * 1e6)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _process.shutdown()

    median = {name: statistics.median(values) for name, values in per_call.items()}
    overhead = {name: median[name] - median[base] if base else 0.0
                for name, _, base, _, _ in table}
    ours_sync = overhead["time_limited decorator, sync"]

    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
          f"{args.reps} repetitions, medians; limit {LIMIT} s (never reached)\n")
    print("| Mode | µs/call | Overhead µs/call | Overhead ÷ sync decorator's |")
    print("|---|---:|---:|---:|")
    for name, ours, base, _, _ in table:
        label = f"**{name}**" if ours else name
        if not base:
            print(f"| {label} | {median[name]:.2f} | (baseline) | |")
            continue
        ratio = overhead[name] / ours_sync if ours_sync > 0 else float("inf")
        print(f"| {label} | {median[name]:.2f} | {overhead[name]:.2f} | {ratio:.1f}x |")

    print(f"\nFloor of a round trip between two threads (lock ping-pong): {handoff_floor():.1f} µs")
    if args.latency:
        print_latency()

    missing = [peer for peer, module in (("func_timeout", func_timeout), ("stopit", stopit),
                                         ("pebble", pebble)) if module is None]
    if missing:
        print(f"\nNot installed, skipped: {', '.join(missing)} (pip install {' '.join(missing)})")
    peers = [name for name in ("func_timeout.func_timeout", "stopit.ThreadingTimeout")
             if name in overhead]
    if peers:
        ratios = {name: overhead[name] / ours_sync for name in peers}
        met = all(ratio >= 10 for ratio in ratios.values())
        detail = ", ".join(f"{name} {ratio:.0f}x" for name, ratio in ratios.items())
        print(f"\nTarget (sync overhead at least 10x below func_timeout's and stopit's): "
              f"{'met' if met else 'NOT met'} ({detail})")
        return 0 if met else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
