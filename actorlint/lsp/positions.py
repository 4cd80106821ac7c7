"""Positions between actorlint (lines from 1, columns from 1 in code points, character
offsets into the text) and the Language Server Protocol (lines and characters from 0,
characters counted in UTF-16 code units)."""

from __future__ import annotations

import re
from typing import List, Tuple

__all__ = ["LineIndex"]

_LINE_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Where each line of a text starts, to convert positions both ways."""

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
        line = max(index for index, start in enumerate(self.starts) if start <= offset)
        prefix = self.text[self.starts[line]:offset]
        return line, len(prefix.encode("utf-16-le")) // 2

    def offset(self, line: int, character: int) -> int:
        """The character offset of an LSP position (line and UTF-16 character from 0)."""
        if line >= len(self.starts):
            return len(self.text)
        text = self._line_text(line)
        units = 0
        for index, char in enumerate(text):
            if units >= character:
                return self.starts[line] + index
            units += 2 if ord(char) > 0xFFFF else 1
        return self.starts[line] + len(text)
