"""Progress on standard error for long runs: one line counting the files analysed, shown
only on a terminal, only once the run has taken about a second (a warm run never shows
it), and erased when the analysis ends, so that the report below starts clean."""

from __future__ import annotations

import time
from typing import Callable, Optional, TextIO

__all__ = ["Progress"]


class Progress:
    """Counts analysed files into a self-overwriting line on ``stream``."""

    def __init__(self, stream: TextIO, delay: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.total = 0
        self.done = 0
        self._shown_at: Optional[float] = None
        self._width = 0

    def expect(self, count: int) -> None:
        """``count`` more files are about to be analysed."""
        self.total += count

    def advance(self, count: int = 1) -> None:
        """``count`` files were analysed; redraw at most ten times a second."""
        self.done += count
        now = self.clock()
        if now - self.started < self.delay or (self._shown_at is not None and now - self._shown_at < 0.1
                                               and self.done < self.total):
            return
        line = f"actorlint: analysing files {self.done:,}/{self.total:,}"
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(line))
        self._shown_at = now

    def finish(self) -> None:
        """Erase the line, if it was ever drawn."""
        if self._shown_at is not None:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._shown_at = None
