"""Source positions for the few nodes that become facts, without placing the whole tree.

LibCST's ``PositionProvider`` runs a position-tracking code generation over the whole
module (about twice the parse). A file's facts need positions for a handful of nodes
(a call, a function's name, a decorator's keyword), so each is placed from the
statement it stands in:

1. CPython's parser (a twentieth of LibCST's) gives every statement's first line. The
   collector numbers LibCST's statements in source order as it walks, the same way
   CPython lists its own (a line of ``a; b`` is two), so statement ``n`` is CPython's
   statement ``n``.
2. The position-tracking code generation then runs over that one statement only,
   starting at its line with its indentation, and stops as soon as the nodes asked for
   are placed. The text it generated must equal the source there, or nothing is trusted.

When any of this does not hold (syntax this Python cannot parse, statement counts that
differ, generated text that differs from the source) the whole module is placed the
slow way, so positions are always LibCST's own.
"""

from __future__ import annotations

import ast
import re
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import libcst as cst
from libcst._position import CodeRange
from libcst.metadata.position_provider import PositionProvidingCodegenState

from actorlint.source import cpython_parse
from actorlint.diagnostics import Span

__all__ = ["Positions", "locate"]

# The fields of CPython's statements (and of their except handlers and match cases)
# that hold statements, in source order.
_NESTED_STATEMENTS = ("body", "handlers", "cases", "orelse", "finalbody")


class Positions:
    """Where the requested nodes stand: spans of nodes, first lines of statements."""

    def __init__(self, spans: Dict[int, Span], lines: Dict[int, int]) -> None:
        self._spans = spans
        self._lines = lines

    def span(self, node: cst.CSTNode) -> Span:
        """The 1-based span of a node asked for."""
        return self._spans[id(node)]

    def get(self, node: cst.CSTNode) -> Optional[Span]:
        """The span of ``node``, or None when it was not asked for."""
        return self._spans.get(id(node))

    def line(self, statement: cst.CSTNode) -> Optional[int]:
        """The line a statement asked for starts on (its keyword's, after decorators)."""
        line = self._lines.get(id(statement))
        if line is None and id(statement) in self._spans:
            line = self._spans[id(statement)].line
        return line


class _Done(Exception):
    """Every requested node has its position: the rest need not be generated."""


class _Ranges(dict):
    """The ranges the codegen state records; stops the generation once the last
    requested node is recorded (a node is recorded when its code is complete)."""

    def __init__(self, wanted: Iterable[cst.CSTNode]) -> None:
        super().__init__()
        self.missing = {id(node) for node in wanted}

    def __setitem__(self, node: cst.CSTNode, code_range: CodeRange) -> None:
        super().__setitem__(node, code_range)
        missing = self.missing
        if id(node) in missing:
            missing.discard(id(node))
            if not missing:
                raise _Done


class _Sink:
    """Stands in for the metadata provider: the codegen state stores ranges in ``_computed``."""

    def __init__(self, wanted: Iterable[cst.CSTNode]) -> None:
        self._computed = _Ranges(wanted)


def _generate(node: cst.CSTNode, wanted: Sequence[cst.CSTNode], module: cst.Module,
              line: int = 1, indent: str = "") -> Tuple[Dict[int, Span], str]:
    """Run the position-tracking codegen over ``node`` from ``line`` (column 0, inside
    ``indent``) until ``wanted`` are placed: their spans and the text generated."""
    sink = _Sink(wanted)
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=sink,  # type: ignore[arg-type]
        indent_tokens=[indent] if indent else [],
        line=line,
    )
    try:
        node._codegen(state)
    except Exception:
        # _Done, or what LibCST's context managers raise while it unwinds through them
        # (they look up ranges of nodes never completed); anything else is a real error.
        if sink._computed.missing:
            raise
    spans: Dict[int, Span] = {}
    for wanted_node in wanted:
        code_range = sink._computed.get(wanted_node)
        if code_range is not None:
            spans[id(wanted_node)] = Span(
                code_range.start.line, code_range.start.column + 1,
                code_range.end.line, code_range.end.column + 1,
            )
    return spans, "".join(state.tokens)


def _cpython_statements(source: str) -> Optional[List[ast.stmt]]:
    """Every statement of ``source`` in source order, or None when CPython cannot parse it."""
    try:
        tree = cpython_parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    statements: List[ast.stmt] = []

    def add(body: List[ast.AST]) -> None:
        for node in body:
            if isinstance(node, ast.stmt):
                statements.append(node)
            for field in _NESTED_STATEMENTS:
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    add(inner)

    add(tree.body)
    return statements


def _lines_of(statement: cst.CSTNode, cpython: ast.stmt) -> Tuple[int, int]:
    """The line LibCST's code generation of ``statement`` starts on (its leading comment
    and blank lines first) and the line of its first token (its first decorator's)."""
    decorators = getattr(cpython, "decorator_list", None)
    token = decorators[0].lineno if decorators else cpython.lineno
    first = token - len(statement.leading_lines)  # type: ignore[attr-defined]
    cst_decorators = getattr(statement, "decorators", ())
    if cst_decorators:
        first -= len(cst_decorators[0].leading_lines)
    return first, token


# The keyword a definition starts with (CPython's position for it) up to its name.
_DEFINITION = re.compile(r"(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)")


def _definition_name(source: str, line_starts: Sequence[int], cpython: ast.stmt, name: str) -> Optional[Span]:
    """The span of a ``def`` or ``class`` name read straight from the source: the most
    asked-for position, and the one place the code generation is not needed. None when
    the layout is unusual (a line continuation before the name, say)."""
    if not 1 <= cpython.lineno <= len(line_starts):
        return None
    line_start = line_starts[cpython.lineno - 1]
    keyword = line_start + cpython.col_offset  # a byte offset, but only indentation precedes it
    if source[line_start:keyword].strip(" \t\f"):
        return None
    match = _DEFINITION.match(source, keyword)
    if match is None or match.group(1) != name:
        return None
    column = match.start(1) - line_start + 1
    return Span(cpython.lineno, column, cpython.lineno, column + len(name))


def locate(module: cst.Module, source: str, nodes: Sequence[Tuple[cst.CSTNode, cst.CSTNode]],
           statements: Sequence[cst.CSTNode], numbers: Mapping[int, int], count: int,
           line_starts: Sequence[int]) -> Positions:
    """Place ``nodes``, each given with the statement it stands in (an ``elif`` counts as
    the ``if`` that begins its chain), and the first lines of ``statements``.

    ``numbers`` maps a statement's id to its number in source order and ``count`` is how
    many there are, as CPython counts; ``line_starts`` are the offsets of ``source``'s lines.
    """
    cpython = _cpython_statements(source)
    if cpython is not None and len(cpython) == count:
        placed = _by_statement(module, source, nodes, statements, numbers, cpython, line_starts)
        if placed is not None:
            return placed
    wanted = [node for node, _ in nodes] + list(statements)
    spans, _ = _generate(module, wanted, module) if wanted else ({}, "")
    return Positions(spans, {})


def _by_statement(module: cst.Module, source: str, nodes: Sequence[Tuple[cst.CSTNode, cst.CSTNode]],
                  statements: Sequence[cst.CSTNode], numbers: Mapping[int, int],
                  cpython: List[ast.stmt], line_starts: Sequence[int]) -> Optional[Positions]:
    lines: Dict[int, int] = {}
    for statement in statements:
        number = numbers.get(id(statement))
        if number is None:
            return None
        lines[id(statement)] = cpython[number].lineno
    groups: Dict[int, Tuple[cst.CSTNode, List[cst.CSTNode]]] = {}
    for node, statement in nodes:
        groups.setdefault(id(statement), (statement, []))[1].append(node)
    spans: Dict[int, Span] = {}
    for statement, wanted in groups.values():
        number = numbers.get(id(statement))
        if number is None:
            return None
        name = getattr(statement, "name", None)
        if name is not None and all(node is name for node in wanted):
            name_span = _definition_name(source, line_starts, cpython[number], name.value)
            if name_span is not None:
                spans[id(name)] = name_span
                continue
        first, token = _lines_of(statement, cpython[number])
        if not 1 <= first <= token <= len(line_starts):
            return None
        indent_start = indent_end = line_starts[token - 1]
        while indent_end < len(source) and source[indent_end] in " \t\f":
            indent_end += 1
        placed, text = _generate(statement, wanted, module, first, source[indent_start:indent_end])
        if not source.startswith(text, line_starts[first - 1]) or len(placed) != len({id(n) for n in wanted}):
            return None
        spans.update(placed)
    return Positions(spans, lines)
