"""Positions from actorlint (lines from 1, columns from 1 in code points, character offsets
into the text) to the Language Server Protocol (lines and characters from 0, characters
counted in UTF-16 code units)."""

from __future__ import annotations

import bisect
import re
from typing import List, Tuple

__all__ = ["LineIndex"]

_LINE_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Where each line of a text starts, to convert positions to the protocol's."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: List[int] = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    def _line_text(self, line: int) -> str:
        start = self.starts[line]
        end = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end]

    def lsp_position(self, line: int, column: int) -> Tuple[int, int]:
        """(line, UTF-16 character) from 0 for an actorlint line and code-point column from 1."""
        index = min(max(line - 1, 0), len(self.starts) - 1)
        prefix = self._line_text(index)[:max(column - 1, 0)]
        return index, len(prefix.encode("utf-16-le")) // 2

    def lsp_position_of_offset(self, offset: int) -> Tuple[int, int]:
        """(line, UTF-16 character) from 0 for a character offset into the text."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        prefix = self.text[self.starts[line]:offset]
        return line, len(prefix.encode("utf-16-le")) // 2
