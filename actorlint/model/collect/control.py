"""The control context of the binder's walk: which tests guard a node, which loop and
blocks it stands in, and its place in source order. Nodes that may become sites are
recorded with that context as ``Candidate``s."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Set, Tuple

import libcst as cst

from actorlint.model.collect.scopes import Scope
from actorlint.model.libcst_internals.walk import Walker

__all__ = ["Candidate", "ControlContext"]


class Candidate:
    """A node that may become a site, with the scope and statement it stands in."""

    __slots__ = ("kind", "node", "scope", "statement", "dropped", "guards", "loop", "order", "blocks")

    def __init__(self, kind: str, node: cst.CSTNode, scope: Scope,
                 statement: Optional[cst.CSTNode], dropped: bool,
                 guards: Tuple[cst.BaseExpression, ...], loop: Optional[cst.CSTNode],
                 order: int, blocks: Tuple[int, ...]) -> None:
        self.kind = kind  # "call", "await" or "setattr"
        self.node = node
        self.scope = scope
        self.statement = statement
        self.dropped = dropped
        # Expressions whose value decides whether this node runs: enclosing if/while/
        # ternary tests, left operands of and/or, asserts and early-exit tests before it.
        self.guards = guards
        # The innermost loop of the same function around the node, if any.
        self.loop = loop
        # Position in source order among candidates and assignments, and the blocks
        # (indented suites, innermost last) the node stands in.
        self.order = order
        self.blocks = blocks


class ControlContext(Walker):
    """Guards, loops, blocks and source order during the walk (a base of the binder)."""

    scope: Scope

    def __init__(self) -> None:
        super().__init__()
        # Guard tests around the current node, and per enclosing block the tests that
        # earlier statements of the block made binding (asserts, ``if not x: return``).
        self.guards: List[cst.BaseExpression] = []
        self.block_guards: List[List[cst.BaseExpression]] = [[]]
        self.loops: List[cst.CSTNode] = []
        self.order = 0
        self.blocks: List[int] = []
        # ``elif`` branches -> the If they continue (nothing can be inserted before one).
        self.elifs: Dict[int, cst.If] = {}
        # Calls whose value is dropped (expression statements): implicit casts.
        self.dropped: Set[int] = set()
        self.candidates: List[Candidate] = []
        # The tests of ``assert`` statements, by node id (no guard in test code).
        self.asserted: Set[int] = set()
        # Where each guard test is read, by node id: the source order just after it (what
        # it walked is before it, what follows is not) and its blocks.
        self.guard_points: Dict[int, Tuple[int, Tuple[int, ...]]] = {}

    def candidate(self, kind: str, node: cst.CSTNode) -> None:
        """Record a node that may become a site, with its context."""
        statement = self.statements[-1] if self.statements else None
        guards = tuple(self.guards) + tuple(g for block in self.block_guards for g in block)
        self.order += 1
        self.candidates.append(Candidate(
            kind, node, self.scope, statement, id(node) in self.dropped, guards,
            self.loops[-1] if self.loops else None, self.order, tuple(self.blocks),
        ))

    @contextmanager
    def fresh_context(self) -> Iterator[None]:
        """A function body: guards and loops around the ``def`` do not run with it."""
        saved = (self.guards, self.block_guards, self.loops)
        self.guards, self.block_guards, self.loops = [], [[]], []
        try:
            yield
        finally:
            self.guards, self.block_guards, self.loops = saved

    @contextmanager
    def inside_loop(self, loop: cst.CSTNode) -> Iterator[None]:
        """A loop body (or what repeats per item of a comprehension)."""
        self.loops.append(loop)
        try:
            yield
        finally:
            self.loops.pop()

    def _read_test(self, test: cst.BaseExpression) -> None:
        self.walk(test)
        self.guard_points[id(test)] = (self.order + 1, tuple(self.blocks))

    def _guarded(self, test: cst.BaseExpression, *parts: Optional[cst.CSTNode]) -> None:
        self.guards.append(test)
        for part in parts:
            if part is not None:
                self.walk(part)
        self.guards.pop()

    def visit_If(self, node: cst.If) -> bool:
        if isinstance(node.orelse, cst.If):
            self.elifs[id(node.orelse)] = node
        self._read_test(node.test)
        self._guarded(node.test, node.body, node.orelse)
        if node.orelse is None and _ends_with_exit(node.body):
            self.block_guards[-1].append(node.test)  # ``if not ok: return`` guards the rest
        return False

    def visit_While(self, node: cst.While) -> bool:
        with self.inside_loop(node):  # the test runs on every iteration too
            self._read_test(node.test)
            self._guarded(node.test, node.body)
        if node.orelse is not None:
            self.walk(node.orelse)
        return False

    def visit_IfExp(self, node: cst.IfExp) -> bool:
        self._read_test(node.test)
        self._guarded(node.test, node.body, node.orelse)
        return False

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> bool:
        self._read_test(node.left)
        self._guarded(node.left, node.right)
        return False

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self.guard_points[id(original_node.test)] = (self.order + 1, tuple(self.blocks))
        self.block_guards[-1].append(original_node.test)
        self.asserted.add(id(original_node.test))

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self.block_guards.append([])
        self.blocks.append(id(node))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        self.block_guards.pop()
        self.blocks.pop()

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self.blocks.append(id(node))

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        self.blocks.pop()

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self.dropped.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        self.candidate("call", node)

    def visit_Await(self, node: cst.Await) -> None:
        self.candidate("await", node)


def _ends_with_exit(body: cst.BaseSuite) -> bool:
    """Whether a block always leaves its enclosing block (return, raise, continue, break)."""
    statements = body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else ()
    if not statements:
        return False
    last = statements[-1]
    small = last.body if isinstance(last, cst.SimpleStatementLine) else (
        [last] if isinstance(body, cst.SimpleStatementSuite) else [])
    return bool(small) and isinstance(small[-1], (cst.Return, cst.Raise, cst.Continue, cst.Break))
