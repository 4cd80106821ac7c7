"""Shared by the runtime tests: bodies that run past their limit, and the check that
every abandoned body has ended when a test is over."""

from __future__ import annotations

import threading
import time
from typing import Iterator

import actorlint_runtime

FOREVER = 10.0  # "forever", bounded so that a broken limit fails instead of hanging
RELEASE = threading.Event()  # set when a test ends: every hanging body returns


def hang(seconds: float = FOREVER) -> None:
    """Block (in a C-level wait, as a socket read would) for ``seconds`` or until released."""
    RELEASE.wait(seconds)


def no_body_left_behind() -> Iterator[None]:
    """Fixture body: release the hanging bodies a test abandoned, then check that they
    all ended (an abandoned body that never ends is a leaked thread)."""
    RELEASE.clear()
    yield
    RELEASE.set()
    deadline = time.monotonic() + 5.0
    while actorlint_runtime.stats().abandoned and time.monotonic() < deadline:
        time.sleep(0.01)
    left = actorlint_runtime.stats()
    assert left.abandoned == 0 and left.running == 0, f"bodies left running: {left}"
