"""A time bound on plugin code: a run never hangs because a plugin does.

Plugin code (importing a rule pack, starting a rule, one rule's check of one file or of
the project) runs under ``bounded(seconds, what)``. A watchdog thread waits for the
deadline; when a call overruns it, the run cannot go on safely (Python offers no safe way
to stop a thread that is stuck in a C call or a loop: see the runtime's design notes), so
the watchdog prints an error naming the plugin, the rule and the file, and ends the
process with exit code 2, as for any error that stops a run. Files already written by
``--fix`` are complete (every write is atomic); the cache is only ever replaced whole.

Built-in rules run unbounded: they are tested here, and bounding them would cost time on
every file.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from typing import ContextManager, Iterator, Optional, Tuple

from actorlint.printable import printable

__all__ = ["DEFAULT_PLUGIN_TIMEOUT", "EXIT_CODE", "bounded"]

#: Seconds a plugin may take to load, to start a rule, or for one check.
DEFAULT_PLUGIN_TIMEOUT = 60.0

#: The exit code of a run stopped by an overrunning plugin (an error, not findings).
EXIT_CODE = 2


class _Watchdog:
    """One thread, started on first use, that ends the process when a deadline passes."""

    def __init__(self) -> None:
        self._changed = threading.Condition(threading.Lock())
        self._current: Optional[Tuple[str, float, float]] = None  # what, deadline, seconds
        self._idle = True
        self._thread: Optional[threading.Thread] = None
        self._pid = 0

    @contextmanager
    def bounded(self, seconds: float, what: str) -> Iterator[None]:
        with self._changed:
            if self._thread is None or self._pid != os.getpid():  # none yet, or forked
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._watch, name="actorlint-deadline", daemon=True)
                self._thread.start()
            previous = self._current
            self._current = (what, time.monotonic() + seconds, seconds)
            if self._idle:  # otherwise the watchdog wakes at an earlier deadline and sees this one
                self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                self._current = previous

    def _watch(self) -> None:
        with self._changed:
            while True:
                current = self._current
                if current is None:
                    self._idle = True
                    self._changed.wait()
                    continue
                self._idle = False
                what, deadline, seconds = current
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    self._changed.wait(remaining)
                    continue
                _stop(f"{what} did not finish within {seconds:g} s (`plugin-timeout`); the run is "
                      "stopped. Deselect the rule (--ignore CODE) or raise `plugin-timeout`.")


def _stop(message: str) -> None:
    try:
        sys.stderr.write(f"actorlint: error: {printable(message)}\n")
        sys.stderr.flush()
    finally:
        os._exit(EXIT_CODE)  # the stuck call cannot be interrupted safely: end the process


_WATCHDOG = _Watchdog()


def bounded(seconds: float, what: str) -> ContextManager[None]:
    """A context in which ``what`` (plugin code, described for the user) must finish
    within ``seconds``, or the run is stopped with exit code 2."""
    return _WATCHDOG.bounded(seconds, what)
