"""A fast read-only walk over LibCST trees, in the order LibCST's own visitors use.

``node.visit(visitor)`` rebuilds every node it passes through (it is written for
transformers) and calls a hook per node and per attribute: on real code that costs about
as much as the parse itself. A collector only reads, so it walks the tree here instead:
children are read straight from the node's fields, in the order LibCST visits them,
and tokens and whitespace (a third of all nodes, which hold no code) are not entered.

The field order of each node type is read once from the source of LibCST's own
``_visit_and_replace_children``, so it follows the installed LibCST; a type whose source
cannot be read falls back to ``node.children``.
"""

from __future__ import annotations

import inspect
import re
import typing
from typing import Callable, Dict, List, Optional, Tuple

import libcst as cst
from libcst._maybe_sentinel import MaybeSentinel
from libcst._nodes import op as _op
from libcst._nodes import whitespace as _whitespace

__all__ = ["Walker", "child_nodes"]

# Node types that hold no code: whitespace, comments, punctuation and operators.
_TOKEN_TYPES = frozenset(
    value
    for module in (_whitespace, _op)
    for value in vars(module).values()
    if isinstance(value, type) and issubclass(value, cst.CSTNode) and value.__module__ == module.__name__
) | frozenset({
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
    cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.Asynchronous,
})
# Leaves a walker enters only when it has a hook for them: their children are tokens.
_LEAF_TYPES = frozenset({
    cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis,
    cst.FormattedStringText,
})
# How a node counts among the statements, as CPython counts them (``a; b`` is two).
_NOT_A_STATEMENT, _LINE, _COMPOUND, _SUITE = range(4)

# `visit_required(self, "func", self.func, visitor)` and its siblings name each field.
_VISITED_FIELD = re.compile(r"""visit_\w+\(\s*self\s*,\s*["'](\w+)["']""")
_FIELDS: Dict[type, Optional[Tuple[str, ...]]] = {}


def _fields_of(node_type: type) -> Optional[Tuple[str, ...]]:
    """The fields LibCST visits on ``node_type`` that may hold code, in its order; None
    when unknown. A field whose declared type admits only tokens and whitespace
    (``lpar``, ``comma``, ``whitespace_after_func``) is left out."""
    try:
        source = inspect.getsource(node_type._visit_and_replace_children)
    except (OSError, TypeError):
        _FIELDS[node_type] = None
        return None
    # A field visited in two branches (``ImportFrom.names``) is named twice.
    fields = tuple(dict.fromkeys(_VISITED_FIELD.findall(source)))
    try:
        hints = typing.get_type_hints(node_type)
    except Exception:  # an annotation that does not resolve: keep every field
        hints = {}
    kept = tuple(field for field in fields if field not in hints or not _only_tokens(hints[field]))
    _FIELDS[node_type] = kept
    return kept


_TOKEN_BASES = tuple(_TOKEN_TYPES)


def _only_tokens(annotation: object) -> bool:
    """Whether a field annotated so can hold nothing but tokens, whitespace or nothing."""
    arguments = typing.get_args(annotation)
    if arguments:  # Sequence[X], Optional[X], Union[X, MaybeSentinel]
        return all(_only_tokens(argument) for argument in arguments)
    if annotation is type(None) or annotation is MaybeSentinel:
        return True
    return isinstance(annotation, type) and issubclass(annotation, _TOKEN_BASES)


def child_nodes(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The children of ``node`` that may hold code, in LibCST's visiting order."""
    node_type = type(node)
    fields = _FIELDS[node_type] if node_type in _FIELDS else _fields_of(node_type)
    if fields is None:
        return [child for child in node.children if type(child) not in _TOKEN_TYPES]
    children: List[cst.CSTNode] = []
    for field in fields:
        value = getattr(node, field)
        value_type = type(value)
        if value_type is tuple or value_type is list:
            children.extend(child for child in value if type(child) not in _TOKEN_TYPES)
        elif value is not None and value_type is not MaybeSentinel and value_type not in _TOKEN_TYPES:
            children.append(value)
    return children


def _statement_kind(node_type: type) -> int:
    if issubclass(node_type, cst.SimpleStatementLine):
        return _LINE
    if issubclass(node_type, cst.BaseCompoundStatement):
        return _COMPOUND
    if issubclass(node_type, cst.SimpleStatementSuite):
        return _SUITE
    return _NOT_A_STATEMENT


_Hooks = Tuple[Optional[Callable], Optional[Callable], int]


class Walker:
    """A read-only visitor: ``visit_<Type>`` and ``leave_<Type>`` hooks, as on LibCST's
    ``CSTVisitor`` (a ``visit_`` hook returning False skips the node's children), started
    with ``walk(node)``.

    ``statements`` holds the statement lines and compound statements enclosing the
    current node, innermost last. Every statement walked is numbered in
    ``statement_numbers`` (by id) the way CPython's parser lists statements in source
    order, a line ``a; b`` (or a one-line body) counting as two; ``statement_count`` is
    how many were numbered. Numbers follow source order when a walk reaches statements
    in source order, as a walk of a module does unless a hook reorders bodies.
    """

    _hooks: Dict[type, _Hooks]

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._hooks = {}

    def __init__(self) -> None:
        self.statements: List[cst.CSTNode] = []
        self.statement_numbers: Dict[int, int] = {}
        self.statement_count = 0

    def _hooks_for(self, node_type: type) -> _Hooks:
        cls = type(self)
        name = node_type.__name__
        hooks = (getattr(cls, f"visit_{name}", None), getattr(cls, f"leave_{name}", None),
                 _statement_kind(node_type))
        cls._hooks[node_type] = hooks
        return hooks

    def walk(self, node: cst.CSTNode) -> None:
        """Visit ``node`` and, unless its hook says otherwise, everything under it."""
        node_type = type(node)
        hooks = self._hooks.get(node_type) or self._hooks_for(node_type)
        visit, leave, kind = hooks
        if visit is None and leave is None and node_type in _LEAF_TYPES:
            return
        if kind:
            self.statement_numbers[id(node)] = self.statement_count
            self.statement_count += 1 if kind == _COMPOUND else len(node.body)  # type: ignore[attr-defined]
            if kind == _SUITE:
                kind = _NOT_A_STATEMENT  # numbered, but not a statement of its own
            else:
                self.statements.append(node)
        if visit is None or visit(self, node) is not False:
            fields = _FIELDS[node_type] if node_type in _FIELDS else _fields_of(node_type)
            if fields is None:
                for child in child_nodes(node):
                    self.walk(child)
            else:  # child_nodes, inlined: this loop runs for every node of every file
                for field in fields:
                    value = getattr(node, field)
                    value_type = type(value)
                    if value_type is tuple or value_type is list:
                        for child in value:
                            if type(child) not in _TOKEN_TYPES:
                                self.walk(child)
                    elif value is not None and value_type is not MaybeSentinel \
                            and value_type not in _TOKEN_TYPES:
                        self.walk(value)
        if leave is not None:
            leave(self, node)
        if kind:
            self.statements.pop()
