"""From nodes to places in the text: line offsets with LibCST's idea of a line break, and
the nodes and statements whose positions the facts need (``positions.locate`` places them)."""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

import libcst as cst

from actorlint.diagnostics import Span

__all__ = ["LineOffsets", "Wanted"]

_NEWLINE = re.compile(r"\r\n?|\n")


class LineOffsets:
    """Character offsets of line starts, with LibCST's idea of a line break."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        for match in _NEWLINE.finditer(text):
            self.starts.append(match.end())

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based line and 1-based column."""
        return self.starts[line - 1] + column - 1

    def line_start_and_indent(self, line: int) -> Tuple[int, str]:
        start = self.starts[line - 1]
        end = start
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        return start, self.text[start:end]

    def blank_lines_after(self, span: Span) -> int:
        """How many blank lines follow a span."""
        count, line = 0, span.end_line + 1
        while line <= len(self.starts):
            end = self.starts[line] if line < len(self.starts) else len(self.text)
            if self.text[self.starts[line - 1]:end].strip():
                break
            count += 1
            line += 1
        return count

    def after(self, span: Span) -> int:
        """The start of the line after a span (the end of the text when there is none)."""
        return self.starts[span.end_line] if span.end_line < len(self.starts) else len(self.text)


class Wanted:
    """The nodes whose positions the facts need, each with the statement it stands in,
    and the statements whose first line they need."""

    def __init__(self, elifs: Dict[int, cst.If]) -> None:
        self.elifs = elifs
        self.nodes: List[Tuple[cst.CSTNode, Optional[cst.CSTNode]]] = []
        self.statements: List[cst.CSTNode] = []

    def node(self, node: cst.CSTNode, statement: Optional[cst.CSTNode]) -> None:
        """A node inside ``statement``; an ``elif`` is placed through its whole chain."""
        while statement is not None and id(statement) in self.elifs:
            statement = self.elifs[id(statement)]
        self.nodes.append((node, statement))

    def statement(self, statement: Optional[cst.CSTNode]) -> None:
        """A statement's first line, and a statement line's whole span."""
        if isinstance(statement, cst.SimpleStatementLine):
            self.nodes.append((statement, statement))
        elif statement is not None:
            self.statements.append(statement)
